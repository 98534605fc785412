//! How the index stores a session's passages: one line each, a kind
//! letter ("h", "p" or "l"), the page if any, an optional `§` and paragraph
//! number, a tab, the text.

use crate::model::{Passage, PassageKind};

/// Writes `passages` as the index stores them (see the module comment).
/// Lines need no escaping: a passage's white space is always collapsed to
/// single spaces, and a stray line break is written as a space (a tab in
/// the text is kept: only the first tab of a line ends its head).
pub fn encode_passages(passages: &[Passage], out: &mut String) {
    for (i, passage) in passages.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push(match passage.kind {
            PassageKind::Heading => 'h',
            PassageKind::Paragraph => 'p',
            PassageKind::ListItem => 'l',
        });
        if let Some(page) = passage.page {
            out.push_str(&page.to_string());
        }
        if let Some(para) = &passage.para {
            out.push('§');
            out.push_str(&para.replace(['\n', '\r', '\t'], " "));
        }
        out.push('\t');
        if passage.text.contains(['\n', '\r']) {
            out.push_str(&passage.text.replace(['\n', '\r'], " "));
        } else {
            out.push_str(&passage.text);
        }
    }
}

/// Reads what [`encode_passages`] wrote; a malformed line is skipped.
pub fn decode_passages(stored: &str) -> Vec<Passage> {
    stored
        .split('\n')
        .filter_map(|line| {
            let (head, text) = line.split_once('\t')?;
            let mut chars = head.chars();
            let kind = match chars.next()? {
                'h' => PassageKind::Heading,
                'p' => PassageKind::Paragraph,
                'l' => PassageKind::ListItem,
                _ => return None,
            };
            let (page, para) = match chars.as_str().split_once('§') {
                Some((page, para)) => (page, Some(para.to_string())),
                None => (chars.as_str(), None),
            };
            let page = if page.is_empty() {
                None
            } else {
                Some(page.parse().ok()?)
            };
            Some(Passage {
                text: text.to_string(),
                kind,
                page,
                para,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_passages_read_back_as_written() {
        let passages = vec![
            Passage {
                text: "Session III".into(),
                kind: PassageKind::Heading,
                page: None,
                para: None,
            },
            Passage {
                text: "Tabs\tand \"quotes\", Côte d'Ivoire — ok".into(),
                kind: PassageKind::Paragraph,
                page: Some(12),
                para: Some("4 (a)".into()),
            },
            Passage {
                text: String::new(),
                kind: PassageKind::ListItem,
                page: Some(1),
                para: None,
            },
        ];
        let mut stored = String::new();
        encode_passages(&passages, &mut stored);
        assert_eq!(decode_passages(&stored), passages);
        assert_eq!(decode_passages(""), Vec::<Passage>::new());
        // A line break inside a text cannot split it.
        let broken = [Passage {
            text: "one\ntwo".into(),
            kind: PassageKind::Paragraph,
            page: None,
            para: None,
        }];
        stored.clear();
        encode_passages(&broken, &mut stored);
        assert_eq!(decode_passages(&stored)[0].text, "one two");
    }
}
