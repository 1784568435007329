//! A few SVG marks drawn with the DOM's calls (`createElementNS`, `setAttribute`, text nodes):
//! no markup is ever parsed, so labels from the data stay text.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element};

const SVG: &str = "http://www.w3.org/2000/svg";

pub enum Mark {
    /// A bar, with its figures shown on hover.
    Rect {
        x: i32,
        y: i32,
        width: i32,
        height: i32,
        title: String,
    },
    Text {
        class: &'static str,
        x: i32,
        y: i32,
        anchor: &'static str,
        text: String,
    },
    /// A horizontal axis line.
    Axis { x1: i32, x2: i32, y: i32 },
}

impl Mark {
    pub fn rect(x: i32, y: i32, width: i32, height: i32, title: String) -> Mark {
        Mark::Rect {
            x,
            y,
            width,
            height,
            title,
        }
    }
    pub fn text(class: &'static str, x: i32, y: i32, anchor: &'static str, text: String) -> Mark {
        Mark::Text {
            class,
            x,
            y,
            anchor,
            text,
        }
    }
    pub fn axis(x1: i32, x2: i32, y: i32) -> Mark {
        Mark::Axis { x1, x2, y }
    }
}

fn element(doc: &Document, tag: &str, attrs: &[(&str, &str)]) -> Option<Element> {
    let e = doc.create_element_ns(Some(SVG), tag).ok()?;
    for (k, v) in attrs {
        let _ = e.set_attribute(k, v);
    }
    Some(e)
}

fn with_text(doc: &Document, e: Element, text: &str) -> Element {
    let _ = e.append_child(&doc.create_text_node(text));
    e
}

fn mark_element(doc: &Document, mark: &Mark) -> Option<Element> {
    let n = |v: &i32| v.to_string();
    Some(match mark {
        Mark::Rect {
            x,
            y,
            width,
            height,
            title,
        } => {
            let g = element(doc, "g", &[])?;
            let tip = with_text(doc, element(doc, "title", &[])?, title);
            let rect = element(
                doc,
                "rect",
                &[
                    ("class", "chart-bar"),
                    ("x", &n(x)),
                    ("y", &n(y)),
                    ("width", &n(width)),
                    ("height", &n(height)),
                    ("rx", "2"),
                ],
            )?;
            let _ = g.append_child(&tip);
            let _ = g.append_child(&rect);
            g
        }
        Mark::Text {
            class,
            x,
            y,
            anchor,
            text,
        } => {
            let e = element(
                doc,
                "text",
                &[
                    ("class", class),
                    ("x", &n(x)),
                    ("y", &n(y)),
                    ("text-anchor", anchor),
                ],
            )?;
            with_text(doc, e, text)
        }
        Mark::Axis { x1, x2, y } => element(
            doc,
            "line",
            &[
                ("class", "chart-axis"),
                ("x1", &n(x1)),
                ("x2", &n(x2)),
                ("y1", &n(y)),
                ("y2", &n(y)),
            ],
        )?,
    })
}

/// Replaces `holder`'s content with an SVG of `width` × `height` holding `marks`.
pub fn draw(
    holder: &web_sys::HtmlDivElement,
    width: i32,
    height: i32,
    label: &str,
    marks: &[Mark],
) {
    let Some(doc) = holder.owner_document() else {
        return;
    };
    let (w, h) = (width.to_string(), height.to_string());
    let view_box = format!("0 0 {w} {h}");
    let Some(svg) = element(
        &doc,
        "svg",
        &[
            ("id", "chart-svg"),
            ("role", "img"),
            ("aria-label", label),
            ("viewBox", &view_box),
            ("width", &w),
            ("height", &h),
        ],
    ) else {
        return;
    };
    for m in marks {
        if let Some(e) = mark_element(&doc, m) {
            let _ = svg.append_child(&e);
        }
    }
    holder.set_text_content(None);
    let _ = holder.append_child(svg.unchecked_ref());
}
