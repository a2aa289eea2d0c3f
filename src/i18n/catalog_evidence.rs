//! English for the evidence pages: (Indonesian text as written in the views, English text).

pub const CATALOG: &[(&str, &str)] = &[];
