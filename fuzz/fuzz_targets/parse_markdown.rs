//! Markdown briefing parser: never panics (nor overflows the stack) on any
//! input. Markup is consumed, so there is no word-for-word invariant.
#![no_main]

use ctsearch::model::Format;
use ctsearch::parse::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let briefing = parse(&text, Format::Markdown);
    for session in &briefing.sessions {
        assert!(!session.passages.is_empty(), "empty session {:?}", session.label);
        for passage in &session.passages {
            assert!(!passage.text.trim().is_empty(), "blank passage in {text:?}");
        }
    }
    let _ = briefing.meta.year();
});
