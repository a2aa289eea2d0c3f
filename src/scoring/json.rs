//! The JSON face of the engine, used by `sinergi score`: a level vector in, the score out.

use super::ratio::Ratio;
use super::{Framework, Score};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Reads `{"<indicator code>": level, ...}`. A level is a JSON number (`4`, `3.5`) or a string
/// holding a decimal or a fraction (`"7/6"`), kept exact.
pub fn parse_levels(text: &str) -> Result<BTreeMap<String, Ratio>, String> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| format!("input is not valid JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("input must be a JSON object mapping indicator codes to levels".into());
    };
    let mut out = BTreeMap::new();
    for (code, v) in map {
        let level = match &v {
            // serde_json prints the shortest text that reads back as the same number, which is
            // the text a person wrote for any level with a few decimals.
            Value::Number(n) => Ratio::parse(&n.to_string()),
            Value::String(s) => Ratio::parse(s),
            other => {
                return Err(format!(
                    "the level of indicator '{code}' must be a number, got {other}"
                ))
            }
        }
        .map_err(|e| format!("the level of indicator '{code}': {e}"))?;
        out.insert(code, level);
    }
    Ok(out)
}

/// The score as the CLI prints it: figures as strings with a decimal point.
pub fn score_to_json(f: &Framework, s: &Score) -> Value {
    let part = |p: &super::PartScore| json!({"code": p.code, "index": p.text(f.decimals, '.')});
    let mut m = Map::new();
    m.insert("framework".into(), json!(f.code));
    m.insert("index".into(), json!(s.index_text('.')));
    m.insert("index_exact".into(), json!(s.exact.to_exact_string()));
    m.insert("predicate".into(), json!(s.predicate));
    m.insert(
        "aspects".into(),
        Value::Array(s.aspects.iter().map(part).collect()),
    );
    m.insert(
        "domains".into(),
        Value::Array(s.domains.iter().map(part).collect()),
    );
    Value::Object(m)
}

/// Parses, scores and renders; the error names the indicator at fault.
pub fn score_document(f: &Framework, text: &str) -> Result<Value, String> {
    let levels = parse_levels(text)?;
    let score = f.score(&levels).map_err(|e| e.to_string())?;
    Ok(score_to_json(f, &score))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scoring::BUILTIN_PACKS;

    fn spbe() -> Framework {
        Framework::from_json(BUILTIN_PACKS[0]).unwrap()
    }

    fn all_levels(level: &str) -> String {
        let body: Vec<String> = (1..=47).map(|i| format!("\"{i}\": {level}")).collect();
        format!("{{{}}}", body.join(","))
    }

    #[test]
    fn a_full_vector_prints_index_exact_value_predicate_aspects_and_domains() {
        let out = score_document(&spbe(), &all_levels("3")).unwrap();
        assert_eq!(out["framework"], "spbe-2020");
        assert_eq!(out["index"], "3.00");
        assert_eq!(out["index_exact"], "3.00");
        assert_eq!(out["predicate"], "Baik");
        assert_eq!(out["aspects"].as_array().unwrap().len(), 8);
        assert_eq!(out["domains"][3]["code"], "D4");
        assert_eq!(out["domains"][3]["index"], "3.00");
    }

    #[test]
    fn levels_may_be_strings_or_fractions() {
        let text = all_levels("\"5\"").replace("\"47\": \"5\"", "\"47\": \"9/2\"");
        let out = score_document(&spbe(), &text).unwrap();
        // 5 - 0.5 * 3 % = 4.985
        assert_eq!(out["index_exact"], "4.985");
        assert_eq!(out["index"], "4.99");
    }

    #[test]
    fn a_printed_float_is_read_as_the_decimal_it_shows() {
        let f = Framework::from_json(BUILTIN_PACKS[1]).unwrap();
        let body: Vec<String> = (1..=20)
            .map(|i| {
                let level = if i == 13 { "1.1666666666666667" } else { "1" };
                format!("\"I{i}\": {level}")
            })
            .collect();
        let out = score_document(&f, &format!("{{{}}}", body.join(","))).unwrap();
        assert_eq!(out["aspects"][4]["index"], "1.08");
        assert_eq!(out["index"], "1.01");
    }

    #[test]
    fn bad_input_names_the_problem() {
        let f = spbe();
        assert!(score_document(&f, "[1,2]")
            .unwrap_err()
            .contains("JSON object"));
        assert!(score_document(&f, "{")
            .unwrap_err()
            .contains("not valid JSON"));
        let missing = all_levels("3").replace(",\"47\": 3", "");
        assert_eq!(
            score_document(&f, &missing).unwrap_err(),
            "indicator '47' has no level"
        );
        let six = all_levels("3").replace("\"12\": 3", "\"12\": 6");
        assert!(score_document(&f, &six).unwrap_err().contains("'12'"));
        let unknown = all_levels("3").replace("{", "{\"48\": 3,");
        assert!(score_document(&f, &unknown).unwrap_err().contains("'48'"));
        let text = all_levels("3").replace("\"2\": 3", "\"2\": true");
        assert!(score_document(&f, &text).unwrap_err().contains("'2'"));
    }
}
