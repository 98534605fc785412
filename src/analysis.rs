//! Text analysis shared by indexing, tagging, query parsing and highlighting.
//!
//! Every place that turns text into terms goes through the same chain, so a
//! term found by the tagger, a term in the index and a term highlighted in a
//! passage are always the same term.
//!
//! A word's term is the word lowercased, its diacritics folded, and then
//! either the term that the stemming exceptions give it
//! (`data/stemming.txt`, see [`StemmingExceptions`]) or its Snowball
//! (Porter2) English stem.
//!
//! Two variants exist. The *indexing* chain also emits the joined form of a
//! hyphenated word at the position of its first part ("counter-terrorism" →
//! `counter`, `counterterror`, `terror`), so a search for
//! "counterterrorism" finds "counter-terrorism" while a search for either
//! half, or the hyphenated phrase, still works. The *query* chain does not
//! join: a query's words stay a simple sequence for phrases and tagging.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer,
    Token as TantivyToken, TokenStream, Tokenizer,
};

/// Name under which the indexing chain is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "ctsearch_en";

/// Version of the analysis chain; part of the index fingerprint so that a
/// change here makes the next run rebuild the index instead of mixing terms.
/// (5: the stemming exceptions of `data/stemming.txt`.)
pub const ANALYSIS_VERSION: u32 = 5;

/// The stemming exceptions shipped with ctsearch.
pub const BUILTIN_STEMMING: &str = include_str!("../data/stemming.txt");

/// Words this long or longer (in bytes) are not indexed: they are data, not
/// language, and would bloat the term dictionary.
const MAX_WORD_BYTES: usize = 64;

/// Entries kept in each thread's normalization cache before it is cleared.
const CACHE_LIMIT: usize = 200_000;

/// Words whose term is not their Snowball stem: protected words, which are
/// their own term ("arms", so that it is not "armed"), and mapped words,
/// whose term is written next to them ("traffic = traffick").
///
/// Read from `data/stemming.txt` (built in, see the file for the format
/// and the decisions behind each entry), which a user's file extends.
/// Indexing and querying must use the same list: [`fingerprint`] is what
/// the index records of it.
///
/// [`fingerprint`]: StemmingExceptions::fingerprint
#[derive(Debug, Clone)]
pub struct StemmingExceptions {
    /// Lowercased, folded word → its term.
    terms: FxHashMap<Box<str>, Box<str>>,
    /// Tells this list apart from the others of the process, for the
    /// per-thread word → term caches; a list gets a new id whenever its
    /// entries change.
    id: u64,
}

/// The source of [`StemmingExceptions::id`]; 0 is no list.
static NEXT_EXCEPTIONS_ID: AtomicU64 = AtomicU64::new(1);

impl StemmingExceptions {
    /// No exceptions: every word gets its Snowball stem.
    pub fn none() -> StemmingExceptions {
        StemmingExceptions {
            terms: FxHashMap::default(),
            id: NEXT_EXCEPTIONS_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The exceptions of one file's text (format: `data/stemming.txt`),
    /// without the built-in list.
    pub fn parse(text: &str) -> Result<StemmingExceptions> {
        let mut exceptions = StemmingExceptions::none();
        exceptions.add(text)?;
        Ok(exceptions)
    }

    /// The built-in list (`data/stemming.txt`).
    pub fn builtin() -> Result<StemmingExceptions> {
        StemmingExceptions::parse(BUILTIN_STEMMING)
            .context("reading the built-in stemming exceptions")
    }

    /// The built-in list, extended by the file `extra` if given: its
    /// entries are added to the built-in ones, and replace them for the
    /// words both list.
    pub fn load(extra: Option<&Path>) -> Result<StemmingExceptions> {
        let mut exceptions = StemmingExceptions::builtin()?;
        if let Some(path) = extra {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading stemming exceptions {}", path.display()))?;
            exceptions
                .add(&text)
                .with_context(|| format!("in stemming exceptions {}", path.display()))?;
        }
        Ok(exceptions)
    }

    /// The entries, one `word=term` per word in word order: what decides
    /// the index's terms, so the index fingerprints it (comments and the
    /// order of lines do not count).
    pub fn fingerprint(&self) -> String {
        let sorted: BTreeMap<&str, &str> = self.terms.iter().map(|(w, t)| (&**w, &**t)).collect();
        let mut out = String::new();
        for (word, term) in sorted {
            out.push_str(word);
            out.push('=');
            out.push_str(term);
            out.push(';');
        }
        out
    }

    /// The beginning that every ASCII word whose term is `term` (or, if
    /// `open_ended`, whose term starts with `term`) has, lowercased: a
    /// prefix of `term`. For a word the list does not name this is the
    /// stemmer's [`stable_prefix`] (for an open-ended term, all but the
    /// last two bytes of `term`, which begin every term it matches); it is
    /// shortened to what the listed words with such a term share.
    pub fn word_prefix<'t>(&self, term: &'t str, open_ended: bool) -> &'t str {
        let mut len = if open_ended {
            term.len().saturating_sub(2).max(1).min(term.len())
        } else {
            stable_prefix(term).len()
        };
        for (word, listed) in &self.terms {
            let has = if open_ended {
                listed.starts_with(term)
            } else {
                **listed == *term
            };
            if has && word.is_ascii() {
                len = len.min(common_prefix_len(word, term));
            }
        }
        while !term.is_char_boundary(len) {
            len -= 1;
        }
        &term[..len]
    }

    /// The term the list gives a lowercased, folded word, if it lists it.
    fn get(&self, folded: &str) -> Option<&str> {
        self.terms.get(folded).map(|term| &**term)
    }

