//! Text analysis shared by indexing, tagging, query parsing and highlighting.
//!
//! Every place that turns text into terms goes through [`analyzer`], so a term
//! found by the tagger, a term in the index and a term highlighted in a
//! passage are always the same term.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};

/// Name under which [`analyzer`] is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "ctsearch_en";

/// Version of the analysis chain; part of the index fingerprint so that a
/// change here makes the next run rebuild the index instead of mixing terms.
pub const ANALYSIS_VERSION: u32 = 1;

/// The English analysis chain: words split on anything not alphanumeric,
/// lowercased, diacritics folded (Côte → cote), and Snowball-stemmed.
///
/// Stop words are deliberately kept in the index: removing them would break
/// phrases such as "trafficking in persons". The query side decides which
/// words it may drop.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

/// One analyzed word of a text: its term and its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub term: String,
    pub start: usize,
    pub end: usize,
}

/// Reusable tokenizer for callers that analyze many texts.
pub struct Analyzer {
    inner: TextAnalyzer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { inner: analyzer() }
    }
}

impl Analyzer {
    /// Analyzes `text` into tokens with byte offsets into `text`.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            out.push(Token {
                term: token.text.clone(),
                start: token.offset_from,
                end: token.offset_to,
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
}
