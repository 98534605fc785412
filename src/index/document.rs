//! One briefing file → its session documents: read, decode, parse or
//! extract, tag, and lay out the fields.

use tantivy::TantivyDocument;

use crate::corpus::{self, BriefingFile, Skipped, Stamp};
use crate::extract;
use crate::model::{Briefing, Format, Metadata};
use crate::parse;
use crate::taxonomy::Taxonomy;

use super::codec;
use super::manifest::ManifestEntry;
use super::schema::Fields;

/// A briefing read from disk, parsed and tagged, ready to be written.
pub(super) struct Prepared {
    pub(super) rel_path: String,
    pub(super) entry: ManifestEntry,
    pub(super) docs: Vec<TantivyDocument>,
    pub(super) warning: Option<String>,
}

/// A briefing file's bytes, its sidecar's metadata and the hash of both.
pub(super) struct Read {
    pub(super) bytes: Vec<u8>,
    pub(super) sidecar: Option<Metadata>,
    pub(super) hash: String,
    /// Of the file and sidecar as read (see [`BriefingFile::stamp`]).
    pub(super) stamp: Stamp,
    /// What was ignored and why (an unreadable sidecar).
    pub(super) warning: Option<String>,
}

/// Reads a briefing file and its sidecar and hashes them; `Err` is the
/// reason the file is skipped (too large, unreadable, empty).
pub(super) fn read_briefing(
    file: &BriefingFile,
    max_size: u64,
) -> std::result::Result<Read, String> {
    use std::io::Read as _;
    let mut handle = std::fs::File::open(&file.abs_path).map_err(|e| e.to_string())?;
    let meta = handle.metadata().map_err(|e| e.to_string())?;
    if meta.len() > max_size {
        return Err(format!(
            "too large ({:.1} MiB; the limit is {:.1} MiB, see --max-file-size)",
            meta.len() as f64 / 1_048_576.0,
            max_size as f64 / 1_048_576.0
        ));
    }
    let mut stamp = Stamp {
        size: meta.len(),
        mtime_ns: corpus::mtime_ns(&meta),
    };
    let mut bytes = Vec::with_capacity(meta.len() as usize + 1);
    // One byte past the limit is enough to know the file grew beyond it.
    (&mut handle)
        .take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max_size {
        return Err("too large".into());
    }
    // The stamp counts the sidecar whenever it can be stat'ed, as the walk's
    // stamp does, even if it cannot be read: otherwise the two would differ
    // and every update would read the briefing again.
    let mut warning = None;
    let sidecar = file.sidecar.as_ref().and_then(|path| {
        let (meta, side) = match std::fs::File::open(path) {
            Ok(mut handle) => {
                let meta = handle.metadata().ok();
                let mut side = Vec::new();
                (meta, handle.read_to_end(&mut side).map(|_| side))
            }
            Err(err) => (std::fs::metadata(path).ok(), Err(err)),
        };
        if let Some(meta) = meta {
            stamp.size += meta.len();
            stamp.mtime_ns = stamp.mtime_ns.max(corpus::mtime_ns(&meta));
        }
        side.map_err(|err| {
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            warning = Some(format!(
                "sidecar {name} is unreadable ({err}); its metadata is ignored"
            ));
        })
        .ok()
    });
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&bytes);
    if let Some(side) = &sidecar {
        hasher.update(b"\0sidecar\0");
        hasher.update(side);
    }
    let hash = format!("{:016x}", hasher.digest());
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err("empty".into());
    }
    let sidecar = sidecar.map(|s| Metadata::from_key_values(&String::from_utf8_lossy(&s)));
    Ok(Read {
        bytes,
        sidecar,
        hash,
        stamp,
        warning,
    })
}

/// Decodes the bytes of a text file ([`extract::decode`]); `Err` if they
/// look binary. The warning names the encoding when it was not UTF-8.
pub(super) fn decode_text(bytes: &[u8]) -> std::result::Result<(String, Option<String>), String> {
    // UTF-16 is half NUL bytes: known by its byte order mark, not binary.
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    if !utf16 && looks_binary(bytes) {
        return Err("binary".into());
    }
    let decoded = extract::decode::decode(bytes);
    Ok((decoded.text, decoded.warning))
}

