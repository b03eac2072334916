//! Fast text for f64 laid out as Rust's `Display` prints it — the shortest digits that read
//! back to the same number, plain decimal, no exponent, `1` not `1.0` — with zmij (the Żmij
//! algorithm, about twice as fast as ryu, which is about three times as fast as `Display`)
//! finding the digits. Where two shortest candidates are equally near (an exact tie), zmij may
//! take another last digit than `Display`; both read back to the same number. Used where
//! millions of numbers are written (`jobs.csv`).

/// Text a number can be appended to: a `String`, or the bytes of a file being written.
pub trait TextOut {
    /// Appends `s`.
    fn put(&mut self, s: &str);
    /// Appends `n` zeros.
    fn zeros(&mut self, n: usize);
}

impl TextOut for String {
    #[inline]
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
    fn zeros(&mut self, n: usize) {
        self.extend(std::iter::repeat_n('0', n));
    }
}

impl TextOut for Vec<u8> {
    #[inline]
    fn put(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
    fn zeros(&mut self, n: usize) {
        self.resize(self.len() + n, b'0');
    }
}

/// Appends `x` as `format!("{x}")` would (but for the last digit of an exact tie).
pub fn push_f64<T: TextOut + ?Sized>(out: &mut T, x: f64) {
    if !x.is_finite() {
        out.put(&x.to_string());
        return;
    }
    // Whole numbers below 2^53 (counts, shares of 1, zero waits) are their integer's digits.
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        if x.is_sign_negative() {
            out.put("-");
        }
        let mut digits = itoa::Buffer::new();
        out.put(digits.format(x.abs() as u64));
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x);
    // zmij writes ASCII: `-`?, digits, `.digits`?, `e[+-]?digits`?; found by bytes, not by
    // `str` patterns (a tenth of a `jobs.csv` run went to pattern searches).
    let body = match text.strip_prefix('-') {
        Some(rest) => {
            out.put("-");
            rest
        }
        None => text,
    };
    let Some(e) = body.bytes().position(|b| b == b'e') else {
        // Plain already: drop a ".0" on whole numbers.
        out.put(body.strip_suffix(".0").unwrap_or(body));
        return;
    };
    let (mantissa, exponent) = (&body[..e], &body[e + 1..]);
    // d.ddd × 10^e → the digits `int` then `frac`, and the position of the decimal point.
    let magnitude = exponent
        .trim_start_matches(['-', '+'])
        .bytes()
        .fold(0i32, |n, d| n * 10 + i32::from(d - b'0'));
    let exponent = if exponent.starts_with('-') {
        -magnitude
    } else {
        magnitude
    };
    let (int, frac) = match mantissa.bytes().position(|b| b == b'.') {
        Some(dot) => (&mantissa[..dot], &mantissa[dot + 1..]),
        None => (mantissa, ""),
    };
    let digits = int.len() + frac.len();
    let point = int.len() as i32 + exponent; // digits before the decimal point
    if point <= 0 {
        out.put("0.");
        out.zeros((-point) as usize);
        out.put(int);
        out.put(frac);
    } else if point as usize >= digits {
        out.put(int);
        out.put(frac);
        out.zeros(point as usize - digits);
    } else if point as usize <= int.len() {
        let (a, b) = int.split_at(point as usize);
        out.put(a);
        out.put(".");
        out.put(b);
        out.put(frac);
    } else {
        let (a, b) = frac.split_at(point as usize - int.len());
        out.put(int);
        out.put(a);
        out.put(".");
        out.put(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `x` as text, checked to be the same appended to a `String` and to bytes.
    fn text(x: f64) -> String {
        let (mut s, mut bytes) = (String::new(), Vec::new());
        push_f64(&mut s, x);
        push_f64(&mut bytes, x);
        assert_eq!(s.as_bytes(), bytes, "{x:e}");
        s
    }

    #[test]
    fn edge_values_print_as_display_does() {
        for x in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            1e-7,
            1.5e-300,
            9_007_199_254_740_991.0,
            -9_007_199_254_740_991.0,
            9_007_199_254_740_992.0,
            -42.0,
            5e-324,
            1e15,
            1e16,
            1.2345e21,
            f64::MAX,
            f64::MIN_POSITIVE,
            123456.789,
            0.3 - 0.1,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(text(x), format!("{x}"), "{x:e}");
        }
    }

    /// The text reads back to exactly `x`, is as long as `Display`'s (as few digits), and
    /// differs from it at most in the last digit.
    fn same_as_display(x: f64) -> Result<(), TestCaseError> {
        let (ours, std) = (text(x), format!("{x}"));
        prop_assert_eq!(ours.parse::<f64>().map(f64::to_bits), Ok(x.to_bits()));
        prop_assert_eq!(ours.len(), std.len(), "{} vs {}", ours, std);
        let n = ours.len() - 1;
        prop_assert_eq!(&ours[..n], &std[..n]);
        Ok(())
    }

    proptest! {
        #[test]
        fn any_finite_number_reads_back_laid_out_as_display(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            if x.is_finite() {
                same_as_display(x)?;
            }
        }

        #[test]
        fn whole_numbers_print_as_display_does(n in -(1i64 << 54)..(1i64 << 54)) {
            let x = n as f64;
            prop_assert_eq!(text(x), format!("{x}"));
        }

        #[test]
        fn job_sized_numbers_read_back_laid_out_as_display(x in -1e7f64..1e7, scale in -12i32..12) {
            same_as_display(x * 10f64.powi(scale))?;
        }
    }
}