    /// Adds the entries of a file's text. A line is
    /// - `word, word, ...`: protected words, each its own term;
    /// - `word, word, ... = term`: mapped words, each with that term;
    ///
    /// and `#` starts a comment. Words and terms are single words (letters
    /// and digits), taken lowercased and folded as text is. A line that
    /// gives a word the term it already has (from the stemmer, or an
    /// earlier list) is an error: it is always a mistake, such as
    /// protecting a word that the stemmer leaves alone.
    fn add(&mut self, text: &str) -> Result<()> {
        // The words of this text so far, and their lines.
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        let mut stem = String::new();
        for (index, line) in text.lines().enumerate() {
            let number = index + 1;
            let content = line.split('#').next().unwrap_or("").trim();
            if content.is_empty() {
                continue;
            }
            let (words, term) = match content.split_once('=') {
                Some((words, term)) => (words, Some(term)),
                None => (content, None),
            };
            let term = term
                .map(|term| exception_word(term, "term"))
                .transpose()
                .with_context(|| format!("line {number}"))?;
            for word in words.split(',') {
                let word =
                    exception_word(word, "word").with_context(|| format!("line {number}"))?;
                if let Some(first) = seen.get(&word) {
                    anyhow::bail!("line {number}: `{word}` is already listed on line {first}");
                }
                let term = term.clone().unwrap_or_else(|| word.clone());
                let current = match self.get(&word) {
                    Some(listed) => listed,
                    None => {
                        stem_into(&word, &mut stem);
                        stem.as_str()
                    }
                };
                if current == term {
                    anyhow::bail!(
                        "line {number}: `{word}` already has the term `{term}`, so the line \
                         changes nothing (to part it from the words that share that term, give \
                         it a term of its own)"
                    );
                }
                seen.insert(word.clone(), number);
                self.terms.insert(word.into(), term.into());
            }
        }
        self.id = NEXT_EXCEPTIONS_ID.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

/// How many leading bytes `a` and `b` share.
fn common_prefix_len(a: &str, b: &str) -> usize {
    a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count()
}

/// One word of a stemming exceptions line, lowercased and folded; `what`
/// names it in the error.
fn exception_word(text: &str, what: &str) -> Result<String> {
    let text = text.trim();
    if text.is_empty() {
        anyhow::bail!("a {what} is missing");
    }
    if text.contains('=') {
        anyhow::bail!("more than one `=`");
    }
    if !text.chars().all(char::is_alphanumeric) {
        anyhow::bail!("the {what} `{text}` is not one word (letters and digits only)");
    }
    if text.len() >= MAX_WORD_BYTES {
        anyhow::bail!("the {what} `{text}` is too long to be indexed");
    }
    let mut folded = String::new();
    fold_into(text, &mut folded);
    Ok(folded)
}

/// The built-in list, shared by every analyzer made without a list of its
/// own.
pub(crate) fn builtin_exceptions() -> Arc<StemmingExceptions> {
    static BUILTIN: OnceLock<Arc<StemmingExceptions>> = OnceLock::new();
    BUILTIN
        .get_or_init(|| {
            // A unit test parses the built-in list: this cannot fail in a
            // build whose tests pass.
            Arc::new(StemmingExceptions::builtin().expect("data/stemming.txt parses"))
        })
        .clone()
}

/// A word of up to `Short::MAX` bytes, held inline: the cache's key for
/// nearly every word of a corpus, compared and hashed as three machine
/// words instead of through a pointer and `memcmp`.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Short([u64; 3]);

impl Short {
    /// Bytes held; the last of the 24 is the length.
    const MAX: usize = 23;

    fn new(text: &str) -> Option<Short> {
        let bytes = text.as_bytes();
        let len = bytes.len();
        if len > Short::MAX {
            return None;
        }
        Some(Short([
            load8(bytes, 0),
            load8(bytes, 8),
            load8(bytes, 16) | (len as u64) << 56,
        ]))
    }
}

impl std::hash::Hash for Short {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0[0] ^ self.0[1].rotate_left(21) ^ self.0[2].rotate_left(42));
    }
}

/// Short words → their terms, as ranges of one string of terms.
#[derive(Default)]
struct ShortCache {
    ranges: FxHashMap<Short, (u32, u32)>,
    terms: String,
}

impl ShortCache {
    fn get(&self, key: &Short) -> Option<&str> {
        let &(start, end) = self.ranges.get(key)?;
        self.terms.get(start as usize..end as usize)
    }

    fn insert(&mut self, key: Short, term: &str) {
        if self.ranges.len() >= CACHE_LIMIT {
            self.ranges.clear();
            self.terms.clear();
        }
        let start = self.terms.len() as u32;
        self.terms.push_str(term);
        self.ranges.insert(key, (start, self.terms.len() as u32));
    }
}

thread_local! {
    /// Raw word → term. Stemming is most of the cost of analysis, and a
    /// corpus repeats the same few thousand words endlessly.
    /// Terms are kept end to end in one string (`ShortCache::terms`), so
    /// that looking one up reads memory that its neighbours share.
    static SHORT_CACHE: RefCell<ShortCache> = RefCell::new(ShortCache::default());
    /// The same, for the few words too long to hold inline.
    static CACHE: RefCell<FxHashMap<Box<str>, Box<str>>> = RefCell::new(FxHashMap::default());
    /// The id of the stemming exceptions whose terms the caches hold.
    static CACHE_OWNER: Cell<u64> = const { Cell::new(0) };
    static FOLDER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .build(),
    );
    static STEMMER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// Writes `word` lowercased, with diacritics folded (Côte → cote), into
/// `out`.
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    FOLDER.with(|f| {
        let mut f = f.borrow_mut();
        let mut stream = f.token_stream(word);
        if let Some(t) = stream.next() {
            out.push_str(&t.text);
        }
    });
}

/// Writes the Snowball English stem of a lowercased, folded word into `out`.
fn stem_into(folded: &str, out: &mut String) {
    out.clear();
    STEMMER.with(|s| {
        let mut s = s.borrow_mut();
        let mut stream = s.token_stream(folded);
        if let Some(t) = stream.next() {
            out.push_str(&t.text);
        }
    });
}

/// The term of a raw word, without the caches.
fn term_into(word: &str, exceptions: &StemmingExceptions, out: &mut String) {
    let mut folded = String::new();
    fold_into(word, &mut folded);
    match exceptions.get(&folded) {
        Some(term) => {
            out.clear();
            out.push_str(term);
        }
        None => stem_into(&folded, out),
    }
}

/// Writes the term of a raw word into `out`, with the built-in stemming
/// exceptions: see [`normalize_with`].
pub fn normalize_into(word: &str, out: &mut String) -> bool {
    normalize_with(word, &builtin_exceptions(), out)
}

/// Writes the term of a raw word into `out`: lowercased, diacritics
/// folded (Côte → cote), and then given the term that `exceptions` lists
/// for it or else Snowball-stemmed. Returns false, leaving `out` empty,
/// for a word too long to index.
pub fn normalize_with(word: &str, exceptions: &StemmingExceptions, out: &mut String) -> bool {
    out.clear();
    if word.len() >= MAX_WORD_BYTES {
        return false;
    }
    // The caches hold the terms of one list at a time.
    if CACHE_OWNER.get() != exceptions.id {
        SHORT_CACHE.with(|c| *c.borrow_mut() = ShortCache::default());
        CACHE.with(|c| c.borrow_mut().clear());
        CACHE_OWNER.set(exceptions.id);
    }
    // A word is cached in one of the two maps, by its length.
    let short = Short::new(word);
    let cached = match short {
        Some(key) => SHORT_CACHE.with(|c| c.borrow().get(&key).map(|term| out.push_str(term))),
        None => CACHE.with(|c| c.borrow().get(word).map(|term| out.push_str(term))),
    };
    if cached.is_some() {
        return true;
    }
    term_into(word, exceptions, out);
    match short {
        Some(key) => SHORT_CACHE.with(|c| c.borrow_mut().insert(key, out)),
        None => CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= CACHE_LIMIT {
                c.clear();
            }
            c.insert(word.into(), out.as_str().into());
        }),
    }
    true
}

