//! The pieces every studio chart is drawn with: a plot frame that maps data to SVG coordinates,
//! "nice" ticks (1, 2 or 5 times a power of ten, as a person would label an axis), and the axes
//! component, whose tick labels the browser's `Intl` writes short in the studio's language. Charts are plain SVG drawn here: nothing is fetched, and the
//! page's strict CSP holds (colours are SVG attributes, not inline styles).

use leptos::prelude::*;

use crate::texts::Texts;

/// Colours for segments, told apart by most forms of colour blindness (Okabe and Ito's palette,
/// then darker tones); segment `i` is `SEGMENT_COLOURS[i % len]`.
pub const SEGMENT_COLOURS: [&str; 10] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
    "#7F3C8D", "#3969AC",
];

/// The colour of segment `index`.
pub fn segment_colour(index: usize) -> &'static str {
    SEGMENT_COLOURS[index % SEGMENT_COLOURS.len()]
}

/// Space around the plot area for ticks and axis titles, in SVG units.
const MARGIN_LEFT: f64 = 56.0;
const MARGIN_RIGHT: f64 = 14.0;
const MARGIN_TOP: f64 = 12.0;
const MARGIN_BOTTOM: f64 = 42.0;

/// A chart's size and the data ranges its axes show.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    /// SVG width.
    pub width: f64,
    /// SVG height.
    pub height: f64,
    /// Data range along x, (low, high).
    pub x: (f64, f64),
    /// Data range along y, (low, high).
    pub y: (f64, f64),
}

impl Frame {
    /// A frame whose ranges are widened to the nice ticks around `x` and `y`, so the data
    /// never touches the border.
    pub fn new(width: f64, height: f64, x: (f64, f64), y: (f64, f64)) -> Self {
        let widen = |(low, high): (f64, f64)| {
            let ticks = nice_ticks(low, high, 5);
            (
                ticks.first().copied().unwrap_or(low).min(low),
                ticks.last().copied().unwrap_or(high).max(high),
            )
        };
        Self {
            width,
            height,
            x: widen(x),
            y: widen(y),
        }
    }

    /// The x coordinate of data value `value`.
    pub fn px(&self, value: f64) -> f64 {
        let (low, high) = self.x;
        let span = if high > low { high - low } else { 1.0 };
        MARGIN_LEFT + (value - low) / span * (self.width - MARGIN_LEFT - MARGIN_RIGHT)
    }

    /// The y coordinate of data value `value` (up is larger).
    pub fn py(&self, value: f64) -> f64 {
        let (low, high) = self.y;
        let span = if high > low { high - low } else { 1.0 };
        self.height
            - MARGIN_BOTTOM
            - (value - low) / span * (self.height - MARGIN_TOP - MARGIN_BOTTOM)
    }

    /// The plot area's left, top, right and bottom edges.
    pub fn plot_area(&self) -> (f64, f64, f64, f64) {
        (
            MARGIN_LEFT,
            MARGIN_TOP,
            self.width - MARGIN_RIGHT,
            self.height - MARGIN_BOTTOM,
        )
    }

    /// The SVG `viewBox` for this frame.
    pub fn view_box(&self) -> String {
        format!("0 0 {} {}", self.width, self.height)
    }
}

/// About `count` ticks covering [low, high], each a multiple of 1, 2 or 5 times a power of ten.
pub fn nice_ticks(low: f64, high: f64, count: usize) -> Vec<f64> {
    if !low.is_finite() || !high.is_finite() || count == 0 {
        return Vec::new();
    }
    let (low, high) = if high > low {
        (low, high)
    } else {
        (low - 0.5, low + 0.5)
    };
    let rough = (high - low) / count as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power);
    let first = (low / step).floor() as i64;
    let last = (high / step).ceil() as i64;
    (first..=last).map(|index| index as f64 * step).collect()
}

/// Axis lines, gridlines, ticks with labels, and the axis titles of `frame`. `x_ticks` may be
/// given (k = 2..10 wants every integer); otherwise nice ticks are used.
#[component]
pub fn Axes(
    frame: Frame,
    #[prop(into)] x_title: String,
    #[prop(into)] y_title: String,
    #[prop(optional)] x_ticks: Option<Vec<f64>>,
) -> impl IntoView {
    let texts = expect_context::<Texts>();
    let (left, top, right, bottom) = frame.plot_area();
    let inside =
        |low: f64, high: f64| move |tick: &f64| *tick >= low - 1e-9 && *tick <= high + 1e-9;
    let x_ticks: Vec<f64> = x_ticks
        .unwrap_or_else(|| nice_ticks(frame.x.0, frame.x.1, 5))
        .into_iter()
        .filter(inside(frame.x.0, frame.x.1))
        .collect();
    let y_ticks: Vec<f64> = nice_ticks(frame.y.0, frame.y.1, 5)
        .into_iter()
        .filter(inside(frame.y.0, frame.y.1))
        .collect();
    view! {
        <g class="axes">
            {y_ticks.into_iter().map(|tick| {
                let y = frame.py(tick);
                view! {
                    <line class="grid" x1=left x2=right y1=y y2=y />
                    <text class="tick" x=left - 6.0 y=y + 4.0 text-anchor="end">{texts.compact(tick)}</text>
                }
            }).collect::<Vec<_>>()}
            {x_ticks.into_iter().map(|tick| {
                let x = frame.px(tick);
                view! {
                    <line class="tick-mark" x1=x x2=x y1=bottom y2=bottom + 4.0 />
                    <text class="tick" x=x y=bottom + 16.0 text-anchor="middle">{texts.compact(tick)}</text>
                }
            }).collect::<Vec<_>>()}
            <line class="axis" x1=left x2=right y1=bottom y2=bottom />
            <line class="axis" x1=left x2=left y1=top y2=bottom />
            <text class="axis-title" x=(left + right) / 2.0 y=frame.height - 6.0 text-anchor="middle">{x_title}</text>
            <text
                class="axis-title"
                x=0
                y=0
                text-anchor="middle"
                transform=format!("translate(14 {}) rotate(-90)", (top + bottom) / 2.0)
            >
                {y_title}
            </text>
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 10.0, 5), [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(nice_ticks(3.0, 97.0, 4), [0.0, 50.0, 100.0]);
        let small = nice_ticks(0.21, 0.38, 4);
        assert!(small.first().unwrap() <= &0.21 && small.last().unwrap() >= &0.38);
        // A single value still gets an axis around it.
        let flat = nice_ticks(5.0, 5.0, 5);
        assert!(
            flat.len() >= 2 && flat[0] < 5.0 && *flat.last().unwrap() > 5.0,
            "{flat:?}"
        );
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    #[test]
    fn the_frame_maps_data_into_the_plot_area() {
        let frame = Frame::new(300.0, 200.0, (0.0, 10.0), (0.0, 1.0));
        let (left, top, right, bottom) = frame.plot_area();
        assert_eq!(frame.px(0.0), left);
        assert_eq!(frame.px(10.0), right);
        assert_eq!(frame.py(0.0), bottom);
        assert_eq!(frame.py(1.0), top);
    }
}
