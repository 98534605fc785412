//! Best passages and highlights.
//!
//! Computed only for the hits shown. A passage's score is the sum of the
//! weights (idf) of the distinct query terms and phrases it covers, so the
//! passage that answers most of the query wins over one that repeats a
//! single common word.

use serde::Serialize;

use crate::analysis::{Analyzer, StemmingExceptions, Token};
use crate::model::{Passage, PassageKind};

/// Longest snippet shown, in characters; longer passages are cut around
/// their highlights.
const SNIPPET_CHARS: usize = 360;

/// Byte ranges of matches in a passage.
type ByteRanges = Vec<(usize, usize)>;

/// A query word or phrase to find in passages.
#[derive(Debug, Clone, PartialEq)]
pub struct HighlightTerm {
    /// Analyzed terms; more than one for a phrase.
    pub terms: Vec<String>,
    pub weight: f32,
    pub prefix: bool,
    pub fuzzy: Option<u8>,
}

/// A passage as shown: possibly cut to a snippet, with character ranges to
/// highlight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownPassage {
    pub text: String,
    /// `[start, end)` character offsets into `text`.
    pub highlights: Vec<[usize; 2]>,
    /// The 1-based page the passage starts on (PDF only; omitted otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The numbered or operative paragraph it belongs to (`null` if none).
    pub para: Option<String>,
    #[serde(skip)]
    pub score: f32,
    /// Position of the passage in its session.
    #[serde(skip)]
    pub ord: usize,
}

fn term_matches(query: &HighlightTerm, term: &str, i: usize) -> bool {
    let wanted = &query.terms[i];
    if query.prefix && i + 1 == query.terms.len() {
        return term.starts_with(wanted.as_str());
    }
    match query.fuzzy {
        Some(d) if query.terms.len() == 1 => levenshtein(term, wanted) <= d as usize,
        _ => term == wanted,
    }
}

/// Byte ranges of `text` matched by the query terms, and the passage score.
/// Phrases match by token position, so the joined form of a hyphenated
/// word (which shares its first part's position) does not break them.
fn match_passage(tokens: &[Token], terms: &[HighlightTerm]) -> (f32, ByteRanges) {
    let mut score = 0.0;
    let mut occurrences = 0usize;
    let mut ranges = Vec::new();
    // The tokens at each position, for phrases; built on the first match
    // of a phrase's first term (most passages match no phrase).
    let mut slots: Vec<Vec<usize>> = Vec::new();
    for query in terms {
        let n = query.terms.len();
        if n == 0 {
            continue;
        }
        let mut found = false;
        for (i, first) in tokens.iter().enumerate() {
            if !term_matches(query, &first.term, 0) {
                continue;
            }
            let mut end = first.end;
            if n > 1 && slots.is_empty() {
                let max_position = tokens.iter().map(|t| t.position).max().unwrap_or(0);
                slots = vec![Vec::new(); max_position + 1];
                for (j, t) in tokens.iter().enumerate() {
                    slots[t.position].push(j);
                }
            }
            let complete = (1..n).all(|k| {
                let next = slots.get(first.position + k).and_then(|slot| {
                    slot.iter()
                        .find(|&&j| j != i && term_matches(query, &tokens[j].term, k))
                });
                match next {
                    Some(&j) => {
                        end = tokens[j].end;
                        true
                    }
                    None => false,
                }
            });
            if complete {
                found = true;
                occurrences += 1;
                ranges.push((first.start, end));
            }
        }
        if found {
            score += query.weight;
        }
    }
    // Repetition adds a little, never as much as a new term.
    score += 0.01 * occurrences.min(20) as f32;
    (score, merge_ranges(ranges))
}