/// Whether bytes look like a binary file rather than text: a known binary
/// signature, or many control bytes in the first 8 KiB. Only text formats
/// are checked: a `.pdf` is binary by nature and goes to the PDF extractor
/// (`%PDF` here catches a PDF misnamed `.txt`).
pub(super) fn looks_binary(bytes: &[u8]) -> bool {
    const SIGNATURES: &[&[u8]] = &[
        b"\x89PNG",
        b"%PDF",
        b"PK\x03\x04",
        b"\xFF\xD8\xFF",
        b"GIF8",
        b"\x7FELF",
        b"\x1F\x8B",
    ];
    if SIGNATURES.iter().any(|s| bytes.starts_with(s)) {
        return true;
    }
    let head = &bytes[..bytes.len().min(8192)];
    // Without branches and in bytes, so that the loop runs on vectors: it
    // reads the first 8 KB of every file indexed. A chunk's count fits a
    // byte.
    let control: usize = head
        .chunks(128)
        .map(|chunk| {
            let is_control =
                |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0C);
            let n = chunk.iter().fold(0u8, |n, &b| n + u8::from(is_control(b)));
            usize::from(n)
        })
        .sum();
    control * 10 > head.len()
}

/// Parses (or extracts) and tags one briefing into its session documents.
///
/// `known` is the briefing's manifest entry from the last run, if any: when
/// the content hash still matches (a file touched but not changed), the
/// file is not parsed or extracted again, and the returned [`Prepared`]
/// has no documents and the old counts.
pub(super) fn prepare(
    file: &BriefingFile,
    fields: &Fields,
    taxonomy: &Taxonomy,
    max_size: u64,
    known: Option<&ManifestEntry>,
) -> std::result::Result<Prepared, Skipped> {
    let skipped = |reason: String| Skipped {
        path: file.rel_path.clone(),
        reason,
    };
    let Read {
        bytes,
        sidecar,
        hash,
        stamp,
        warning: sidecar_warning,
    } = read_briefing(file, max_size).map_err(skipped)?;
    if let Some(w) = &sidecar_warning {
        eprintln!("ctsearch: warning: {}: {w}", file.rel_path);
    }
    if let Some(known) = known.filter(|k| k.hash == hash) {
        return Ok(Prepared {
            rel_path: file.rel_path.clone(),
            entry: ManifestEntry {
                stamp,
                hash,
                ..known.clone()
            },
            docs: Vec::new(),
            warning: None,
        });
    }
    let (mut briefing, warning): (Briefing, Option<String>) = match file.format {
        Format::Text => {
            let (text, warning) = decode_text(&bytes).map_err(skipped)?;
            let (content, meta) = extract::text_content(&text);
            (parse::parse_extracted(content, meta), warning)
        }
        Format::Markdown => {
            let (text, warning) = decode_text(&bytes).map_err(skipped)?;
            (parse::parse(&text, file.format), warning)
        }
        // Third-party parsers on untrusted bytes: guarded against panics
        // and hangs, see `extract::guarded`.
        Format::Html if looks_binary(&bytes) => return Err(skipped("binary".into())),
        Format::Pdf | Format::Html => {
            let extracted = extract::extract(file.format, bytes).map_err(skipped)?;
            let briefing = parse::parse_extracted(extracted.content, extracted.meta);
            (briefing, extracted.warning)
        }
    };
    let name = file.rel_path.rsplit('/').next().unwrap_or(&file.rel_path);
    // Sidecar first, then what the file says about itself (front matter,
    // PDF Info dictionary, first page, HTML tags), then the file name.
    let meta = sidecar.unwrap_or_default().or(briefing.meta.clone());
    briefing.meta = parse::fallback_metadata(meta, name);
    let docs = session_documents(&briefing, &file.rel_path, fields, taxonomy);
    let warning = match (sidecar_warning, warning) {
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, b) => a.or(b),
    };
    Ok(Prepared {
        rel_path: file.rel_path.clone(),
        entry: ManifestEntry {
            stamp,
            hash,
            sessions: briefing.sessions.len() as u64,
            passages: briefing.passage_count() as u64,
        },
        docs,
        warning,
    })
}

/// The text of a session to index as its body: the briefing's title, then
/// every passage (but a heading that only repeats the title, and a turn's
/// label, which names the speaker).
///
/// Why the title is in every session's body: the title says what each of
/// the briefing's sessions is about, and as body text its words saturate
/// like any other occurrence (BM25), so a title word counts as one more
/// occurrence rather than a separate, unbounded score. The title field adds
/// a small bonus on top (`TITLE_BOOST`), so a word in the title weighs more
/// than the same word in the body.
pub(super) fn session_body(session: &crate::model::Session, title: Option<&str>) -> String {
    let mut out = String::with_capacity(
        title.map_or(0, str::len)
            + session
                .passages
                .iter()
                .map(|p| p.text.len() + 2)
                .sum::<usize>(),
    );
    if let Some(title) = title {
        out.push_str(title);
    }
    for p in &session.passages {
        let heading = p.kind == crate::model::PassageKind::Heading;
        let repeats_title = heading && title.is_some_and(|t| t == p.text);
        // A turn's label names its speaker and delegation: metadata (the
        // `speaker` and `country` fields), not what the speech says.
        let speaker_label = heading && session.speaker.is_some();
        if repeats_title || speaker_label {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&p.text);
    }
    out
}

