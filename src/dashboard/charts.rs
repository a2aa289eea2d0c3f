//! Pure chart builders: data in, a charming `Chart` out. Rendering happens only in the browser.

use charming::component::Axis;
use charming::component::{Legend, RadarCoordinate, Title};
use charming::element::AxisType;
use charming::element::{
    AxisLabel, AxisLine, AxisLineStyle, AxisTick, Formatter, ItemStyle, SplitLine, Tooltip, Trigger,
};
use charming::series::{Gauge, GaugeDetail, GaugeTitle, Line, Radar};
use charming::Chart;
use serde::{Deserialize, Serialize};

/// One predicate band on the gauge, in index units.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub name: String,
    pub min: f64,
    pub max: f64,
}

/// The colour of a predicate, shared by the gauge, the badges and the legend.
pub fn predicate_color(name: &str) -> &'static str {
    match name {
        // Dark enough for white badge text (WCAG AA, at least 4.5:1).
        "Memuaskan" => "#166534",
        "Sangat Baik" => "#0f766e",
        "Baik" => "#8a6a00",
        "Cukup" => "#b45309",
        "Kurang" => "#b91c1c",
        _ => "#6b7280",
    }
}

const GAUGE_MIN: f64 = 1.0;
const GAUGE_MAX: f64 = 5.0;

/// Gauge colour stops: each band's upper edge as a fraction of the 1–5 dial.
pub fn gauge_stops(bands: &[Band]) -> Vec<(f64, &'static str)> {
    let mut sorted: Vec<&Band> = bands.iter().collect();
    sorted.sort_by(|a, b| a.min.total_cmp(&b.min));
    sorted
        .iter()
        .filter(|b| b.max > GAUGE_MIN)
        .map(|b| {
            let upper = b.max.clamp(GAUGE_MIN, GAUGE_MAX);
            let frac = ((upper - GAUGE_MIN) / (GAUGE_MAX - GAUGE_MIN) * 1000.0).round() / 1000.0;
            (frac, predicate_color(&b.name))
        })
        .collect()
}

/// The index as a gauge whose rim shows the predicate bands of the pack. `text` is the figure as
/// published (`4,38`): the dial shows it verbatim rather than re-formatting a float.
pub fn index_gauge(value: f64, text: &str, predicate: &str, bands: &[Band]) -> Chart {
    let stops = gauge_stops(bands);
    Chart::new().series(
        Gauge::new()
            .name("Indeks")
            .min(GAUGE_MIN)
            .max(GAUGE_MAX)
            .split_number(4)
            .radius("90%")
            .center(("50%", "58%"))
            .start_angle(200)
            .end_angle(-20)
            .axis_line(
                AxisLine::new().line_style(
                    stops
                        .into_iter()
                        .fold(AxisLineStyle::new().width(22), |style, stop| {
                            style.color(stop)
                        }),
                ),
            )
            .axis_tick(AxisTick::new().show(false))
            .split_line(SplitLine::new().show(false))
            .axis_label(AxisLabel::new().distance(28).font_size(12))
            .title(GaugeTitle::new().show(false))
            .detail(
                GaugeDetail::new()
                    .font_size(34)
                    .formatter(Formatter::String(text.replace(['{', '}'], ""))),
            )
            .data(vec![(value, predicate)]),
    )
}

/// One line of the radar: a named series of aspect indices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RadarSeries {
    pub name: String,
    pub values: Vec<f64>,
}

/// Aspect indices on a radar, one polygon per series (e.g. Mandiri against Target).
pub fn aspect_radar(aspects: &[String], series: &[RadarSeries]) -> Chart {
    let indicators: Vec<(&str, f64, f64)> =
        aspects.iter().map(|a| (a.as_str(), 0.0, 5.0)).collect();
    let data: Vec<(Vec<f64>, String)> = series
        .iter()
        .map(|s| (s.values.clone(), s.name.clone()))
        .collect();
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom(0))
        .radar(RadarCoordinate::new().split_number(5).indicator(indicators))
        .series(Radar::new().name("Indeks aspek").data(data))
}

/// The city's published index by year against the national average.
/// `names`: the two series' names in the reader's language (city, national).
pub fn history_line(
    years: &[i64],
    city: &[Option<f64>],
    national: &[Option<f64>],
    names: (&str, &str),
) -> Chart {
    let to_points = |v: &[Option<f64>]| -> Vec<charming::datatype::DataPoint> {
        v.iter()
            .map(|x| match x {
                Some(x) => (*x).into(),
                None => "-".into(),
            })
            .collect()
    };
    Chart::new()
        .title(Title::new().show(false))
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom(0))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(years.iter().map(|y| y.to_string()).collect()),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(5))
        .series(
            Line::new()
                .name(names.0)
                .item_style(ItemStyle::new().color("#1d4ed8"))
                .data(to_points(city)),
        )
        .series(
            Line::new()
                .name(names.1)
                .item_style(ItemStyle::new().color("#9ca3af"))
                .data(to_points(national)),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spbe_bands() -> Vec<Band> {
        [
            ("Kurang", 0.0, 1.8),
            ("Cukup", 1.8, 2.6),
            ("Baik", 2.6, 3.5),
            ("Sangat Baik", 3.5, 4.2),
            ("Memuaskan", 4.2, 5.0),
        ]
        .iter()
        .map(|(n, a, b)| Band {
            name: n.to_string(),
            min: *a,
            max: *b,
        })
        .collect()
    }

    #[test]
    fn gauge_bands_end_where_the_predicates_end() {
        let stops = gauge_stops(&spbe_bands());
        let ends: Vec<f64> = stops.iter().map(|s| s.0).collect();
        assert_eq!(ends, vec![0.2, 0.4, 0.625, 0.8, 1.0]);
        assert_eq!(stops[4].1, predicate_color("Memuaskan"));
    }

    #[test]
    fn the_gauge_carries_the_value_and_predicate() {
        let json =
            serde_json::to_value(index_gauge(4.32, "4,32", "Memuaskan", &spbe_bands())).unwrap();
        let s = &json["series"][0];
        assert_eq!(s["type"], "gauge");
        assert_eq!(s["data"][0]["value"], 4.32);
        assert_eq!(s["data"][0]["name"], "Memuaskan");
        assert_eq!(s["axisLine"]["lineStyle"]["color"][2][0], 0.625);
        assert_eq!(s["detail"]["formatter"], "4,32");
    }

    #[test]
    fn the_radar_has_one_axis_per_aspect_and_one_polygon_per_series() {
        let aspects: Vec<String> = (1..=8).map(|i| format!("A{i}")).collect();
        let series = vec![
            RadarSeries {
                name: "Mandiri".into(),
                values: vec![4.0; 8],
            },
            RadarSeries {
                name: "Target".into(),
                values: vec![4.5; 8],
            },
        ];
        let json = serde_json::to_value(aspect_radar(&aspects, &series)).unwrap();
        assert_eq!(json["radar"][0]["indicator"].as_array().unwrap().len(), 8);
        assert_eq!(json["series"][0]["data"].as_array().unwrap().len(), 2);
        assert_eq!(json["series"][0]["data"][1]["name"], "Target");
    }

    #[test]
    fn missing_years_are_gaps_in_the_history_line() {
        let json = serde_json::to_value(history_line(
            &[2021, 2022],
            &[Some(2.92), None],
            &[Some(2.24), Some(2.34)],
            ("Kota", "Rata-rata nasional"),
        ))
        .unwrap();
        assert_eq!(json["series"][0]["data"][1], "-");
        assert_eq!(json["xAxis"]["data"][0], "2021");
    }
}