/// The part of a Snowball term that every lowercased ASCII word with this
/// stem starts with. The stemmer keeps a word's beginning and rewrites its
/// end, and only these rewrites leave a stem that is not a prefix of the
/// word: y becomes i ("happy" → "happi"), an e is restored ("hoping" →
/// "hope", "lying" → "lie"), "-bility" becomes "bl" ("possibility" →
/// "possibl"), and "skies" becomes "sky". So a term ending in e, i or bl
/// keeps all but its last two bytes, one ending in y all but its last,
/// and any other term is itself a prefix of the word.
///
/// This is a property of the stemmer alone: a word that the stemming
/// exceptions list has the term the list gives it, which
/// [`StemmingExceptions::word_prefix`] accounts for.
/// `examples/stem-prefixes.rs` checks the rule on any text.
pub fn stable_prefix(term: &str) -> &str {
    let cut = if term.ends_with('e') || term.ends_with('i') || term.ends_with("bl") {
        2
    } else if term.ends_with('y') {
        1
    } else {
        0
    };
    let mut len = term.len().saturating_sub(cut).max(1).min(term.len());
    while !term.is_char_boundary(len) {
        len += 1;
    }
    &term[..len]
}

/// Calls `f` with each term of `text` in reading order (the query chain:
/// no joined forms, built-in stemming exceptions), without allocating per
/// word.
pub fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let mut tokenizer = WordTokenizer::default();
    let mut stream = tokenizer.token_stream(text);
    while stream.advance() {
        f(&stream.token().text);
    }
}

/// Calls `f` with each raw word of `text` that has a term (the words
/// `for_each_term` would analyze, in the same order), unanalyzed: for
/// callers that analyze only the words they need (see `normalize_into`).
pub fn for_each_word<'a>(text: &'a str, mut f: impl FnMut(&'a str)) {
    let mut cursor = 0;
    while let Some(start) = word_start(text, cursor) {
        let end = word_end(text, start);
        cursor = end;
        if end - start < MAX_WORD_BYTES {
            f(&text[start..end]);
        }
    }
}

/// Terms that the index also keeps joined to the term that follows them,
/// as one term ("in persons", at the position of "in"). They are in most
/// sessions, and a phrase through them ("trafficking in persons") would
/// otherwise read all their positions in every session that has the
/// other words. With the pair, the phrase reads the positions of "in
/// persons" instead, which only few sessions have. The two glue terms are
/// the commonest inside the field's phrases ("financing of terrorism",
/// "weapons of mass destruction"); each more costs the index a token per
/// occurrence.
pub const GLUE_TERMS: [&str; 2] = ["in", "of"];

/// Writes into `out` the term of a glue term joined to the term that
/// follows it. A space joins them: no word has one, so no word's term is
/// ever a pair.
pub fn glue_into(glue: &str, next: &str, out: &mut String) {
    out.clear();
    out.push_str(glue);
    out.push(' ');
    out.push_str(next);
}

/// Whether the index pairs `term` with the term after it.
pub fn is_glue(term: &str) -> bool {
    GLUE_TERMS.contains(&term)
}

/// Splits text into runs of alphanumeric characters, like tantivy's
/// `SimpleTokenizer`, optionally adding joined forms of hyphenated words
/// and pairs of a glue term and the next term (see [`GLUE_TERMS`]), and
/// gives each its term under a list of stemming exceptions (by default
/// the built-in one).
#[derive(Clone, Debug)]
pub struct WordTokenizer {
    pub join_hyphenated: bool,
    pub glue_pairs: bool,
    exceptions: Arc<StemmingExceptions>,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            join_hyphenated: false,
            glue_pairs: false,
            exceptions: builtin_exceptions(),
        }
    }
}

/// Streams the words of a text, reusing one token (no allocation per word
/// once the normalization cache is warm).
pub struct WordTokenStream<'a> {
    text: &'a str,
    exceptions: &'a StemmingExceptions,
    /// Byte offset where the search for the next word starts.
    cursor: usize,
    /// Position of the next word.
    position: usize,
    join_hyphenated: bool,
    /// End of the hyphenated chain being walked: words inside it start no
    /// new chain.
    chain_end: usize,
    /// A joined form to emit before the next word: (start, end, position).
    pending_join: Option<(usize, usize, usize)>,
    glue_pairs: bool,
    /// A glue pair to emit next: (start, end, position); its term is in
    /// `pair`.
    pending_pair: Option<(usize, usize, usize)>,
    pair: String,
    token: TantivyToken,
    raw: String,
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Byte-parallel classification: eight bytes of text in a `u64`, one
/// answer per byte in its high bit.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Bytes `at..at + 8` of `bytes` as a little-endian word, zeros past the end.
///
/// Why the end is not copied to a buffer and read back: a copy of variable
/// length is a call and stores of other sizes than the load that follows,
/// which then waits for them (store forwarding fails), and the word
/// cache's keys are mostly words shorter than eight bytes.
#[inline]
fn load8(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..) {
        Some(rest) if rest.len() >= 8 => {
            let mut word = [0u8; 8];
            word.copy_from_slice(&rest[..8]);
            u64::from_le_bytes(word)
        }
        Some(rest) => le_partial(rest),
        None => 0,
    }
}

/// Up to seven bytes as a little-endian word, zeros above, read with two
/// overlapping loads (overlapping bytes are equal, so or-ing them is exact).
#[inline]
fn le_partial(b: &[u8]) -> u64 {
    let n = b.len();
    if n >= 4 {
        let lo = u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let hi = u64::from(u32::from_le_bytes([b[n - 4], b[n - 3], b[n - 2], b[n - 1]]));
        lo | hi << (8 * (n - 4))
    } else if n >= 2 {
        let lo = u64::from(u16::from_le_bytes([b[0], b[1]]));
        let hi = u64::from(u16::from_le_bytes([b[n - 2], b[n - 1]]));
        lo | hi << (8 * (n - 2))
    } else {
        b.first().map_or(0, |&b| u64::from(b))
    }
}

/// High bit set in each byte of `x` that is in `lo..=hi` (ASCII bytes only;
/// `hi` < 0x7f).
#[inline]
fn bytes_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let y = x | HIGH;
    let at_least_lo = y.wrapping_sub(ONES * u64::from(lo));
    let above_hi = y.wrapping_sub(ONES * (u64::from(hi) + 1));
    at_least_lo & !above_hi & !x & HIGH
}

