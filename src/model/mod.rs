//! The data model: a [`Briefing`] (any document of the corpus) is made of
//! [`Session`]s, the unit of search hits, each made of [`Passage`]s, the
//! unit shown to the user. Parsers ([`crate::parse`]) build it, the index
//! ([`crate::index`]) stores it, searches return pieces of it.
//!
//! [`symbol`] holds the UN document symbols ([`Symbol`]) and `text` the
//! small text helpers the symbol finders and the parsers share.

use serde::{Deserialize, Serialize};

pub mod symbol;
pub(crate) mod text;

pub use symbol::{Symbol, symbol_keys};

/// Label of the session holding the text before the first session heading.
pub const OVERVIEW: &str = "Overview";

/// The file formats a briefing can arrive in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    /// Text extracted page by page ([`crate::extract::pdf`]).
    Pdf,
    /// The article of a web page ([`crate::extract::html`]).
    Html,
}

impl Format {
    /// The format of a file, from its extension (case-insensitive).
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "pdf" => Some(Format::Pdf),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Metadata of a briefing. Every field is optional in the sources; the
/// parser fills what it can find.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub title: Option<String>,
    /// ISO date, `YYYY-MM-DD` (or a prefix of it, `YYYY`, `YYYY-MM`).
    pub date: Option<String>,
    /// Document symbol, e.g. `S/2018/1177`.
    pub symbol: Option<String>,
    /// Issuing body, e.g. `CTC/CTED`.
    pub source: Option<String>,
    /// What the document is; a sidecar's `type` wins over the parser's.
    pub doc_type: Option<DocType>,
}

impl Metadata {
    /// Fills the fields of `self` that are missing from `other`.
    pub fn or(mut self, other: Metadata) -> Metadata {
        self.title = self.title.or(other.title);
        self.date = self.date.or(other.date);
        self.symbol = self.symbol.or(other.symbol);
        self.source = self.source.or(other.source);
        self.doc_type = self.doc_type.or(other.doc_type);
        self
    }

    /// The year of the date, if the date starts with four digits.
    pub fn year(&self) -> Option<String> {
        let date = self.date.as_deref()?;
        let year = date.get(..4)?;
        year.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| year.to_string())
    }

    /// Parses `key: value` (YAML-style front matter) or `key = "value"`
    /// (TOML sidecar) lines. Unknown keys are ignored; quotes are stripped.
    pub fn from_key_values(text: &str) -> Metadata {
        let mut meta = Metadata::default();
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let Some(split) = line.find([':', '=']) else {
                continue;
            };
            let key = line[..split].trim().to_ascii_lowercase();
            let value = unquote(line[split + 1..].trim());
            if value.is_empty() {
                continue;
            }
            let slot = match key.as_str() {
                "title" => &mut meta.title,
                "date" => &mut meta.date,
                "symbol" => &mut meta.symbol,
                "source" | "body" => &mut meta.source,
                "type" => {
                    meta.doc_type = DocType::from_name(&value.to_ascii_lowercase());
                    continue;
                }
                _ => continue,
            };
            *slot = Some(value);
        }
        meta
    }

    /// Metadata from a file name following the `YYYY-MM-DD-slug.ext`
    /// convention: the date from the prefix, nothing else.
    pub fn from_file_name(name: &str) -> Metadata {
        let mut meta = Metadata::default();
        let bytes = name.as_bytes();
        let is_date = bytes.len() >= 10
            && bytes[..10].iter().enumerate().all(|(i, b)| match i {
                4 | 7 => *b == b'-',
                _ => b.is_ascii_digit(),
            });
        if is_date {
            meta.date = Some(name[..10].to_string());
        }
        meta
    }
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    let stripped = v
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
        .unwrap_or(v);
    stripped.replace("\\\"", "\"")
}

/// What a passage is in its briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PassageKind {
    #[serde(rename = "h")]
    Heading,
    #[serde(rename = "p")]
    Paragraph,
    #[serde(rename = "li")]
    ListItem,
}

/// A paragraph, list item or heading of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passage {
    #[serde(rename = "t")]
    pub text: String,
    #[serde(rename = "k")]
    pub kind: PassageKind,
    /// The 1-based page the passage starts on, for formats with pages (PDF);
    /// `None` otherwise, and then not stored.
    #[serde(rename = "pg", default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The numbered (or operative) paragraph the passage belongs to, as
    /// cited: "4", "4 (a)"; `None` where the document numbers none.
    #[serde(rename = "pa", default, skip_serializing_if = "Option::is_none")]
    pub para: Option<String>,
}

