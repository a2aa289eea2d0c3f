//! English for the boards pages: (Indonesian text as written in the views, English text).

pub const CATALOG: &[(&str, &str)] = &[];