/// High bit set in each byte of `x` that is an ASCII letter or digit.
#[inline]
fn ascii_alnum(x: u64) -> u64 {
    bytes_in_range(x, b'0', b'9') | bytes_in_range(x | (ONES * 0x20), b'a', b'z')
}

/// ASCII bytes that are letters or digits.
const ASCII_ALNUM: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// End of the alphanumeric run starting at `start` (ASCII fast path: most
/// text of the corpus is ASCII).
///
/// Why eight bytes at a time: most words fit in one eight-byte step, so
/// the loop ends without the mispredicted branch that a byte loop pays at
/// every word's end.
fn word_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = start;
    loop {
        while i + 8 <= bytes.len() {
            let stop = !ascii_alnum(load8(bytes, i)) & HIGH;
            if stop != 0 {
                i += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i)
            && b < 0x80
            && ASCII_ALNUM[usize::from(b)]
        {
            i += 1;
        }
        match bytes.get(i) {
            Some(&b) if b >= 0x80 => match text[i..].chars().next() {
                Some(c) if c.is_alphanumeric() => i += c.len_utf8(),
                _ => return i,
            },
            _ => return i,
        }
    }
}

/// Start of the next alphanumeric run at or after `from`.
fn word_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    loop {
        while i + 8 <= bytes.len() {
            let x = load8(bytes, i);
            let stop = ascii_alnum(x) | (x & HIGH);
            if stop != 0 {
                i += (stop.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i)
            && b < 0x80
            && !ASCII_ALNUM[usize::from(b)]
        {
            i += 1;
        }
        let &b = bytes.get(i)?;
        if b < 0x80 {
            return Some(i);
        }
        match text[i..].chars().next() {
            Some(c) if c.is_alphanumeric() => return Some(i),
            Some(c) => i += c.len_utf8(),
            None => return None,
        }
    }
}

/// End of the hyphenated chain whose first word ends at `end`, if the word
/// is followed by a single hyphen and another word.
#[inline]
fn chain_end(text: &str, end: usize) -> Option<usize> {
    // Asked after every word, and nearly every word is followed by a space
    // or punctuation: one byte, checked where the word ends, tells that no
    // hyphen follows (a hyphen is '-', or U+2010 or U+2011, whose UTF-8
    // starts with 0xE2).
    if matches!(text.as_bytes().get(end), Some(b'-' | 0xE2)) {
        hyphen_chain_end(text, end)
    } else {
        None
    }
}

/// `chain_end`, once a hyphen may follow.
fn hyphen_chain_end(text: &str, mut end: usize) -> Option<usize> {
    let first_end = end;
    loop {
        let mut rest = text[end..].chars();
        match (rest.next(), rest.next()) {
            (Some(h), Some(c)) if is_hyphen(h) && c.is_alphanumeric() => {
                end = word_end(text, end + h.len_utf8());
            }
            _ => break,
        }
    }
    (end > first_end).then_some(end)
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordTokenStream<'a> {
        WordTokenStream {
            text,
            exceptions: &self.exceptions,
            cursor: 0,
            position: 0,
            join_hyphenated: self.join_hyphenated,
            chain_end: 0,
            pending_join: None,
            glue_pairs: self.glue_pairs,
            pending_pair: None,
            pair: String::new(),
            token: TantivyToken::default(),
            raw: String::new(),
        }
    }
}

impl TokenStream for WordTokenStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            if let Some((start, end, position)) = self.pending_pair.take() {
                std::mem::swap(&mut self.token.text, &mut self.pair);
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = position;
                self.token.position_length = 2;
                return true;
            }
            if let Some((start, end, position)) = self.pending_join.take() {
                self.raw.clear();
                self.raw
                    .extend(self.text[start..end].chars().filter(|c| !is_hyphen(*c)));
                if normalize_with(&self.raw, self.exceptions, &mut self.token.text) {
                    self.token.offset_from = start;
                    self.token.offset_to = end;
                    self.token.position = position;
                    self.token.position_length = 2;
                    return true;
                }
                continue;
            }
            let Some(start) = word_start(self.text, self.cursor) else {
                return false;
            };
            let end = word_end(self.text, start);
            self.cursor = end;
            let position = self.position;
            self.position += 1;
            if self.join_hyphenated
                && start >= self.chain_end
                && let Some(chain) = chain_end(self.text, end)
            {
                self.chain_end = chain;
                self.pending_join = Some((start, chain, position));
            }
            if normalize_with(
                &self.text[start..end],
                self.exceptions,
                &mut self.token.text,
            ) {
                self.token.offset_from = start;
                self.token.offset_to = end;
                self.token.position = position;
                self.token.position_length = 1;
                if self.glue_pairs && is_glue(&self.token.text) {
                    self.queue_pair(start, position);
                }
                return true;
            }
        }
    }

    fn token(&self) -> &TantivyToken {
        &self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        &mut self.token
    }
}

impl WordTokenStream<'_> {
    /// Queues the pair of the glue term just read (the current token,
    /// starting at `start`) and the next word's term, if a word with a
    /// term follows. The next word is analyzed again when its turn comes,
    /// from the normalization cache.
    fn queue_pair(&mut self, start: usize, position: usize) {
        let Some(next) = word_start(self.text, self.cursor) else {
            return;
        };
        let next_end = word_end(self.text, next);
        if !normalize_with(&self.text[next..next_end], self.exceptions, &mut self.raw) {
            return;
        }
        glue_into(&self.token.text, &self.raw, &mut self.pair);
        self.pending_pair = Some((start, next_end, position));
    }
}

fn chain(
    join_hyphenated: bool,
    glue_pairs: bool,
    exceptions: Arc<StemmingExceptions>,
) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer {
        join_hyphenated,
        glue_pairs,
        exceptions,
    })
    .build()
}

/// The English indexing chain: words split on anything not alphanumeric
/// (plus joined hyphenated forms), lowercased, diacritics folded
/// (Côte → cote), and Snowball-stemmed but for the built-in stemming
/// exceptions.
///
/// Stop words are deliberately kept in the index: removing them would break
/// phrases such as "trafficking in persons". The query side decides which
/// words it may drop. The index also has the pairs of [`GLUE_TERMS`].
pub fn analyzer() -> TextAnalyzer {
    analyzer_with_exceptions(builtin_exceptions())
}

/// [`analyzer`], with a list of stemming exceptions of its own (such as
/// the built-in list extended by a user's file). The index must then be
/// queried, tagged and highlighted with the same list.
pub fn analyzer_with_exceptions(exceptions: Arc<StemmingExceptions>) -> TextAnalyzer {
    chain(true, true, exceptions)
}

/// A word of a text, or the joined form of a hyphenated chain (see
/// [`Analyzer::each_piece`]), with its byte range in the text.
struct Piece<'t> {
    text: &'t str,
    start: usize,
    end: usize,
    /// The joined form of the chain starting at the previous word.
    joined: bool,
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

