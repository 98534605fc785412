//! Plain-text briefing parser: never panics, and no word is lost, added or
//! reordered (the contract of `briefing::parse` for `Format::Text`).
#![no_main]

use ctsearch::model::Format;
use ctsearch::parse::parse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let briefing = parse(&text, Format::Text);
    let words: Vec<&str> = briefing
        .sessions
        .iter()
        .flat_map(|s| s.passages.iter())
        .flat_map(|p| p.text.split_whitespace())
        .collect();
    let input: Vec<&str> = text.split_whitespace().collect();
    assert_eq!(words, input, "passages lost, added or reordered words of {text:?}");
    for session in &briefing.sessions {
        assert!(!session.passages.is_empty(), "empty session {:?}", session.label);
    }
});
