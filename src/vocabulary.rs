//! The vocabulary every command runs with: the taxonomy (crime types and
//! organizations), the synonym and acronym list, and the stop words, each
//! a data file a user can read and extend, loaded once per process.

use std::collections::HashSet;
use std::path::PathBuf;

use std::sync::Arc;

use anyhow::Result;

use crate::analysis::{Analyzer, StemmingExceptions};

use crate::synonyms::Synonyms;
use crate::taxonomy::Taxonomy;

/// The stop list shipped with ctsearch.
pub const BUILTIN_STOP_WORDS: &str = include_str!("../data/stopwords.txt");

/// Words dropped from free text when a query has other words: they match
/// nearly every session and only add noise to the ranking. Phrases keep
/// every word, and the index keeps them all.
#[derive(Debug, Clone, Default)]
pub struct StopWords {
    words: HashSet<String>,
}

impl StopWords {
    /// The built-in list (`data/stopwords.txt`).
    pub fn builtin() -> StopWords {
        StopWords::parse(BUILTIN_STOP_WORDS)
    }

    /// Reads a stop list: one lowercase word per line, `#` starts a comment.
    pub fn parse(text: &str) -> StopWords {
        let words = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|word| !word.is_empty())
            .map(str::to_lowercase)
            .collect();
        StopWords { words }
    }

    /// Whether `word` (already lowercased) is a stop word.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

/// Where the vocabulary's files come from; `None` means the built-in one.
#[derive(Debug, Clone, Default)]
pub struct VocabularyOptions {
    /// A taxonomy replacing the built-in one.
    pub taxonomy: Option<PathBuf>,
    /// A synonym list extending the built-in one.
    pub synonyms: Option<PathBuf>,
    /// No synonym expansion at all.
    pub no_synonyms: bool,
    /// Stemming exceptions extending the built-in ones (data/stemming.txt).
    pub stemming: Option<PathBuf>,
}

/// The loaded vocabulary.
pub struct Vocabulary {
    /// The stemming exceptions every analysis of this vocabulary uses.
    pub exceptions: Arc<StemmingExceptions>,
    pub taxonomy: Taxonomy,
    pub synonyms: Synonyms,
    pub stop_words: StopWords,
}

impl Vocabulary {
    /// Loads the vocabulary `options` name; the error names the file.
    pub fn load(options: &VocabularyOptions) -> Result<Vocabulary> {
        let exceptions = Arc::new(StemmingExceptions::load(options.stemming.as_deref())?);
        let taxonomy =
            Taxonomy::load(options.taxonomy.as_deref())?.with_exceptions(exceptions.clone());
        let synonyms = if options.no_synonyms {
            Synonyms::none()
        } else {
            Synonyms::load_with_exceptions(options.synonyms.as_deref(), exceptions.clone())?
        };
        Ok(Vocabulary {
            exceptions,
            taxonomy,
            synonyms,
            stop_words: StopWords::builtin(),
        })
    }

    /// The query chain with this vocabulary's stemming exceptions.
    pub fn query_analyzer(&self) -> Analyzer {
        Analyzer::default().with_exceptions(self.exceptions.clone())
    }

    /// The indexing chain (for highlighting stored text) with this
    /// vocabulary's stemming exceptions.
    pub fn text_analyzer(&self) -> Analyzer {
        Analyzer::indexing().with_exceptions(self.exceptions.clone())
    }

    /// The built-in vocabulary.
    pub fn builtin() -> Result<Vocabulary> {
        Vocabulary::load(&VocabularyOptions::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_skip_comments_and_blank_lines() {
        let stop = StopWords::parse("# a comment\nthe\n\n  Of  # trailing\n");
        assert!(stop.contains("the"));
        assert!(stop.contains("of"));
        assert!(!stop.contains("a comment"));
        assert!(StopWords::builtin().contains("and"));
    }
}
