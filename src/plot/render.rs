//! Rendering one chart to both SVG and PNG, the shared style (colour-blind-safe palette, font,
//! sizes) and chart helpers.

use plotters::prelude::*;
use plotters::style::FontStyle;
use std::sync::Once;

/// Chart width [px].
pub const WIDTH: u32 = 1200;
/// Chart height [px].
pub const HEIGHT: u32 = 640;

/// The Okabe–Ito palette (safe for the common forms of colour blindness).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// Light grey for shading.
pub const SHADE: RGBColor = RGBColor(225, 225, 225);

/// Font family name used by every chart.
pub const FONT: &str = "sans-serif";

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PlotError {
    /// The plotting backend failed.
    #[error("cannot draw chart `{chart}`: {message}")]
    Draw {
        /// Chart name.
        chart: String,
        /// The backend's message.
        message: String,
    },
    /// An input file could not be read.
    #[error("cannot read `{path}` for the charts: {message}")]
    Input {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// PNG encoding failed.
    #[error("cannot encode PNG `{0}`")]
    Png(String),
}

/// A rendered chart.
#[derive(Debug, Clone)]
pub struct Chart {
    /// File stem, e.g. `power`.
    pub name: String,
    /// Title, for the HTML report.
    pub title: String,
    /// SVG document.
    pub svg: String,
    /// PNG file bytes.
    pub png: Vec<u8>,
}

/// Charts drawn, and the (name, reason) of charts skipped for lack of data.
pub type Drawn = (Vec<Chart>, Vec<(String, String)>);

/// Registers the embedded font once (PNG text needs it; SVG uses the viewer's sans-serif).
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A drawing closure, generic over the backend through `DynDraw`.
pub type DrawResult = Result<(), String>;

/// Something that draws on any backend.
pub trait Draw {
    /// Draws onto `root`.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> DrawResult;
}

/// Turns a backend error into text.
pub fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Renders `chart` as SVG and PNG.
pub fn render(name: &str, title: &str, chart: &impl Draw) -> Result<Chart, PlotError> {
    register_font();
    let fail = |message: String| PlotError::Draw {
        chart: name.to_string(),
        message,
    };
    let mut svg = String::new();
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    let drawn = crate::panics::catch_quietly(|| -> Result<(), PlotError> {
        {
            let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
            root.fill(&WHITE).map_err(|e| fail(err(e)))?;
            chart.draw(&root).map_err(fail)?;
            root.present().map_err(|e| fail(err(e)))?;
        }
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(err(e)))?;
        chart.draw(&root).map_err(fail)?;
        root.present().map_err(|e| fail(err(e)))
    });
    match drawn {
        Ok(result) => result?,
        Err(why) => return Err(fail(format!("the plotting library failed ({why})"))),
    }
    Ok(Chart {
        name: name.to_string(),
        title: title.to_string(),
        svg,
        png: encode_png(&rgb, name)?,
    })
}

/// Adds a rendered chart to `drawn`, or — when it could not be drawn — names it among the
/// skipped with the reason; other errors (encoding) are returned.
pub fn keep(drawn: &mut Drawn, chart: Result<Chart, PlotError>) -> Result<(), PlotError> {
    match chart {
        Ok(c) => drawn.0.push(c),
        Err(PlotError::Draw { chart, message }) => drawn
            .1
            .push((chart, format!("could not be drawn: {message}"))),
        Err(e) => return Err(e),
    }
    Ok(())
}

fn encode_png(rgb: &[u8], name: &str) -> Result<Vec<u8>, PlotError> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder
            .write_header()
            .map_err(|e| PlotError::Png(format!("{name}: {e}")))?;
        writer
            .write_image_data(rgb)
            .map_err(|e| PlotError::Png(format!("{name}: {e}")))?;
    }
    Ok(out)
}

/// The caption style.
pub fn caption() -> TextStyle<'static> {
    (FONT, 24).into_font().style(FontStyle::Bold).into()
}

/// Axis label style.
pub fn label() -> TextStyle<'static> {
    (FONT, 15).into_font().into()
}

/// A padded range covering `values` (at least `[0, 1]` when empty or flat).
pub fn range(values: impl Iterator<Item = f64>, from_zero: bool) -> std::ops::Range<f64> {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        if v.is_finite() {
            (a.min(v), b.max(v))
        } else {
            (a, b)
        }
    });
    if !lo.is_finite() {
        return 0.0..1.0;
    }
    if from_zero {
        lo = lo.min(0.0);
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.05;
    (if from_zero && lo >= 0.0 { lo } else { lo - pad })..hi + pad
}

/// Compact tick text: thousands separators, no needless decimals (e.g. 90000 → "90,000",
/// 0.15 → "0.15", 20 → "20").
pub fn tick(v: &f64) -> String {
    let v = *v;
    if v.abs() >= 1000.0 {
        crate::report::table::group(v, 0)
    } else if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        let text = format!("{v:.3}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Draws the series legend of `chart` at `position` on a light background.
pub fn legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font(label())
        .draw()
        .map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chart whose drawing panics, as the plotting library may on data it cannot lay out.
    struct Panics;

    impl Draw for Panics {
        fn draw<DB: DrawingBackend>(
            &self,
            _root: &DrawingArea<DB, plotters::coord::Shift>,
        ) -> DrawResult {
            panic!("attempt to divide by zero")
        }
    }

    #[test]
    fn a_chart_that_panics_is_skipped_with_the_reason() {
        let mut drawn: Drawn = (vec![], vec![]);
        keep(&mut drawn, render("broken", "Broken", &Panics)).unwrap();
        assert!(drawn.0.is_empty());
        assert_eq!(drawn.1.len(), 1);
        assert_eq!(drawn.1[0].0, "broken");
        assert!(
            drawn.1[0].1.contains("attempt to divide by zero"),
            "{:?}",
            drawn.1
        );
    }
}
