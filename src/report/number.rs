//! Fast text for f64 laid out as Rust's `Display` prints it — the shortest digits that read
//! back to the same number, plain decimal, no exponent, `1` not `1.0` — with zmij (the Żmij
//! algorithm, about twice as fast as ryu, which is about three times as fast as `Display`)
//! finding the digits. Where two shortest candidates are equally near (an exact tie), zmij may
//! take another last digit than `Display`; both read back to the same number. Used where
//! millions of numbers are written (`jobs.csv`).

/// Appends `x` as `format!("{x}")` would (but for the last digit of an exact tie).
pub fn push_f64(out: &mut String, x: f64) {
    if !x.is_finite() {
        out.push_str(&x.to_string());
        return;
    }
    let mut buffer = zmij::Buffer::new();
    let text = buffer.format_finite(x);
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    out.push_str(sign);
    let Some((mantissa, exponent)) = body.split_once('e') else {
        // Plain already: drop a ".0" on whole numbers.
        out.push_str(body.strip_suffix(".0").unwrap_or(body));
        return;
    };
    // d.ddd × 10^e → digits and the position of the decimal point.
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: String = [int, frac].concat();
    let point = int.len() as i32 + exponent; // digits before the decimal point
    if point <= 0 {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-point) as usize));
        out.push_str(&digits);
    } else if point as usize >= digits.len() {
        out.push_str(&digits);
        out.extend(std::iter::repeat_n('0', point as usize - digits.len()));
    } else {
        let (a, b) = digits.split_at(point as usize);
        out.push_str(a);
        out.push('.');
        out.push_str(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn text(x: f64) -> String {
        let mut s = String::new();
        push_f64(&mut s, x);
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
        fn job_sized_numbers_read_back_laid_out_as_display(x in -1e7f64..1e7, scale in -12i32..12) {
            same_as_display(x * 10f64.powi(scale))?;
        }
    }
}
