//! English for the assessment pages: (Indonesian text as written in the views, English text).

pub const CATALOG: &[(&str, &str)] = &[];