impl Passage {
    /// A passage of `kind` on `page`, in no numbered paragraph.
    pub fn new(text: String, kind: PassageKind, page: Option<u32>) -> Passage {
        Passage {
            text,
            kind,
            page,
            para: None,
        }
    }
}

/// A speaker of a meeting record's turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    /// The name alone, as the record writes it ("Mr. Wu Haitao", "The
    /// President").
    pub name: String,
    /// The delegation the speaker speaks for ("China"), when the record
    /// says.
    pub country: Option<String>,
}

/// What a document is, recognized from its text (not its file name).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum DocType {
    /// A meeting summary with sessions (the CTC/CTED briefings).
    Briefing,
    /// A Security Council resolution ("Resolution 2178 (2014)").
    Resolution,
    /// A verbatim meeting record (S/PV.NNNN), made of speaker turns.
    MeetingRecord,
    /// A report (of the Secretary-General, a monitoring team, CTED).
    Report,
    /// A press release (SC/NNNNN).
    PressRelease,
    /// Anything else, parsed as plain text.
    #[default]
    Document,
}

impl DocType {
    /// Every type, in the order the CLI lists them.
    pub const ALL: [DocType; 6] = [
        DocType::Briefing,
        DocType::Resolution,
        DocType::MeetingRecord,
        DocType::Report,
        DocType::PressRelease,
        DocType::Document,
    ];

    /// The name used in facets, filters and JSON ("meeting-record").
    pub fn name(self) -> &'static str {
        match self {
            DocType::Briefing => "briefing",
            DocType::Resolution => "resolution",
            DocType::MeetingRecord => "meeting-record",
            DocType::Report => "report",
            DocType::PressRelease => "press-release",
            DocType::Document => "document",
        }
    }

    /// The type named `name` (as [`DocType::name`] writes it).
    pub fn from_name(name: &str) -> Option<DocType> {
        DocType::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// A session of a briefing: the text under one session heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The heading as written ("Session III"), or [`OVERVIEW`].
    pub label: String,
    /// Normalized key used by `--session` filters; see [`session_key`].
    pub key: String,
    /// Who speaks in this session, for a meeting record's turns.
    pub speaker: Option<Speaker>,
    pub passages: Vec<Passage>,
}

impl Session {
    /// An empty session labelled `label`, with no speaker.
    pub fn new(label: &str) -> Session {
        Session {
            label: label.to_string(),
            key: session_key(label),
            speaker: None,
            passages: Vec::new(),
        }
    }

    /// The whole text of the session, passages separated by blank lines.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for p in &self.passages {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(&p.text);
        }
        out
    }
}

/// A parsed briefing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Briefing {
    pub meta: Metadata,
    pub sessions: Vec<Session>,
}

impl Briefing {
    pub fn passage_count(&self) -> usize {
        self.sessions.iter().map(|s| s.passages.len()).sum()
    }
}

/// Value of a roman numeral (I..XXXIX), case-insensitive.
pub(crate) fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 7 {
        return None;
    }
    let mut total = 0;
    let mut prev = 0;
    for c in s.chars().rev() {
        let v = match c.to_ascii_lowercase() {
            'i' => 1,
            'v' => 5,
            'x' => 10,
            'l' => 50,
            _ => return None,
        };
        if v < prev {
            total -= v;
        } else {
            total += v;
            prev = v;
        }
    }
    (total > 0).then_some(total)
}

/// Value of "3", "III", "iii" or an ordinal word.
pub(crate) fn numeral_value(s: &str) -> Option<u32> {
    let s = s.trim_end_matches(['.', ')']);
    if let Ok(n) = s.parse::<u32>() {
        return (n > 0 && n < 1000).then_some(n);
    }
    const WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    if let Some(i) = WORDS.iter().position(|w| w.eq_ignore_ascii_case(s)) {
        return Some(i as u32 + 1);
    }
    roman_value(s)
}

