//! Card descriptions and comments are Markdown, rendered on the server into HTML that is safe to
//! insert: raw HTML is shown as text, links keep only http(s), mailto and local targets, and
//! images become plain links (nothing loads from elsewhere).

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || (u.starts_with('/') && !u.starts_with("//"))
        || u.starts_with('#')
}

/// Markdown to sanitised HTML.
pub fn render<'a>(text: &'a str) -> String {
    let parser = Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    let link = |link_type, dest_url: CowStr<'a>, title, id| Tag::Link {
        link_type,
        dest_url: if safe_url(&dest_url) {
            dest_url
        } else {
            CowStr::Borrowed("#")
        },
        title,
        id,
    };
    let events = parser.map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        // Images become links: nothing loads from elsewhere.
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        })
        | Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(link(link_type, dest_url, title, id)),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let h = render(
            "**Penting**: lihat [SOP](https://jdih.mojokertokota.go.id/sop)\n\n- satu\n- dua",
        );
        assert!(h.contains("<strong>Penting</strong>"), "{h}");
        assert!(
            h.contains("href=\"https://jdih.mojokertokota.go.id/sop\""),
            "{h}"
        );
        assert!(h.contains("<li>satu</li>"), "{h}");
    }

    #[test]
    fn scripts_and_dangerous_links_are_defused() {
        let h = render("<script>alert(1)</script> <img src=x onerror=alert(1)>");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let h = render("[klik](javascript:alert(1)) ![gambar](https://pelacak.example/x.png)");
        assert!(!h.contains("javascript:"), "{h}");
        assert!(!h.contains("<img"), "{h}");
        assert!(h.contains("href=\"#\""), "{h}");
    }
}
