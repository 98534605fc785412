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

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, Stemmer, TextAnalyzer,
    Token as TantivyToken, TokenStream, Tokenizer,
};

/// Name under which the indexing chain is registered in the tantivy index.
pub const ANALYZER_NAME: &str = "ctsearch_en";

/// Version of the analysis chain; part of the index fingerprint so that a
/// change here makes the next run rebuild the index instead of mixing terms.
pub const ANALYSIS_VERSION: u32 = 4;

/// Words this long or longer (in bytes) are not indexed: they are data, not
/// language, and would bloat the term dictionary.
const MAX_WORD_BYTES: usize = 64;

/// Entries kept in each thread's normalization cache before it is cleared.
const CACHE_LIMIT: usize = 200_000;

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
    static NORMALIZER: RefCell<TextAnalyzer> = RefCell::new(
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build(),
    );
}

/// Writes the term of a raw word into `out`: lowercased, diacritics
/// folded (Côte → cote), Snowball-stemmed. Returns false, leaving `out`
/// empty, for a word too long to index.
pub fn normalize_into(word: &str, out: &mut String) -> bool {
    out.clear();
    if word.len() >= MAX_WORD_BYTES {
        return false;
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
    NORMALIZER.with(|n| {
        let mut n = n.borrow_mut();
        let mut stream = n.token_stream(word);
        if let Some(t) = stream.next() {
            out.push_str(&t.text);
        }
    });
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

/// Calls `f` with each term of `text` in reading order (the query chain:
/// no joined forms), without allocating per word.
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

/// The word (byte range) starting at `start`, which must be a word start,
/// if it has a term (is shorter than `MAX_WORD_BYTES`).
pub fn word_at(text: &str, start: usize) -> Option<(usize, usize)> {
    let end = word_end(text, start);
    (end > start && end - start < MAX_WORD_BYTES).then_some((start, end))
}

/// The first word with a term at or after byte `from`: the next word
/// `for_each_word` would give.
pub fn next_word(text: &str, mut from: usize) -> Option<(usize, usize)> {
    loop {
        let start = word_start(text, from)?;
        let end = word_end(text, start);
        if end - start < MAX_WORD_BYTES {
            return Some((start, end));
        }
        from = end;
    }
}

/// The last word with a term ending at or before byte `before` (a char
/// boundary that is not inside a word): the word `for_each_word` would
/// give before the one at `before`.
pub fn previous_word(text: &str, mut before: usize) -> Option<(usize, usize)> {
    loop {
        let end = last_alnum_end(text, before)?;
        let start = word_start_before(text, end);
        if end - start < MAX_WORD_BYTES {
            return Some((start, end));
        }
        before = start;
    }
}

/// The end of the last alphanumeric character at or before byte `before`.
fn last_alnum_end(text: &str, mut before: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    loop {
        let &b = bytes.get(before.checked_sub(1)?)?;
        if b < 0x80 {
            if ASCII_ALNUM[usize::from(b)] {
                return Some(before);
            }
            before -= 1;
            continue;
        }
        let c = text.get(..before)?.chars().next_back()?;
        if c.is_alphanumeric() {
            return Some(before);
        }
        before -= c.len_utf8();
    }
}

/// The start of the word ending at byte `end`.
fn word_start_before(text: &str, mut end: usize) -> usize {
    let bytes = text.as_bytes();
    while end > 0 {
        let b = bytes[end - 1];
        if b < 0x80 {
            if !ASCII_ALNUM[usize::from(b)] {
                break;
            }
            end -= 1;
            continue;
        }
        match text.get(..end).and_then(|t| t.chars().next_back()) {
            Some(c) if c.is_alphanumeric() => end -= c.len_utf8(),
            _ => break,
        }
    }
    end
}

/// The word around byte `at`, which must be inside a word (on an
/// alphanumeric character): its start and end, whatever its length.
pub fn word_around(text: &str, at: usize) -> (usize, usize) {
    let start = word_start_before(text, at);
    (start, word_end(text, start).max(at))
}

/// Whether byte `at` of `text` starts a word: an alphanumeric character
/// not preceded by one.
pub fn is_word_start(text: &str, at: usize) -> bool {
    let starts_alnum = text
        .get(at..)
        .and_then(|t| t.chars().next())
        .is_some_and(char::is_alphanumeric);
    starts_alnum && word_start_before(text, at) == at
}

/// Terms that the index also keeps joined to the term that follows them,
/// as one term ("in persons", at the position of "in"). They are in most
/// sessions, and a phrase through them ("trafficking in persons") would
/// otherwise read all their positions in every session that has the
/// other words: at 200,000 briefings, more than half of such a search.
/// With the pair, the phrase reads the positions of "in persons" instead,
/// which only few sessions have. The two glue terms are the commonest
/// inside the field's phrases ("financing of terrorism", "weapons of mass
/// destruction") and one word in twenty of its text; each more costs the
/// build a token per occurrence ("and" alone would add 2.6 % of tokens
/// and 2 % of build time).
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
/// and pairs of a glue term and the next term (see [`GLUE_TERMS`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer {
    pub join_hyphenated: bool,
    pub glue_pairs: bool,
}

/// Streams the words of a text, reusing one token (no allocation per word
/// once the normalization cache is warm).
pub struct WordTokenStream<'a> {
    text: &'a str,
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
pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
pub(crate) const HIGH: u64 = 0x8080_8080_8080_8080;

/// Bytes `at..at + 8` of `bytes` as a little-endian word, zeros past the end.
///
/// Why the end is not copied to a buffer and read back: a copy of variable
/// length is a call and stores of other sizes than the load that follows,
/// which then waits for them (store forwarding fails). For the word cache's
/// keys, mostly words shorter than eight bytes, that wait was a fifth of
/// the analysis.
#[inline]
pub(crate) fn load8(bytes: &[u8], at: usize) -> u64 {
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
pub(crate) fn bytes_in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let y = x | HIGH;
    let at_least_lo = y.wrapping_sub(ONES * u64::from(lo));
    let above_hi = y.wrapping_sub(ONES * (u64::from(hi) + 1));
    at_least_lo & !above_hi & !x & HIGH
}

/// High bit set in each byte of `x` that is an ASCII letter or digit.
#[inline]
pub(crate) fn ascii_alnum(x: u64) -> u64 {
    bytes_in_range(x, b'0', b'9') | bytes_in_range(x | (ONES * 0x20), b'a', b'z')
}

/// The high bit of each byte of `x` (only high bits set), one bit per byte:
/// bit `i` is byte `i`'s.
#[inline]
pub(crate) fn high_bits(x: u64) -> u64 {
    (x >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
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
                if normalize_into(&self.raw, &mut self.token.text) {
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
            if normalize_into(&self.text[start..end], &mut self.token.text) {
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
        if !normalize_into(&self.text[next..next_end], &mut self.raw) {
            return;
        }
        glue_into(&self.token.text, &self.raw, &mut self.pair);
        self.pending_pair = Some((start, next_end, position));
    }
}

fn chain(join_hyphenated: bool, glue_pairs: bool) -> TextAnalyzer {
    TextAnalyzer::builder(WordTokenizer {
        join_hyphenated,
        glue_pairs,
    })
    .build()
}

/// The English indexing chain: words split on anything not alphanumeric
/// (plus joined hyphenated forms), lowercased, diacritics folded
/// (Côte → cote), and Snowball-stemmed.
///
/// Stop words are deliberately kept in the index: removing them would break
/// phrases such as "trafficking in persons". The query side decides which
/// words it may drop. The index also has the pairs of [`GLUE_TERMS`].
pub fn analyzer() -> TextAnalyzer {
    chain(true, true)
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
            inner: chain(false, false),
        }
    }
}

impl Analyzer {
    /// The indexing chain, with joined hyphenated forms (not the glue
    /// pairs, which only phrase queries use); for matching query terms
    /// against passages exactly as the index does.
    pub fn indexing() -> Self {
        Analyzer {
            inner: chain(true, false),
        }
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

    /// The tokens that [`Analyzer::indexing`]'s `tokens_into` makes of
    /// `text`, less those of the words (and joined hyphenated forms) that
    /// `keep` rejects: these are counted, so the others keep their
    /// positions, but neither stemmed nor returned.
    ///
    /// Why: the best passages of a hit need the tokens of the query's words
    /// only, and stemming every word of every passage cost more than the
    /// rest of finding them.
    pub fn kept_tokens_into(text: &str, mut keep: impl FnMut(&str) -> bool, out: &mut Vec<Token>) {
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
        let mut joined = String::new();
        let mut position = 0;
        let mut cursor = 0;
        // As `WordTokenStream` does: the joined form of a hyphenated chain
        // follows its first word's token, at the same position.
        let mut chain_until = 0;
        while let Some(start) = word_start(text, cursor) {
            let end = word_end(text, start);
            cursor = end;
            let word = &text[start..end];
            if keep(word) && normalize_into(word, &mut term) {
                push(&mut term, start, end, position);
            }
            if start >= chain_until
                && let Some(chain) = chain_end(text, end)
            {
                chain_until = chain;
                joined.clear();
                joined.extend(text[start..chain].chars().filter(|c| !is_hyphen(*c)));
                if keep(&joined) && normalize_into(&joined, &mut term) {
                    push(&mut term, start, chain, position);
                }
            }
            position += 1;
        }
        out.truncate(n);
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
        ];
        let mut out = String::new();
        for _ in 0..2 {
            for word in words {
                assert!(normalize_into(word, &mut out));
                let expected = NORMALIZER.with(|n| {
                    let mut n = n.borrow_mut();
                    let mut stream = n.token_stream(word);
                    stream.next().map(|t| t.text.clone()).unwrap_or_default()
                });
                assert_eq!(out, expected, "{word}");
            }
        }
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
    fn word_navigation_agrees_with_for_each_word() {
        let long = "x".repeat(MAX_WORD_BYTES);
        let text = format!("  Côte d'Ivoire, {long} “push-and-pull” 9/11 — end");
        let mut words = Vec::new();
        for_each_word(&text, |w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            words.push((start, start + w.len()));
        });
        assert!(!words.is_empty());
        assert_eq!(next_word(&text, 0), words.first().copied());
        for pair in words.windows(2) {
            assert_eq!(next_word(&text, pair[0].1), Some(pair[1]));
            assert_eq!(previous_word(&text, pair[1].0), Some(pair[0]));
            assert!(is_word_start(&text, pair[1].0));
            assert_eq!(word_at(&text, pair[1].0), Some(pair[1]));
        }
        assert_eq!(previous_word(&text, words[0].0), None);
        assert_eq!(next_word(&text, words[words.len() - 1].1), None);
        assert!(!is_word_start(&text, words[0].0 + 1));
    }

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
    fn kept_tokens_are_the_indexing_tokens_that_keep_accepts() {
        let texts = [
            "a counter-terrorism law",
            "state-of-the-art, well-known and co-operation\u{2011}led",
            "Côte d’Ivoire’s naïve e-mail — INTERPOL's 2018 data",
            "trafficking in persons - arms, drugs-",
            "-leading hyphen and trailing- words -- spaced",
            &"x".repeat(70),
            "",
        ];
        let mut full = Vec::new();
        let mut kept = Vec::new();
        for text in texts {
            Analyzer::indexing().tokens_into(text, &mut full);
            Analyzer::kept_tokens_into(text, |_| true, &mut kept);
            assert_eq!(kept, full, "{text:?}");
            let starts_with_t = |w: &str| w.starts_with(['t', 'T']);
            Analyzer::kept_tokens_into(text, starts_with_t, &mut kept);
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
