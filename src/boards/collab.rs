//! The collaboration view as plain Rust: which OPDs work together on which cards (OPD × OPD),
//! each OPD's open, overdue and finished cards, and the heat-map chart of the pairs.

use super::rules::Due;
use charming::component::{Axis, Grid, VisualMap};
use charming::datatype::DataPoint;
use charming::element::{AxisLabel, AxisType, Label, Tooltip};
use charming::series::Heatmap;
use charming::Chart;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One card as the collaboration view sees it: its OPDs (lead first) and its state.
pub struct CardOpds<'a> {
    pub lead: &'a str,
    pub contributors: &'a [String],
    pub done: bool,
    pub due: Due,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpdCounts {
    pub code: String,
    pub open: i64,
    pub overdue: i64,
    pub done: i64,
    /// Cards this OPD shares with at least one other OPD.
    pub shared: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collaboration {
    /// OPD codes involved in any card, most involved first.
    pub opds: Vec<String>,
    /// `pairs[i][j]`: cards on which OPD i and OPD j both work (i ≠ j); the diagonal is each
    /// OPD's own number of cards.
    pub pairs: Vec<Vec<i64>>,
    pub counts: Vec<OpdCounts>,
}

pub fn collaboration(cards: &[CardOpds]) -> Collaboration {
    let mut per: BTreeMap<String, OpdCounts> = BTreeMap::new();
    let mut pair: BTreeMap<(String, String), i64> = BTreeMap::new();
    for c in cards {
        let mut opds: Vec<&str> = vec![c.lead];
        for o in c.contributors {
            if !opds.contains(&o.as_str()) {
                opds.push(o);
            }
        }
        for o in &opds {
            let e = per.entry(o.to_string()).or_insert_with(|| OpdCounts {
                code: o.to_string(),
                ..Default::default()
            });
            if c.done {
                e.done += 1;
            } else {
                e.open += 1;
                if c.due == Due::Overdue {
                    e.overdue += 1;
                }
            }
            if opds.len() > 1 {
                e.shared += 1;
            }
        }
        for a in &opds {
            for b in &opds {
                if a != b {
                    *pair.entry((a.to_string(), b.to_string())).or_default() += 1;
                }
            }
        }
    }
    let mut counts: Vec<OpdCounts> = per.into_values().collect();
    counts.sort_by(|a, b| {
        (b.open + b.done)
            .cmp(&(a.open + a.done))
            .then(a.code.cmp(&b.code))
    });
    let opds: Vec<String> = counts.iter().map(|c| c.code.clone()).collect();
    let pairs = opds
        .iter()
        .enumerate()
        .map(|(i, a)| {
            opds.iter()
                .enumerate()
                .map(|(j, b)| {
                    if i == j {
                        counts[i].open + counts[i].done
                    } else {
                        pair.get(&(a.clone(), b.clone())).copied().unwrap_or(0)
                    }
                })
                .collect()
        })
        .collect();
    Collaboration {
        opds,
        pairs,
        counts,
    }
}

/// The OPD × OPD heat-map: a cell is the number of cards two OPDs share (the diagonal is left
/// empty so the shared work stands out).
pub fn heatmap(c: &Collaboration) -> Chart {
    let mut data: Vec<Vec<DataPoint>> = Vec::new();
    let mut max = 1;
    for (i, row) in c.pairs.iter().enumerate() {
        for (j, v) in row.iter().enumerate() {
            if i != j && *v > 0 {
                max = max.max(*v);
                data.push(vec![
                    DataPoint::from(j as i64),
                    DataPoint::from(i as i64),
                    DataPoint::from(*v),
                ]);
            }
        }
    }
    Chart::new()
        .tooltip(Tooltip::new())
        .grid(Grid::new().left("24%").bottom("30%").right("4%").top("4%"))
        .x_axis(
            Axis::new()
                .type_(AxisType::Category)
                .data(c.opds.clone())
                .axis_label(AxisLabel::new().rotate(45)),
        )
        .y_axis(Axis::new().type_(AxisType::Category).data(c.opds.clone()))
        .visual_map(
            VisualMap::new()
                .min(0)
                .max(max as f64)
                .calculable(true)
                .orient(charming::element::Orient::Horizontal)
                .left("center")
                .bottom("0%")
                .show(false),
        )
        .series(
            Heatmap::new()
                .name("Kartu bersama")
                .label(Label::new().show(true))
                .data(data),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_and_counts_follow_the_cards() {
        let kominfo = vec!["DISKOMINFO".to_string()];
        let both = vec!["DISKOMINFO".to_string(), "BAPPEDA".to_string()];
        let cards = [
            CardOpds {
                lead: "DINKES",
                contributors: &kominfo,
                done: false,
                due: Due::Overdue,
            },
            CardOpds {
                lead: "DINKES",
                contributors: &both,
                done: true,
                due: Due::None,
            },
            CardOpds {
                lead: "BAPPEDA",
                contributors: &[],
                done: false,
                due: Due::Soon,
            },
        ];
        let c = collaboration(&cards);
        let at = |code: &str| c.opds.iter().position(|o| o == code).unwrap();
        let (dinkes, kominfo, bappeda) = (at("DINKES"), at("DISKOMINFO"), at("BAPPEDA"));
        assert_eq!(c.pairs[dinkes][kominfo], 2);
        assert_eq!(c.pairs[kominfo][dinkes], 2);
        assert_eq!(c.pairs[dinkes][bappeda], 1);
        assert_eq!(c.pairs[bappeda][bappeda], 2);
        let d = &c.counts[dinkes];
        assert_eq!((d.open, d.overdue, d.done, d.shared), (1, 1, 1, 2));
        let b = &c.counts[bappeda];
        assert_eq!((b.open, b.overdue, b.done, b.shared), (1, 0, 1, 1));
    }

    #[test]
    fn the_heatmap_names_every_opd_and_leaves_the_diagonal_empty() {
        let kominfo = vec!["DISKOMINFO".to_string()];
        let cards = [CardOpds {
            lead: "DINKES",
            contributors: &kominfo,
            done: false,
            due: Due::None,
        }];
        let c = collaboration(&cards);
        let json = serde_json::to_value(heatmap(&c)).unwrap();
        let first = |v: &serde_json::Value| {
            if v.is_array() {
                v[0].clone()
            } else {
                v.clone()
            }
        };
        let x = first(&json["xAxis"]);
        assert_eq!(x["data"].as_array().unwrap().len(), 2, "{json}");
        let data = first(&json["series"])["data"].as_array().unwrap().clone();
        assert_eq!(data.len(), 2, "{data:?}");
        assert!(data.iter().all(|p| p[0] != p[1]));
    }
}
