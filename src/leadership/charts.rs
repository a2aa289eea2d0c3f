//! Pure chart builders of the war room: data in, a charming `Chart` out (drawn in the browser).
//! The gauge, radar and trend line are the dashboard's own builders.

use super::{OverdueRow, WorkStatus};
use crate::i18n::{t, Lang};
use charming::component::{Axis, Grid, Legend};
use charming::datatype::{DataPoint, DataPointItem};
use charming::element::{AxisLabel, AxisType, ItemStyle, Label, Tooltip, Trigger};
use charming::series::{Bar, Pie};
use charming::Chart;

/// The index of each stage as a bar, coloured by its predicate; an incomplete stage is a gap.
/// `stages`: (label, index, predicate).
pub fn stage_bars(stages: &[(String, Option<f64>, Option<String>)]) -> Chart {
    let data: Vec<DataPoint> = stages
        .iter()
        .map(|(_, v, p)| match v {
            Some(v) => DataPointItem::new(*v)
                .item_style(
                    ItemStyle::new().color(crate::dashboard::charts::predicate_color(
                        p.as_deref().unwrap_or(""),
                    )),
                )
                .into(),
            None => "-".into(),
        })
        .collect();
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .grid(Grid::new().left("8%").right("4%").top("8%").bottom("14%"))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(stages.iter().map(|(l, _, _)| l.clone()).collect()),
        )
        .y_axis(Axis::new().type_(AxisType::Value).min(0).max(5))
        .series(
            // No value labels: ECharts would print 4.38 with a decimal point; the table beside
            // the chart has every figure as published.
            Bar::new().name("Indeks").bar_width("45%").data(data),
        )
}

/// How many indicators are in each status, as a ring in the status colours.
pub fn status_ring(l: Lang, counts: &[(WorkStatus, usize)]) -> Chart {
    let data: Vec<DataPoint> = counts
        .iter()
        .map(|(s, n)| {
            DataPointItem::new(*n as i64)
                .name(t(l, s.label()))
                .item_style(ItemStyle::new().color(s.colors().0))
                .into()
        })
        .collect();
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Item))
        .legend(Legend::new().bottom(0))
        .series(
            Pie::new()
                .name(t(l, "Status indikator"))
                .radius(vec!["45%", "70%"])
                .center(vec!["50%", "45%"])
                .label(Label::new().show(true).formatter("{c}"))
                .data(data),
        )
}

/// Overdue and due-soon board cards per lead OPD, stacked, the most overdue on top.
pub fn overdue_bars(l: Lang, rows: &[OverdueRow]) -> Chart {
    // ECharts draws the first category at the bottom: reverse so the worst is on top.
    let rows: Vec<&OverdueRow> = rows.iter().rev().collect();
    Chart::new()
        .tooltip(Tooltip::new().trigger(Trigger::Axis))
        .legend(Legend::new().bottom(0))
        .grid(Grid::new().left("22%").right("6%").top("4%").bottom("16%"))
        .x_axis(Axis::new().type_(AxisType::Value).min_interval(1))
        .y_axis(
            Axis::new()
                .type_(AxisType::Category)
                .axis_label(AxisLabel::new().font_size(11))
                .data(rows.iter().map(|r| r.opd_code.clone()).collect()),
        )
        .series(
            Bar::new()
                .name(t(l, "Terlambat"))
                .stack("kartu")
                .item_style(ItemStyle::new().color("#b91c1c"))
                .data(rows.iter().map(|r| DataPoint::from(r.overdue)).collect()),
        )
        .series(
            Bar::new()
                .name(t(l, "Jatuh tempo ≤ 3 hari"))
                .stack("kartu")
                .item_style(ItemStyle::new().color("#d97706"))
                .data(rows.iter().map(|r| DataPoint::from(r.due_soon)).collect()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_bars_colour_by_predicate_and_leave_gaps() {
        let json = serde_json::to_value(stage_bars(&[
            ("Target".into(), Some(4.5), Some("Memuaskan".into())),
            ("Mandiri".into(), Some(4.38), Some("Memuaskan".into())),
            ("Verifikasi".into(), None, None),
        ]))
        .unwrap();
        let data = &json["series"][0]["data"];
        assert_eq!(data[0]["value"], 4.5);
        assert_eq!(
            data[1]["itemStyle"]["color"],
            crate::dashboard::charts::predicate_color("Memuaskan")
        );
        assert_eq!(data[2], "-");
        assert_eq!(json["xAxis"]["data"][2], "Verifikasi");
    }

    #[test]
    fn the_status_ring_has_one_slice_per_status_in_its_colour_and_language() {
        let counts: Vec<(WorkStatus, usize)> = WorkStatus::ALL.iter().map(|s| (*s, 3)).collect();
        let json = serde_json::to_value(status_ring(Lang::En, &counts)).unwrap();
        let data = json["series"][0]["data"].as_array().unwrap();
        assert_eq!(data.len(), 5);
        assert_eq!(data[4]["name"], "Verified");
        assert_eq!(
            data[4]["itemStyle"]["color"],
            WorkStatus::Diverifikasi.colors().0
        );
        assert_eq!(data[0]["value"], 3);
    }

    #[test]
    fn overdue_bars_put_the_worst_opd_on_top() {
        let rows = vec![
            OverdueRow {
                opd_code: "DINKES".into(),
                opd_name: "Dinas Kesehatan".into(),
                overdue: 3,
                due_soon: 1,
            },
            OverdueRow {
                opd_code: "BAPPEDA".into(),
                opd_name: "Bappeda".into(),
                overdue: 1,
                due_soon: 0,
            },
        ];
        let json = serde_json::to_value(overdue_bars(Lang::Id, &rows)).unwrap();
        // The last category is drawn on top.
        assert_eq!(json["yAxis"]["data"][1], "DINKES");
        assert_eq!(json["series"][0]["data"][1], 3);
        assert_eq!(json["series"][1]["name"], "Jatuh tempo ≤ 3 hari");
    }
}