/// The documents a session cites, canonical, each once, in order of first
/// mention; the document's own symbol is never among them.
pub(crate) fn session_citations(session: &crate::model::Session, own: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for passage in &session.passages {
        for reference in crate::citation::extract(&passage.text, own) {
            let target = crate::citation::canonical(&reference.target);
            if own != Some(target.as_str()) && !out.contains(&target) {
                out.push(target);
            }
        }
    }
    out
}

/// One tantivy document per session.
pub(super) fn session_documents(
    briefing: &Briefing,
    rel_path: &str,
    f: &Fields,
    taxonomy: &Taxonomy,
) -> Vec<TantivyDocument> {
    let meta = &briefing.meta;
    let year = meta.year();
    let mut docs = Vec::with_capacity(briefing.sessions.len());
    for (ord, session) in briefing.sessions.iter().enumerate() {
        let mut body = session_body(session, meta.title.as_deref());
        // The symbol is searchable ("S/RES/2178", "2178") in every session.
        if let Some(symbol) = &meta.symbol {
            body.push_str("\n\n");
            body.push_str(symbol);
        }
        // Tags come from what the session says, not from the briefing's
        // title that its body also carries.
        let tags = taxonomy.tag_texts(session.passages.iter().map(|p| p.text.as_str()));
        let mut passages = String::with_capacity(
            session
                .passages
                .iter()
                .map(|p| p.text.len() + 8)
                .sum::<usize>(),
        );
        codec::encode_passages(&session.passages, &mut passages);
        // Sized up front: a document copies every value into one buffer.
        let mut doc = TantivyDocument::with_capacity(body.len() + passages.len() + 1024);
        doc.add_text(f.path, rel_path);
        if let Some(title) = &meta.title {
            doc.add_text(f.title, title);
        }
        doc.add_text(f.session, &session.label);
        if session.speaker.is_none() {
            doc.add_text(f.heading, &session.label);
        }
        doc.add_text(f.session_label, &session.label);
        doc.add_text(f.session_key, &session.key);
        doc.add_u64(f.session_ord, ord as u64);
        for crime in &tags.crimes {
            doc.add_text(f.crime, crime);
        }
        for org in &tags.orgs {
            doc.add_text(f.org, org);
        }
        // Every session has both, zero when untagged, so that the columns
        // are dense and read without an index.
        doc.add_u64(f.crime_bits, tags.crime_bits);
        doc.add_u64(f.org_bits, tags.org_bits);
        if let Some(year) = &year {
            doc.add_text(f.year, year);
        }
        if let Some(date) = &meta.date {
            doc.add_text(f.date, date);
        }
        if let Some(symbol) = &meta.symbol {
            doc.add_text(f.symbol, symbol);
            for key in crate::model::symbol_keys(symbol) {
                doc.add_text(f.symbol_key, &key);
            }
        }
        let doc_type = meta.doc_type.unwrap_or_default();
        doc.add_text(f.doc_type, doc_type.name());
        if let Some(speaker) = &session.speaker {
            doc.add_text(f.speaker, &speaker.name);
            doc.add_text(f.speaker_key, crate::model::facet_key(&speaker.name));
            if let Some(country) = &speaker.country {
                doc.add_text(f.country, country);
                doc.add_text(f.country_key, crate::model::facet_key(country));
            }
        }
        for target in session_citations(session, meta.symbol.as_deref()) {
            doc.add_text(f.cites, &target);
        }
        if let Some(source) = &meta.source {
            doc.add_text(f.source, source);
        }
        doc.add_text(f.body, &body);
        doc.add_text(f.passages, &passages);
        docs.push(doc);
    }
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_sidecar_is_a_warning_and_the_file_is_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "Session I\n\nText.\n").expect("write");
        // A directory where the sidecar should be: it opens, but reading fails.
        let sidecar = dir.path().join("a.txt.meta.toml");
        std::fs::create_dir(&sidecar).expect("mkdir");
        let file = BriefingFile {
            rel_path: "a.txt".into(),
            abs_path: path,
            format: Format::Text,
            sidecar: Some(sidecar),
            stamp: Stamp::default(),
        };
        let read = read_briefing(&file, 1 << 20).expect("read");
        assert!(read.sidecar.is_none());
        let warning = read.warning.expect("a warning");
        assert!(
            warning.contains("sidecar a.txt.meta.toml is unreadable")
                && warning.contains("its metadata is ignored"),
            "{warning}"
        );
    }

    #[test]
    fn binary_bytes_are_refused_and_utf16_is_read() {
        assert!(decode_text(b"\x7FELF\x02\x01\x01\0\0\0\0\0").is_err());
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Communiqué".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (text, _) = decode_text(&utf16).expect("utf-16 is text");
        assert_eq!(text, "Communiqué");
    }
}