/// What stands, in [`Analyzer::positional_terms`], for a word without a
/// term: no query term is ever this (terms are alphanumeric).
pub const NO_TERM: &str = "_";

/// A text's terms for a whitespace engine ([`Analyzer::positional_terms`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionalTerms {
    /// One term per word position, joined by spaces.
    pub words: String,
    /// The joined forms of hyphenated words, joined by spaces.
    pub joined: String,
}

/// Reusable analyzer for callers that analyze many texts.
pub struct Analyzer {
    inner: TextAnalyzer,
    join_hyphenated: bool,
    exceptions: Arc<StemmingExceptions>,
}

impl Default for Analyzer {
    /// The query chain: no joined forms, the built-in stemming exceptions.
    fn default() -> Self {
        let exceptions = builtin_exceptions();
        Analyzer {
            inner: chain(false, false, exceptions.clone()),
            join_hyphenated: false,
            exceptions,
        }
    }
}

impl Analyzer {
    /// The indexing chain, with joined hyphenated forms (not the glue
    /// pairs, which only phrase queries use); for matching query terms
    /// against passages exactly as the index does.
    pub fn indexing() -> Self {
        let exceptions = builtin_exceptions();
        Analyzer {
            inner: chain(true, false, exceptions.clone()),
            join_hyphenated: true,
            exceptions,
        }
    }

    /// The same chain with another list of stemming exceptions:
    /// `Analyzer::indexing().with_exceptions(list)`.
    pub fn with_exceptions(self, exceptions: Arc<StemmingExceptions>) -> Self {
        Analyzer {
            inner: chain(self.join_hyphenated, false, exceptions.clone()),
            join_hyphenated: self.join_hyphenated,
            exceptions,
        }
    }

    /// The stemming exceptions this analyzer applies.
    pub fn exceptions(&self) -> &StemmingExceptions {
        &self.exceptions
    }

    /// Analyzes `text` into tokens with byte offsets into `text`.
    pub fn tokens(&mut self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokens_into(text, &mut out);
        out
    }

