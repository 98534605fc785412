//! Text analysis shared by indexing, tagging, query parsing and highlighting.
//!
//! Every place that turns text into terms goes through the same chain, so a
//! term found by the tagger, a term in the index and a term highlighted in a
//! passage are always the same term.
//!
//! Two variants exist. The *indexing* chain also emits the joined form of a
//! hyphenated word at the position of its first part ("counter-terrorism" →
//! `counter`, `counterterror`, `terror`), so a search for
//! "counterterrorism" finds "counter-terrorism" while a search for either
//! half, or the hyphenated phrase, still works. The *query* chain does not
//! join: a query's words stay a simple sequence for phrases and tagging.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, Stemmer, TextAnalyzer,
    Token as TantivyToken, TokenStream, Tokenizer,
};

/// Name under which the indexing chain is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "ctsearch_en";

/// Version of the analysis chain; part of the index fingerprint so that a
/// change here makes the next run rebuild the index instead of mixing terms.
pub const ANALYSIS_VERSION: u32 = 2;

/// Splits text into runs of alphanumeric characters, like tantivy's
/// `SimpleTokenizer`, optionally adding joined forms of hyphenated words.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer {
    pub join_hyphenated: bool,
}

pub struct WordTokenStream {
    tokens: Vec<TantivyToken>,
    next: usize,
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream {
        let mut tokens: Vec<TantivyToken> = Vec::new();
        let mut position = 0;
        let mut chars = text.char_indices().peekable();
        // Start of the current hyphenated chain: (token index, byte start).
        let mut chain: Option<(usize, usize)> = None;
        let mut chain_len = 0;
        while let Some((start, c)) = chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = chars.peek() {
                if !c.is_alphanumeric() {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            let continues_chain = self.join_hyphenated
                && chain.is_some()
                && tokens.last().is_some_and(|t| {
                    let gap = &text[t.offset_to..start];
                    gap.chars().count() == 1 && gap.chars().all(is_hyphen)
                });
            if !continues_chain {
                finish_chain(text, &mut tokens, chain, chain_len);
                chain = Some((tokens.len(), start));
                chain_len = 0;
            }
            chain_len += 1;
            tokens.push(TantivyToken {
                offset_from: start,
                offset_to: end,
                position,
                text: text[start..end].to_string(),
                position_length: 1,
            });
            position += 1;
        }
        finish_chain(text, &mut tokens, chain, chain_len);
        WordTokenStream { tokens, next: 0 }
    }
}

/// Inserts the joined form of a finished hyphenated chain of `len` words
/// right after its first word, at the first word's position.
fn finish_chain(
    text: &str,
    tokens: &mut Vec<TantivyToken>,
    chain: Option<(usize, usize)>,
    len: usize,
) {
    let Some((first, start)) = chain else {
        return;
    };
    if len < 2 {
        return;
    }
    let last = first + len - 1;
    let (Some(first_token), Some(last_token)) = (tokens.get(first), tokens.get(last)) else {
        return;
    };
    let end = last_token.offset_to;
    let joined: String = text[start..end]
        .chars()
        .filter(|c| !is_hyphen(*c))
        .collect();
    let token = TantivyToken {
        offset_from: start,
        offset_to: end,
        position: first_token.position,
        text: joined,
        position_length: len,
    };
    tokens.insert(first + 1, token);
}

impl TokenStream for WordTokenStream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &TantivyToken {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.tokens[self.next - 1]
    }
}

fn chain(join_hyphenated: bool) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer { join_hyphenated })
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The English indexing chain: words split on anything not alphanumeric
/// (plus joined hyphenated forms), lowercased, diacritics folded
/// (Côte → cote), and Snowball-stemmed.
///
/// Stop words are deliberately kept in the index: removing them would break
/// phrases such as "trafficking in persons". The query side decides which
/// words it may drop.
pub fn analyzer() -> TextAnalyzer {
    chain(true)
}

/// One analyzed word of a text: its term, its byte range in the text and
/// its position (a joined hyphenated form shares its first part's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}

/// Reusable analyzer for callers that analyze many texts.
pub struct Analyzer {
    inner: TextAnalyzer,
}

impl Default for Analyzer {
    /// The query chain: no joined forms.
    fn default() -> Self {
        Analyzer {
            inner: chain(false),
        }
    }
}

impl Analyzer {
    /// The indexing chain, with joined hyphenated forms; for matching query
    /// terms against passages exactly as the index does.
    pub fn indexing() -> Self {
        Analyzer { inner: chain(true) }
    }

    /// Analyzes `text` into tokens with byte offsets into `text`.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            out.push(Token {
                term: token.text.clone(),
                start: token.offset_from,
                end: token.offset_to,
                position: token.position,
            });
        }
        out
    }

    /// Analyzes `text` and returns only the terms.
    pub fn terms(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_diacritics_and_stems() {
        let mut a = Analyzer::default();
        assert_eq!(a.terms("Côte d'Ivoire"), a.terms("cote D'IVOIRE"));
        assert_eq!(a.terms("Trafficking"), vec!["traffick".to_string()]);
        assert_eq!(a.terms("firearms"), a.terms("firearm"));
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let mut a = Analyzer::default();
        let text = "The “push-and-pull” factors";
        let tokens = a.tokens(text);
        assert_eq!(&text[tokens[1].start..tokens[1].end], "push");
        assert_eq!(&text[tokens[4].start..tokens[4].end], "factors");
    }

    #[test]
    fn indexing_adds_joined_hyphenated_forms_at_the_first_position() {
        let mut a = Analyzer::indexing();
        let text = "a counter-terrorism law";
        let tokens = a.tokens(text);
        let terms: Vec<(&str, usize)> = tokens
            .iter()
            .map(|t| (t.term.as_str(), t.position))
            .collect();
        assert_eq!(
            terms,
            [
                ("a", 0),
                ("counter", 1),
                ("counterterror", 1),
                ("terror", 2),
                ("law", 3)
            ]
        );
        assert_eq!(&text[tokens[2].start..tokens[2].end], "counter-terrorism");
        assert_eq!(
            Analyzer::default().terms("counterterrorism"),
            ["counterterror"]
        );
        // Spaced dashes are not hyphens.
        assert_eq!(Analyzer::indexing().terms("arms - drugs").len(), 2);
    }
}