/// Normalized key of a session label, so that "Session III", "session 3",
/// "III" and "3" all name the same session:
///
/// - "Session III: Arms" → `session-3`; "Panel 2" → `panel-2`
/// - "Introductory session" → `introductory`; "Overview" → `overview`
/// - anything else → its words, lowercased, joined with `-`.
pub fn session_key(label: &str) -> String {
    let head = label.split([':', '—', '–']).next().unwrap_or(label).trim();
    let lower = head.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    match words.as_slice() {
        [number] if numeral_value(number).is_some() => {
            format!("session-{}", numeral_value(number).unwrap_or(0))
        }
        [kind, number] if numeral_value(number).is_some() => {
            format!("{kind}-{}", numeral_value(number).unwrap_or(0))
        }
        [adjective, "session"] | [adjective, "panel"] => adjective.to_string(),
        _ => slug(&lower),
    }
}

/// Lowercase words of `text` joined with `-`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// A block of a document whose structure was recovered by an extractor
/// (HTML): the extractor knows what is a heading, so no guessing is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Starts a session labelled with its text.
    Heading(String),
    Paragraph(String),
    ListItem(String),
}

/// Words that, followed by "session", name a session ("Opening session").
const SESSION_ADJECTIVES: &[&str] = &[
    "introductory",
    "opening",
    "closing",
    "concluding",
    "final",
    "plenary",
    "high-level",
    "special",
    "thematic",
    "interactive",
    "technical",
    "informal",
    "morning",
    "afternoon",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "wrap-up",
];

/// Whole lines that start a session.
const SESSION_LINES: &[&str] = &[
    "concluding remarks",
    "closing remarks",
    "opening remarks",
    "introductory remarks",
    "welcoming remarks",
    "conclusions",
    "summary of discussions",
];

/// Whether a line of plain text is a session heading: a short line such as
/// "Introductory session", "Session III", "Session 3: Arms", "Panel 2",
/// "Closing session" or "Concluding remarks". Prose that merely mentions a
/// session ("During Session III, the participants…") is not.
pub fn is_session_heading(line: &str) -> bool {
    let line = line.trim();
    // More than 100 characters; a paragraph's bytes tell without counting
    // (a character is at most four bytes).
    let long = line.len() > 100 && (line.len() > 400 || line.chars().count() > 100);
    if line.is_empty() || long || line.ends_with(['.', ',', ';', ':']) {
        return false;
    }
    // The part before a subtitle ("Session III: Arms trafficking").
    let head = line
        .split([':', '—', '–'])
        .next()
        .unwrap_or(line)
        .trim()
        .to_lowercase();
    let words: Vec<&str> = head.split_whitespace().collect();
    match words.as_slice() {
        [kind, number] if matches!(*kind, "session" | "panel" | "segment" | "part") => {
            numeral_value(number).is_some()
        }
        [adjective, "session"] => SESSION_ADJECTIVES.contains(adjective),
        [adjective, "panel"] => SESSION_ADJECTIVES.contains(adjective),
        _ => SESSION_LINES.contains(&head.as_str()),
    }
}

/// The key a facet value is filtered by: lowercase, with single spaces, so
/// that `--speaker "mr. wu  haitao"` finds "Mr. Wu Haitao".
pub fn facet_key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_keys() {
        assert_eq!(facet_key(" Mr.  Wu Haitao "), "mr. wu haitao");
    }

    #[test]
    fn session_keys_unify_numerals() {
        assert_eq!(session_key("Session III"), "session-3");
        assert_eq!(session_key("session 3"), "session-3");
        assert_eq!(session_key("III"), "session-3");
        assert_eq!(session_key("3"), "session-3");
        assert_eq!(session_key("Session III: Arms"), "session-3");
        assert_eq!(session_key("Introductory session"), "introductory");
        assert_eq!(session_key("Panel 2"), "panel-2");
        assert_eq!(session_key("Overview"), "overview");
        assert_eq!(
            session_key("Background and context"),
            "background-and-context"
        );
    }

    #[test]
    fn metadata_from_sidecar_and_file_name() {
        let m = Metadata::from_key_values("# c\ntitle = \"T: x\"\ndate = \"2018-10-08\"\n");
        assert_eq!(m.title.as_deref(), Some("T: x"));
        assert_eq!(m.year().as_deref(), Some("2018"));
        let f = Metadata::from_file_name("2019-01-02-some-briefing.txt");
        assert_eq!(f.date.as_deref(), Some("2019-01-02"));
        assert_eq!(Metadata::from_file_name("notes.txt").date, None);
    }
}