    /// `tokens`, into `out` (replacing what it held): the tokens' strings
    /// are reused, so analyzing many texts in turn allocates little.
    pub fn tokens_into(&mut self, text: &str, out: &mut Vec<Token>) {
        let mut n = 0;
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            match out.get_mut(n) {
                Some(slot) => {
                    slot.term.clear();
                    slot.term.push_str(&token.text);
                    slot.start = token.offset_from;
                    slot.end = token.offset_to;
                    slot.position = token.position;
                }
                None => out.push(Token {
                    term: token.text.clone(),
                    start: token.offset_from,
                    end: token.offset_to,
                    position: token.position,
                }),
            }
            n += 1;
        }
        out.truncate(n);
    }

    /// The tokens that `tokens_into` makes of `text`, less those of the
    /// words (and joined hyphenated forms) that `keep` rejects: these are
    /// counted, so the others keep their positions, but neither stemmed
    /// nor returned.
    ///
    /// Why: the best passages of a hit need the tokens of the query's words
    /// only, and most words of a passage are none of them.
    pub fn kept_tokens_into(
        &self,
        text: &str,
        mut keep: impl FnMut(&str) -> bool,
        out: &mut Vec<Token>,
    ) {
        let mut n = 0;
        let mut push = |term: &mut String, start: usize, end: usize, position: usize| {
            let token = Token {
                term: std::mem::take(term),
                start,
                end,
                position,
            };
            match out.get_mut(n) {
                Some(slot) => *term = std::mem::replace(slot, token).term,
                None => out.push(token),
            }
            n += 1;
        };
        let mut term = String::new();
        let mut position = 0;
        let mut next = 0;
        self.each_piece(text, |piece| {
            if !piece.joined {
                position = next;
                next += 1;
            }
            if keep(piece.text) && normalize_with(piece.text, &self.exceptions, &mut term) {
                push(&mut term, piece.start, piece.end, position);
            }
        });
        out.truncate(n);
    }

    /// Calls `on` with each word of `text` in order and, after a word that
    /// starts a hyphenated chain (with hyphen joining on), the chain's
    /// joined form, which belongs at that word's position: the walk of
    /// `WordTokenStream`, for the readers that need no token stream.
    fn each_piece(&self, text: &str, mut on: impl FnMut(Piece<'_>)) {
        let mut joined = String::new();
        let mut cursor = 0;
        let mut chain_until = 0;
        while let Some(start) = word_start(text, cursor) {
            let end = word_end(text, start);
            cursor = end;
            on(Piece {
                text: &text[start..end],
                start,
                end,
                joined: false,
            });
            if self.join_hyphenated
                && start >= chain_until
                && let Some(chain) = chain_end(text, end)
            {
                chain_until = chain;
                joined.clear();
                joined.extend(text[start..chain].chars().filter(|c| !is_hyphen(*c)));
                on(Piece {
                    text: &joined,
                    start,
                    end: chain,
                    joined: true,
                });
            }
        }
    }

    /// The terms of `text` as the index holds them, for an engine that
    /// only splits on whitespace (an export): `words` has one term per
    /// word position, in order, joined by spaces ([`NO_TERM`] for a word
    /// too long to have one, so that the positions stay the index's);
    /// `joined` has the joined forms of hyphenated words ("counterterror"
    /// for "counter-terrorism"), which the index holds at their first
    /// part's position and a whitespace engine can hold only apart. The
    /// glue pairs are not written: they only speed up phrases, which the
    /// single terms at their positions answer alike.
    pub fn positional_terms(&self, text: &str) -> PositionalTerms {
        let mut out = PositionalTerms::default();
        let mut term = String::new();
        let push = |into: &mut String, term: &str| {
            if !into.is_empty() {
                into.push(' ');
            }
            into.push_str(term);
        };
        self.each_piece(text, |piece| {
            let normalized = normalize_with(piece.text, &self.exceptions, &mut term);
            match (piece.joined, normalized) {
                (false, true) => push(&mut out.words, &term),
                (false, false) => push(&mut out.words, NO_TERM),
                (true, true) => push(&mut out.joined, &term),
                (true, false) => {}
            }
        });
        out
    }

    /// Calls `f` with each term of `text`, in order, without collecting them.
    pub fn for_each_term(&mut self, text: &str, mut f: impl FnMut(&str)) {
        let mut stream = self.inner.token_stream(text);
        while let Some(token) = stream.next() {
            f(&token.text);
        }
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
    fn short_keys_hold_the_bytes_and_the_length() {
        let mut next = crate::test_support::xorshift();
        for len in 0..=Short::MAX + 1 {
            let text: String = (0..len).map(|_| (b'a' + next(26) as u8) as char).collect();
            let key = Short::new(&text);
            if len > Short::MAX {
                assert!(key.is_none());
                continue;
            }
            let mut bytes = [0u8; 24];
            bytes[..len].copy_from_slice(text.as_bytes());
            bytes[23] = len as u8;
            let expected: Vec<u64> = bytes
                .chunks(8)
                .map(|c| c.iter().rev().fold(0u64, |w, &b| w << 8 | u64::from(b)))
                .collect();
            assert_eq!(key.map(|k| k.0.to_vec()), Some(expected), "{text:?}");
        }
    }

    #[test]
    fn word_boundaries_match_a_character_scan() {
        // The plain definition: runs of alphanumeric characters.
        fn words_by_chars(text: &str) -> Vec<(usize, usize)> {
            let mut words = Vec::new();
            let mut start = None;
            for (i, c) in text.char_indices() {
                match (c.is_alphanumeric(), start) {
                    (true, None) => start = Some(i),
                    (false, Some(s)) => {
                        words.push((s, i));
                        start = None;
                    }
                    _ => {}
                }
            }
            if let Some(s) = start {
                words.push((s, text.len()));
            }
            words
        }
        let pieces = [
            "a",
            "Arms",
            "trafficking",
            "9",
            "2018",
            "Côte",
            "naïve",
            "ÉTATS",
            "é",
            "—",
            "“",
            " ",
            "  ",
            ", ",
            "-",
            "\n",
            "\u{a0}",
            "counterterrorism",
            "x1y2z3",
            "日本",
            ".",
        ];
        let mut next = crate::test_support::xorshift();
        for round in 0..5000 {
            let mut text = String::new();
            for _ in 0..next(24) {
                text.push_str(pieces[next(pieces.len())]);
            }
            let mut found = Vec::new();
            let mut cursor = 0;
            while let Some(start) = word_start(&text, cursor) {
                let end = word_end(&text, start);
                found.push((start, end));
                cursor = end;
            }
            assert_eq!(found, words_by_chars(&text), "round {round}: {text:?}");
        }
    }

    #[test]
    fn cached_terms_are_the_analyzed_terms() {
        let words = [
            "Trafficking",
            "trafficking",
            "Côte",
            "x",
            "internationalization",
            "Counterterrorismcommitteeexecutivedirectorate",
            "ÆSIR",
            "straße",
            "Arms",
            "ARMS",
        ];
        let builtin = builtin_exceptions();
        let other = StemmingExceptions::parse("trafficking = zzz\n").expect("parses");
        let mut out = String::new();
        let mut expected = String::new();
        // Twice over, and switching lists: a cached term is always the
        // term of the list asked for.
        for _ in 0..2 {
            for exceptions in [&*builtin, &other, &*builtin] {
                for word in words {
                    assert!(normalize_with(word, exceptions, &mut out));
                    term_into(word, exceptions, &mut expected);
                    assert_eq!(out, expected, "{word}");
                }
            }
        }
        assert!(normalize_with("Trafficking", &other, &mut out));
        assert_eq!(out, "zzz");
        assert!(!normalize_into(&"a".repeat(MAX_WORD_BYTES), &mut out));
    }

    #[test]
    fn words_are_the_words_terms_come_from() {
        let text = "The counter-terrorism “push-and-pull” factors, 9/11 and Côte d'Ivoire";
        let mut from_words = Vec::new();
        let mut term = String::new();
        for_each_word(text, |w| {
            normalize_into(w, &mut term);
            from_words.push(term.clone());
        });
        let mut from_terms = Vec::new();
        for_each_term(text, |t| from_terms.push(t.to_string()));
        assert_eq!(from_words, from_terms);
    }

    #[test]
    fn folds_case_diacritics_and_stems() {
        let mut a = Analyzer::default();
        assert_eq!(a.terms("Côte d'Ivoire"), a.terms("cote D'IVOIRE"));
        assert_eq!(a.terms("Trafficking"), vec!["traffick".to_string()]);
        assert_eq!(a.terms("firearms"), a.terms("firearm"));
    }

    /// Words with every ending the English Snowball stemmer rewrites, and
    /// the words it treats as exceptions of its own.
    fn stemmer_test_words() -> Vec<String> {
        let stems = [
            "relat", "organ", "hop", "happ", "visib", "possib", "electr", "activ", "valen",
            "gener", "nation", "commun", "arm", "financ", "terror", "fight", "traffick", "sanct",
            "stat", "min", "cr", "t", "agr", "proc", "hop", "fil", "plan", "rat", "sens",
            "univers", "polic", "criminal", "radical", "form", "effect", "decis", "hope", "us",
            "cat", "pon", "l", "d", "sk", "gent", "earl", "on", "sing", "id", "ug", "luxuri",
            "comfort", "analog", "realiz", "author", "stabil", "respons", "sens", "generos",
        ];
        let endings = [
            "", "s", "es", "ies", "ied", "ed", "ing", "ingly", "edly", "eed", "eedly", "ly", "y",
            "ily", "ally", "ably", "ibly", "ency", "ancy", "ational", "tional", "enci", "anci",
            "abli", "entli", "izer", "izers", "ization", "izations", "isation", "ation", "ations",
            "ator", "alism", "aliti", "ality", "alli", "fulness", "ousli", "ousness", "iveness",
            "iviti", "ivity", "biliti", "bility", "bilities", "bli", "ble", "ogi", "ogy", "fulli",
            "fully", "lessli", "lessly", "li", "alize", "alise", "icate", "iciti", "icity", "ical",
            "ically", "ful", "ness", "ative", "al", "ance", "ence", "er", "ers", "ic", "able",
            "ible", "ant", "ement", "ment", "ments", "ent", "ism", "isms", "ist", "ists", "ate",
            "ated", "ating", "iti", "ity", "ities", "ous", "ously", "ive", "ives", "ize", "ized",
            "izing", "ise", "ised", "ising", "ion", "ions", "sion", "tion", "e", "ee", "ie", "ss",
            "sses", "us", "ll", "pping", "tted", "bled", "iz", "at", "bl", "iest", "ier", "iness",
        ];
        let mut words: Vec<String> = Vec::new();
        for stem in stems {
            for ending in endings {
                words.push(format!("{stem}{ending}"));
            }
        }
        // The stemmer's own exceptions and invariant words, and ones whose
        // beginning counts as shorter than usual (gener-, commun-, arsen-).
        words.extend(
            [
                "skis",
                "skies",
                "sky",
                "dying",
                "lying",
                "tying",
                "idly",
                "gently",
                "ugly",
                "early",
                "only",
                "singly",
                "news",
                "howe",
                "atlas",
                "cosmos",
                "bias",
                "andes",
                "inning",
                "innings",
                "outing",
                "outings",
                "canning",
                "cannings",
                "herring",
                "herrings",
                "earring",
                "earrings",
                "proceed",
                "exceed",
                "succeed",
                "generously",
                "generation",
                "communism",
                "community",
                "arsenal",
                "arsenals",
                "yes",
                "yesterday",
                "say",
                "saying",
                "played",
                "toy",
                "toys",
                "cried",
                "cries",
                "ties",
                "tied",
                "happiness",
                "visibility",
                "possibility",
                "dies",
                "lie",
                "lies",
                "y",
                "ys",
                "a",
            ]
            .map(str::to_string),
        );
        words
    }

    #[test]
    fn every_word_starts_with_its_stems_stable_prefix() {
        let plain = StemmingExceptions::none();
        let mut term = String::new();
        let words = stemmer_test_words();
        let mut rewritten = 0;
        for word in &words {
            for spelling in [word.clone(), word.to_uppercase()] {
                assert!(normalize_with(&spelling, &plain, &mut term));
                if !word.starts_with(term.as_str()) {
                    rewritten += 1;
                }
                let prefix = stable_prefix(&term);
                assert!(
                    word.starts_with(prefix),
                    "{spelling} → {term}: no prefix {prefix:?}"
                );
            }
        }
        // The list reaches the rewrites (the stems that are no prefix),
        // among them the one that once broke the rule.
        assert!(rewritten > 100, "{rewritten}");
        assert!(normalize_with("skies", &plain, &mut term) && term == "sky");
        // A protected word is its own term, which keeps the rule.
        let builtin = builtin_exceptions();
        for word in ["arms", "Arms"] {
            assert!(normalize_with(word, &builtin, &mut term));
            assert!(word.to_lowercase().starts_with(stable_prefix(&term)));
        }
    }

    #[test]
    fn every_listed_word_starts_with_its_terms_word_prefix() {
        let builtin = builtin_exceptions();
        let mut term = String::new();
        let mut words = stemmer_test_words();
        words.extend(builtin.terms.keys().map(|w| w.to_string()));
        words.extend(["skies", "traffic", "traffics", "ieds", "organisations"].map(str::to_string));
        for word in &words {
            assert!(normalize_with(word, &builtin, &mut term));
            let prefix = builtin.word_prefix(&term, false);
            assert!(
                word.starts_with(prefix),
                "{word} → {term}: no prefix {prefix:?}"
            );
            // An open-ended term matches the terms it begins.
            for cut in 0..term.len().min(3) {
                let Some(begin) = term.get(..term.len() - cut).filter(|b| !b.is_empty()) else {
                    continue;
                };
                let prefix = builtin.word_prefix(begin, true);
                assert!(
                    word.starts_with(prefix),
                    "{word} → {term} ({begin}*): {prefix:?}"
                );
            }
        }
        // A mapped word shortens the prefix of its term.
        assert_eq!(builtin.word_prefix("traffick", false), "traffic");
        assert_eq!(
            StemmingExceptions::none().word_prefix("traffick", false),
            "traffick"
        );
        assert_eq!(builtin.word_prefix("ied", false), "ied");
        assert_eq!(builtin.word_prefix("sky", false), "sk");
    }

    #[test]
    fn kept_tokens_are_the_indexing_tokens_that_keep_accepts() {
        let texts = [
            "a counter-terrorism law",
            "state-of-the-art, well-known and co-operation\u{2011}led",
            "Côte d’Ivoire’s naïve e-mail — INTERPOL's 2018 data",
            "trafficking in persons - arms, drugs-",
            "the law, the laws and a by-law",
            "-leading hyphen and trailing- words -- spaced",
            &"x".repeat(70),
            "",
        ];
        let own = Arc::new(StemmingExceptions::parse("law = statute\n").expect("parses"));
        let mut full = Vec::new();
        let mut kept = Vec::new();
        for (text, mut analyzer) in texts.iter().flat_map(|text| {
            [
                Analyzer::indexing(),
                Analyzer::default(),
                Analyzer::indexing().with_exceptions(own.clone()),
            ]
            .map(|a| (*text, a))
        }) {
            analyzer.tokens_into(text, &mut full);
            analyzer.kept_tokens_into(text, |_| true, &mut kept);
            assert_eq!(kept, full, "{text:?}");
            let starts_with_t = |w: &str| w.starts_with(['t', 'T']);
            analyzer.kept_tokens_into(text, starts_with_t, &mut kept);
            let expected: Vec<Token> = full
                .iter()
                .filter(|t| {
                    let raw: String = text[t.start..t.end]
                        .chars()
                        .filter(|c| !is_hyphen(*c))
                        .collect();
                    starts_with_t(&raw)
                })
                .cloned()
                .collect();
            assert_eq!(kept, expected, "{text:?}");
        }
    }

    #[test]
    fn the_builtin_exceptions_part_the_fields_words() {
        let mut a = Analyzer::default();
        let mut term = |word: &str| a.terms(word).join(" ");
        // Weapons are not the armed, an arm or an army.
        assert_eq!(term("arms"), "arms");
        assert_eq!(term("Arms"), term("ARMS"));
        for other in ["arm", "armed", "army", "armies"] {
            assert_ne!(term("arms"), term(other), "{other}");
        }
        assert_eq!(term("arm"), term("armed"));
        // Body organs (and the organs of the UN) are not organized crime
        // nor organizations, and the two spellings of each are one.
        assert_eq!(term("organs"), term("organ"));
        for other in ["organized", "organised", "organization", "organisations"] {
            assert_ne!(term("organs"), term(other), "{other}");
        }
        assert_eq!(term("organised"), term("organized"));
        assert_eq!(term("organisations"), term("organization"));
        assert_ne!(term("organized"), term("organization"));
        // And the others of data/stemming.txt.
        for (a_word, b_word) in [
            ("fighters", "fight"),
            ("united", "units"),
            ("national", "nations"),
            ("goods", "good"),
            ("forced", "forces"),
            ("mining", "mines"),
            ("IEDs", "I"),
            ("important", "import"),
            ("transitional", "transit"),
            ("conventional", "convention"),
            ("authorities", "authorizes"),
            ("financiers", "financial"),
        ] {
            assert_ne!(term(a_word), term(b_word), "{a_word} / {b_word}");
        }
        for (a_word, b_word) in [
            ("terror", "terrorism"),
            ("traffic", "trafficking"),
            ("financiers", "financing"),
            ("nationals", "national"),
            ("IEDs", "IED"),
            ("defence", "defense"),
            ("sanctioned", "sanctions"),
        ] {
            assert_eq!(term(a_word), term(b_word), "{a_word} / {b_word}");
        }
    }

    #[test]
    fn every_chain_applies_the_exceptions() {
        let text = "Arms, armed and arms-trafficking";
        let mut index = analyzer();
        let mut stream = index.token_stream(text);
        let mut indexed = Vec::new();
        while let Some(t) = stream.next() {
            indexed.push(t.text.clone());
        }
        assert_eq!(
            indexed,
            ["arms", "arm", "and", "arms", "armstraffick", "traffick"]
        );
        assert_eq!(
            Analyzer::indexing().terms(text),
            ["arms", "arm", "and", "arms", "armstraffick", "traffick"]
        );
        assert_eq!(
            Analyzer::default().terms(text),
            ["arms", "arm", "and", "arms", "traffick"]
        );
        let mut terms = Vec::new();
        for_each_term(text, |t| terms.push(t.to_string()));
        assert_eq!(terms, ["arms", "arm", "and", "arms", "traffick"]);
        // A list of one's own, in each chain.
        let own = Arc::new(StemmingExceptions::parse("armed = weaponed\n").expect("parses"));
        let mut index = analyzer_with_exceptions(own.clone());
        let mut stream = index.token_stream("armed arms");
        let mut indexed = Vec::new();
        while let Some(t) = stream.next() {
            indexed.push(t.text.clone());
        }
        assert_eq!(indexed, ["weaponed", "arm"]);
        for analyzer in [
            Analyzer::default().with_exceptions(own.clone()),
            Analyzer::indexing().with_exceptions(own.clone()),
        ] {
            let mut analyzer = analyzer;
            assert_eq!(analyzer.terms("armed arms"), ["weaponed", "arm"]);
        }
        assert_eq!(
            Analyzer::indexing().with_exceptions(own).terms("co-armed"),
            ["co", "coarm", "weaponed"]
        );
    }

    #[test]
    fn a_users_list_extends_the_builtin_one() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("stemming.txt");
        std::fs::write(
            &path,
            "# the user's own\nfought = fight   # the past tense joins its verb\narms = arm\n",
        )
        .expect("written");
        let builtin = StemmingExceptions::load(None).expect("built-in list");
        let extended = StemmingExceptions::load(Some(&path)).expect("extended list");
        let mut term = String::new();
        assert!(normalize_with("fought", &builtin, &mut term) && term == "fought");
        assert!(normalize_with("fought", &extended, &mut term) && term == "fight");
        // A user's line replaces the built-in entry for its word, and the
        // others stay.
        assert!(normalize_with("arms", &builtin, &mut term) && term == "arms");
        assert!(normalize_with("arms", &extended, &mut term) && term == "arm");
        assert!(normalize_with("goods", &extended, &mut term) && term == "goods");
        assert_ne!(builtin.fingerprint(), extended.fingerprint());
        assert_eq!(
            builtin.fingerprint(),
            StemmingExceptions::builtin()
                .expect("built-in")
                .fingerprint()
        );
        // Comments and order do not change the fingerprint.
        let a = StemmingExceptions::parse("arms\ngoods # weapons\n").expect("parses");
        let b = StemmingExceptions::parse("# x\ngoods, arms\n").expect("parses");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert!(StemmingExceptions::load(Some(&dir.path().join("missing.txt"))).is_err());
    }

    #[test]
    fn malformed_lines_are_errors_with_their_line_number() {
        let long = format!("{}\n", "a".repeat(MAX_WORD_BYTES));
        let cases = [
            ("arms\n\nsmall arms\n", "line 3"),
            ("# c\narms = \n", "line 2"),
            ("= arms\n", "line 1"),
            ("arms = arm = weapons\n", "line 1"),
            ("arms\narms-trade = arms\n", "line 2"),
            (
                "goods\nunits\nfights\narms\narms\n",
                "line 5: `arms` is already listed on line 4",
            ),
            ("organ\n", "line 1: `organ` already has the term `organ`"),
            ("organs = organ\n", "changes nothing"),
            (
                "mines, Minés\n",
                "line 1: `mines` is already listed on line 1",
            ),
            (&long, "line 1"),
        ];
        for (text, expected) in cases {
            let error = match StemmingExceptions::parse(text) {
                Ok(_) => panic!("{text:?} parsed"),
                Err(error) => format!("{error:#}"),
            };
            assert!(error.contains(expected), "{text:?}: {error}");
        }
        // What is well formed.
        let e =
            StemmingExceptions::parse("  Arms , GOODS # c\nMinés = Mine2\n\n#\n").expect("parses");
        assert_eq!(e.fingerprint(), "arms=arms;goods=goods;mines=mine2;");
    }

    #[test]
    fn the_builtin_list_parses() {
        let builtin = StemmingExceptions::builtin().expect("data/stemming.txt parses");
        assert!(builtin.terms.len() > 10);
        assert_eq!(builtin.fingerprint(), builtin_exceptions().fingerprint());
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

    #[test]
    fn positional_terms_are_the_index_terms_at_their_positions() {
        let text = "Counter-terrorism: trafficking in persons, the x\u{301}y of \
                    supercalifragilisticexpialidocioussupercalifragilisticexpialidocious States.";
        let analyzer = Analyzer::indexing();
        let exported = analyzer.positional_terms(text);
        let words: Vec<&str> = exported.words.split(' ').collect();
        let mut index = chain(true, false, builtin_exceptions());
        let mut stream = index.token_stream(text);
        let mut joined = Vec::new();
        while let Some(token) = stream.next() {
            if token.position_length == 2 {
                joined.push(token.text.clone());
            } else {
                assert_eq!(words[token.position], token.text, "{words:?}");
            }
        }
        assert_eq!(exported.joined.split(' ').collect::<Vec<_>>(), joined);
        assert!(words.contains(&NO_TERM));
        assert_eq!(words[0], "counter");
    }

    #[test]
    fn the_index_pairs_glue_terms_with_the_next_term_at_their_position() {
        let text = "Trafficking in persons, drugs of counter-terrorism in";
        let mut index = analyzer();
        let mut stream = index.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(t) = stream.next() {
            tokens.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        let expected = [
            ("traffick", 0, "Trafficking"),
            ("in", 1, "in"),
            ("in person", 1, "in persons"),
            ("person", 2, "persons"),
            ("drug", 3, "drugs"),
            ("of", 4, "of"),
            ("of counter", 4, "of counter"),
            ("counter", 5, "counter"),
            ("counterterror", 5, "counter-terrorism"),
            ("terror", 6, "terrorism"),
            // A glue term at the end has nothing to pair with.
            ("in", 7, "in"),
        ];
        let expected: Vec<(String, usize, &str)> = expected
            .iter()
            .map(|(t, p, s)| (t.to_string(), *p, *s))
            .collect();
        assert_eq!(tokens, expected);
        // Passages are matched without the pairs, which only phrase
        // queries use.
        assert!(
            !Analyzer::indexing()
                .terms(text)
                .iter()
                .any(|t| t.contains(' '))
        );
    }
}