fn merge_ranges(mut ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    ranges.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for (s, e) in ranges {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Character ranges of a whole passage matched by the query terms.
pub fn highlight(text: &str, terms: &[HighlightTerm], analyzer: &mut Analyzer) -> Vec<[usize; 2]> {
    let tokens = analyzer.tokens(text);
    let (_, ranges) = match_passage(&tokens, terms);
    ranges
        .into_iter()
        .map(|(s, e)| [text[..s].chars().count(), text[..e].chars().count()])
        .collect()
}

/// Tells, without analyzing a passage, that no query term occurs in it,
/// and in a passage that one may, which of its words can be one: most
/// passages of a hit have none of the query's words and most words of the
/// others are none of them, and analyzing them all was most of the time
/// spent on the hits shown.
///
/// Why it is exact: an ASCII word with a term starts with that term's
/// word prefix ([`StemmingExceptions::word_prefix`], which also covers
/// the terms an open-ended term matches). Passages outside ASCII (whose
/// letters fold) or with a hyphen (whose joined forms span it) are never
/// skipped, words outside ASCII are always analyzed, and fuzzy terms turn
/// the filter off.
struct PassageFilter {
    /// Lowercase ASCII, one per query term or phrase (its first term); a
    /// passage that the query matches contains one.
    needles: Vec<Vec<u8>>,
    /// Lowercase ASCII, one per term of every query term or phrase; a word
    /// that has one of the terms begins with one.
    word_needles: Vec<Vec<u8>>,
}

impl PassageFilter {
    fn new(terms: &[HighlightTerm], exceptions: &StemmingExceptions) -> Option<PassageFilter> {
        let mut needles = Vec::new();
        let mut word_needles = Vec::new();
        for query in terms {
            if query.fuzzy.is_some() {
                return None;
            }
            let n = query.terms.len();
            for (i, term) in query.terms.iter().enumerate() {
                if !term.is_ascii() {
                    return None;
                }
                let open_ended = query.prefix && i + 1 == n;
                let needle = exceptions
                    .word_prefix(term, open_ended)
                    .as_bytes()
                    .to_ascii_lowercase();
                if i == 0 {
                    needles.push(needle.clone());
                }
                word_needles.push(needle);
            }
        }
        Some(PassageFilter {
            needles,
            word_needles,
        })
    }

    /// Whether [`PassageFilter::may_match`] applies to `text`: not to text
    /// outside ASCII, whose letters fold, nor with a hyphen, whose joined
    /// forms span it.
    fn applies(text: &str) -> bool {
        text.is_ascii() && !text.contains('-')
    }

    /// False only when no query term can occur in `text`, which
    /// [`PassageFilter::applies`] to. `lowered` is scratch space.
    fn may_match(&self, text: &str, lowered: &mut Vec<u8>) -> bool {
        lowered.clear();
        lowered.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
        self.needles
            .iter()
            .any(|needle| memchr::memmem::find(lowered, needle).is_some())
    }

    /// False only when no query term can be the term of `word`. A word
    /// with a letter outside ASCII, which analysis may fold, always can.
    fn may_be_term(&self, word: &str) -> bool {
        if !word.is_ascii() {
            return true;
        }
        let word = word.as_bytes();
        self.word_needles.iter().any(|needle| {
            word.len() >= needle.len() && word[..needle.len()].eq_ignore_ascii_case(needle)
        })
    }
}

/// Up to `n` passages of a session, best first. Headings are chosen only
/// when no other passage matches; when nothing matches, the first
/// paragraph is shown. `analyzer` must be the indexing chain
/// ([`Analyzer::indexing`]).
pub fn best_passages(
    passages: &[Passage],
    terms: &[HighlightTerm],
    analyzer: &mut Analyzer,
    n: usize,
) -> Vec<ShownPassage> {
    let mut scored: Vec<(f32, usize, ByteRanges)> = Vec::new();
    let mut tokens = Vec::new();
    let filter = PassageFilter::new(terms, analyzer.exceptions());
    let mut lowered = Vec::new();
    for (ord, passage) in passages.iter().enumerate() {
        match &filter {
            Some(f) => {
                if PassageFilter::applies(&passage.text)
                    && !f.may_match(&passage.text, &mut lowered)
                {
                    continue;
                }
                analyzer.kept_tokens_into(&passage.text, |w| f.may_be_term(w), &mut tokens);
            }
            None => analyzer.tokens_into(&passage.text, &mut tokens),
        }
        let (mut score, ranges) = match_passage(&tokens, terms);
        if passage.kind == PassageKind::Heading {
            score *= 0.1;
        }
        if score > 0.0 {
            scored.push((score, ord, ranges));
        }
    }
    if scored.is_empty() {
        let first = passages
            .iter()
            .position(|p| p.kind != PassageKind::Heading)
            .or(if passages.is_empty() { None } else { Some(0) });
        if let Some(ord) = first {
            scored.push((0.0, ord, Vec::new()));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(n.max(1))
        .map(|(score, ord, ranges)| {
            let (text, highlights) = snippet(&passages[ord].text, &ranges);
            ShownPassage {
                text,
                highlights,
                page: passages[ord].page,
                para: passages[ord].para.clone(),
                score,
                ord,
            }
        })
        .collect()
}

/// Cuts `text` to at most about [`SNIPPET_CHARS`] characters around the
/// densest run of highlights, at word boundaries, marking cuts with "…".
/// Returns the snippet and its highlights as character offsets.
pub fn snippet(text: &str, byte_ranges: &[(usize, usize)]) -> (String, Vec<[usize; 2]>) {
    let total_chars = text.chars().count();
    let (start, end) = if total_chars <= SNIPPET_CHARS {
        (0, text.len())
    } else {
        window(text, byte_ranges)
    };
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let prefix_chars = out.chars().count();
    out.push_str(&text[start..end]);
    if end < text.len() {
        out.push('…');
    }
    let to_chars = |byte: usize| text[start..byte].chars().count() + prefix_chars;
    let highlights = byte_ranges
        .iter()
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|&(s, e)| [to_chars(s), to_chars(e)])
        .collect();
    (out, highlights)
}

/// The byte window of a long text to show: it starts a little before the
/// highlight that has the most other highlights within reach, and is cut
/// at whitespace.
fn window(text: &str, ranges: &[(usize, usize)]) -> (usize, usize) {
    let budget = SNIPPET_CHARS * 3; // bytes, generous for multi-byte text
    let anchor = ranges
        .iter()
        .map(|&(s, _)| {
            let covered = ranges
                .iter()
                .filter(|&&(s2, _)| s2 >= s && s2 < s + SNIPPET_CHARS)
                .count();
            (covered, s)
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map_or(0, |(_, s)| s);
    // Start about 60 characters before the anchor, at a word boundary; or
    // at the beginning when the anchor is near it, since a cut that saves a
    // few words costs the reader the start of the sentence.
    let mut start = anchor;
    let mut back = 0;
    let anchor_chars = text[..anchor].chars().count();
    for (i, c) in text[..anchor].char_indices().rev() {
        if anchor_chars <= SNIPPET_CHARS / 3 {
            start = 0;
            break;
        }
        back += 1;
        if back > 60 && c.is_whitespace() {
            start = i + c.len_utf8();
            break;
        }
        start = i;
    }
    // End after SNIPPET_CHARS characters, at a word boundary.
    let mut end = text.len();
    let mut count = 0;
    for (i, c) in text[start..].char_indices() {
        count += 1;
        if count >= SNIPPET_CHARS && c.is_whitespace() {
            end = start + i;
            break;
        }
        if i > budget * 2 {
            end = start + i;
            break;
        }
    }
    (start, end.max(start))
}

/// Edit distance (insertions, deletions, substitutions) between two words.
pub fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(words: &[&str], weight: f32) -> HighlightTerm {
        let mut a = Analyzer::default();
        HighlightTerm {
            terms: words.iter().flat_map(|w| a.terms(w)).collect(),
            weight,
            prefix: false,
            fuzzy: None,
        }
    }

    fn para(text: &str) -> Passage {
        Passage::new(text.into(), PassageKind::Paragraph, None)
    }

    #[test]
    fn best_passage_covers_most_terms() {
        let passages = [
            para("Arms arms arms everywhere."),
            para("Arms trafficking by terrorists."),
            para("Nothing here."),
        ];
        let terms = [term(&["arms"], 1.0), term(&["trafficking"], 1.0)];
        let shown = best_passages(&passages, &terms, &mut Analyzer::indexing(), 1);
        assert_eq!(shown[0].text, "Arms trafficking by terrorists.");
        assert_eq!(shown[0].highlights, vec![[0, 4], [5, 16]]);
    }

    #[test]
    fn phrase_highlight_spans_the_phrase() {
        let passages = [para("Linked to “trafficking in persons”, drugs.")];
        let terms = [term(&["trafficking in persons"], 2.0)];
        let shown = best_passages(&passages, &terms, &mut Analyzer::indexing(), 1);
        let [s, e] = shown[0].highlights[0];
        let text: String = shown[0].text.chars().skip(s).take(e - s).collect();
        assert_eq!(text, "trafficking in persons");
    }

    #[test]
    fn the_passage_filter_finds_every_match() {
        let words = [
            "skies",
            "sky",
            "Trafficking",
            "traffickers",
            "trafficked",
            "visibility",
            "visible",
            "happy",
            "happiness",
            "lying",
            "lie",
            "organised",
            "organized",
            "Organization",
            "INTERPOL's",
            "counter-terrorism",
            "counterterrorism",
            "Côte",
            "naïve",
            "e-mail",
            "2018",
            "x",
            "in",
            "persons",
            "arms",
            "ARMS",
            "weaponry",
            "generously",
            "news",
            "armed",
            "traffic",
            "IEDs",
            "organisations",
            "importance",
            "import",
        ];
        let mut next = crate::test_support::xorshift();
        let mut analyzer = Analyzer::indexing();
        let mut lowered = Vec::new();
        let mut tokens = Vec::new();
        let mut kept = Vec::new();
        for round in 0..4000 {
            let text: Vec<&str> = (0..1 + next(8)).map(|_| words[next(words.len())]).collect();
            let text = text.join([" ", ", ", " (", "-"][next(4)]);
            let mut query = term(
                &(0..1 + next(2))
                    .map(|_| words[next(words.len())])
                    .collect::<Vec<_>>()
                    .join(" ")
                    .split_whitespace()
                    .collect::<Vec<_>>(),
                1.0,
            );
            if next(3) == 0
                && let Some(t) = query.terms.last_mut()
            {
                let cut = t.len() - next(t.len().min(3));
                if t.is_char_boundary(cut) && cut > 0 {
                    t.truncate(cut);
                    query.prefix = true;
                }
            }
            let terms = [query];
            let Some(filter) = PassageFilter::new(&terms, analyzer.exceptions()) else {
                continue;
            };
            analyzer.tokens_into(&text, &mut tokens);
            let whole = match_passage(&tokens, &terms);
            if whole.0 > 0.0 && PassageFilter::applies(&text) {
                assert!(
                    filter.may_match(&text, &mut lowered),
                    "round {round}: {text:?} {:?}",
                    terms[0]
                );
            }
            analyzer.kept_tokens_into(&text, |w| filter.may_be_term(w), &mut kept);
            assert_eq!(
                match_passage(&kept, &terms),
                whole,
                "round {round}: {text:?} {:?}",
                terms[0]
            );
        }
    }

    #[test]
    fn every_word_that_has_a_query_term_is_highlighted() {
        let passages = [
            para("Under clear skies, no arms."),
            para("Armed groups and an army."),
            para("Illicit traffic in IEDs."),
        ];
        let terms = [
            term(&["sky"], 1.0),
            term(&["arms"], 1.0),
            term(&["trafficking"], 1.0),
            term(&["IED"], 1.0),
        ];
        let shown = best_passages(&passages, &terms, &mut Analyzer::indexing(), 3);
        assert_eq!(shown.len(), 2);
        assert_eq!(shown[0].highlights, vec![[12, 17], [22, 26]]);
        assert_eq!(shown[1].highlights, vec![[8, 15], [19, 23]]);
    }

    #[test]
    fn snippets_cut_at_word_boundaries_with_ellipsis() {
        let long = "é ".repeat(300) + "needle " + &"ü ".repeat(300);
        let start = long.find("needle").unwrap_or(0);
        let (text, hl) = snippet(&long, &[(start, start + 6)]);
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert!(text.chars().count() <= SNIPPET_CHARS + 3);
        let [s, e] = hl[0];
        let word: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(word, "needle");
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("traffic", "trafic"), 1);
        assert_eq!(levenshtein("", "ab"), 2);
    }
}
