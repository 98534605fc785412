//! Verbatim meeting records (S/PV): one session per speaker's turn ("Mr.
//! Wu Haitao (China) (spoke in Chinese): ..."), labelled "Mr. Wu Haitao
//! (China)", with its [`Speaker`]; the label as written is the turn's first
//! (heading) passage, long turns are cut into passages of a few sentences.
//! Text before the first turn (the cover page) is the "Overview".
//!
//! Recognized by two speaker turns at paragraph starts ("The President
//! (spoke in French):", "Mr. Dai Bing (China):"), or one and a header
//! ("S/PV.8716", "8716th meeting"). First in the list: a record quotes
//! resolutions, reports and press releases, none of which has turns.
//!
//! Metadata: the symbol "S/PV.8716", the title "Security Council, 8716th
//! meeting" and the date, from the cover page; a President speaking "in my
//! national capacity" gets the country the cover page names.

use super::kind::{DocumentKind, LOOK, Line, Top};
use super::un::paragraphs::{Para, heading_session, paragraphs, push_sentences};
use super::un::turns::{capacity_country, inner_turns, is_country, parse_turn};
use crate::extract::find_date;
use crate::model::text::prefix;
use crate::model::{Briefing, DocType, Metadata, OVERVIEW, Session, Speaker, Symbol};

/// The meeting record kind, for [`super::kinds::KINDS`].
pub struct MeetingRecord;

impl DocumentKind for MeetingRecord {
    fn doc_type(&self) -> DocType {
        DocType::MeetingRecord
    }

    fn recognize(&self, top: &Top) -> bool {
        let header =
            top.any(|l| Symbol::find_meeting_record(l).is_some() || meeting_number(l).is_some());
        // A meeting of a single turn (a vote, a presidential statement)
        // opens with the President's.
        let opens = top
            .top
            .first()
            .is_some_and(|l| l.starts_with("The President") && parse_turn(l).is_some());
        top.turns >= 2 || (top.turns >= 1 && (header || opens))
    }

    fn parse(&self, lines: &[Line]) -> Briefing {
        parse_record(&paragraphs(lines))
    }
}

fn parse_record(paras: &[Para]) -> Briefing {
    let mut overview = Session::new(OVERVIEW);
    let mut turns: Vec<Session> = Vec::new();
    for para in paras {
        let text = para.text.as_str();
        let lead = text.len() - text.trim_start().len();
        let mut cuts: Vec<(usize, usize)> = Vec::new();
        if parse_turn(text.get(lead..).unwrap_or("")).is_some() {
            cuts.push((0, lead));
        }
        for (cut, label_at) in inner_turns(text) {
            if cuts.last().is_none_or(|(c, _)| cut > *c) {
                cuts.push((cut, label_at));
            }
        }
        // Text before the first turn of the paragraph carries on the turn
        // before (or is the overview).
        let first = cuts.first().map_or(text.len(), |(c, _)| *c);
        if first > 0 {
            let target = turns.last_mut().unwrap_or(&mut overview);
            push_sentences(target, para, (0, first));
        }
        for (k, &(cut, label_at)) in cuts.iter().enumerate() {
            let end = cuts.get(k + 1).map_or(text.len(), |(c, _)| *c);
            let Some(turn) = parse_turn(text.get(label_at..).unwrap_or("")) else {
                // Not reached (the cut was found reading this label); keep
                // the text all the same.
                let target = turns.last_mut().unwrap_or(&mut overview);
                push_sentences(target, para, (cut, end));
                continue;
            };
            let label_end = (label_at + turn.len).min(end);
            let mut session = heading_session(&turn.label(), para, (cut, label_end));
            session.speaker = Some(Speaker {
                name: turn.name.clone(),
                country: turn.country.clone(),
            });
            push_sentences(&mut session, para, (label_end, end));
            turns.push(session);
        }
    }
    let header: Vec<&str> = overview
        .passages
        .iter()
        .take(40)
        .map(|p| p.text.as_str())
        .collect();
    // The cover page's "President: Mr. X .......... (France)".
    let president_country = header
        .iter()
        .find(|t| t.starts_with("President:"))
        .and_then(|t| {
            let open = t.rfind('(')?;
            let content = t.get(open + 1..)?.split(')').next()?;
            is_country(content).then(|| content.trim().to_string())
        });
    for session in &mut turns {
        if let Some(speaker) = session.speaker.as_mut()
            && speaker.country.is_none()
            && matches!(
                speaker.name.as_str(),
                "The President" | "The Acting President"
            )
        {
            let text = session
                .passages
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            speaker.country = capacity_country(&text, president_country.as_deref());
        }
    }
    let symbol = header.iter().find_map(|t| Symbol::find_meeting_record(t));
    let number = header
        .iter()
        .find_map(|t| meeting_number(t))
        .or(match symbol {
            Some(Symbol::MeetingRecord { meeting }) => Some(meeting),
            _ => None,
        });
    let date = header
        .iter()
        .filter(|t| has_weekday(t))
        .chain(header.iter().take(12))
        .find_map(|t| find_date(t));
    let mut sessions = Vec::with_capacity(turns.len() + 1);
    if !overview.passages.is_empty() {
        sessions.push(overview);
    }
    sessions.extend(turns);
    Briefing {
        meta: Metadata {
            title: number.map(meeting_title),
            date,
            symbol: symbol.map(|s| s.to_string()),
            ..Metadata::default()
        },
        sessions,
    }
}

/// Whether `text` names a day of the week (the cover page's date line).
fn has_weekday(text: &str) -> bool {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    .iter()
    .any(|d| text.contains(d))
}

/// The title of the record of meeting `n`: "Security Council, 8716th
/// meeting".
pub fn meeting_title(n: u32) -> String {
    format!("Security Council, {} meeting", ordinal(n))
}

/// "1st", "2nd", "3rd", "11th", "8716th".
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// "8716th meeting" in `text`: 8716.
fn meeting_number(text: &str) -> Option<u32> {
    let lower = prefix(text, LOOK).to_ascii_lowercase();
    lower.match_indices(" meeting").find_map(|(i, _)| {
        let before = lower.get(..i)?;
        let digits = before
            .strip_suffix("th")
            .or_else(|| before.strip_suffix("st"))
            .or_else(|| before.strip_suffix("nd"))
            .or_else(|| before.strip_suffix("rd"))?;
        let start = digits
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |p| p + 1);
        let number = digits.get(start..)?;
        (!number.is_empty() && number.len() <= 5)
            .then(|| number.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PassageKind;
    use crate::parse::testing::{
        assert_keeps_words, find, labels, paged, parse_recognized, recognized,
    };
    use crate::parse::un::paragraphs::{MAX_PASSAGE, MIN_PASSAGE};

    #[test]
    fn meeting_record_turns_speakers_and_metadata() {
        let lines = paged(include_str!("fixtures/meeting_record/cover_and_turns.txt"));
        assert_eq!(recognized(&lines), Some(DocType::MeetingRecord));
        let b = parse_recognized(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        assert_eq!(b.meta.doc_type, Some(DocType::MeetingRecord));
        assert_eq!(b.meta.symbol.as_deref(), Some("S/PV.8716"));
        assert_eq!(b.meta.date.as_deref(), Some("2020-02-27"));
        assert_eq!(
            b.meta.title.as_deref(),
            Some("Security Council, 8716th meeting")
        );
        assert_eq!(
            labels(&b),
            [
                "Overview",
                "The President",
                "Mr. Spleeters",
                "Mr. Wu Haitao (China)",
                "Ms. Gamba de Potgieter",
                "Hadiza",
                "Mr. Takht Ravanchi (Iran (Islamic Republic of))",
                "The President",
                "Mrs. Gueguen (France)",
                "The President",
            ]
        );
        let speakers: Vec<(&str, Option<&str>)> = b
            .sessions
            .iter()
            .filter_map(|s| s.speaker.as_ref())
            .map(|s| (s.name.as_str(), s.country.as_deref()))
            .collect();
        assert_eq!(
            speakers,
            [
                ("The President", None),
                ("Mr. Spleeters", None),
                ("Mr. Wu Haitao", Some("China")),
                ("Ms. Gamba de Potgieter", None),
                ("Hadiza", None),
                ("Mr. Takht Ravanchi", Some("Iran (Islamic Republic of)")),
                // "in my national capacity": the cover names China.
                ("The President", Some("China")),
                ("Mrs. Gueguen", Some("France")),
                ("The President", None),
            ]
        );
        // The label as written is the turn's heading passage; the
        // interpretation note is in neither the label nor the speaker.
        let wu = &b.sessions[3];
        assert_eq!(wu.passages[0].kind, PassageKind::Heading);
        assert_eq!(
            wu.passages[0].text,
            "Mr. Wu Haitao (China) (spoke in Chinese):"
        );
        assert_eq!(
            wu.passages[1].text,
            "China supports the arms embargo. Sanctions are a means, not an end."
        );
        assert_eq!(wu.passages[0].page, Some(2));
        // The overview holds the cover page.
        assert!(b.sessions[0].passages[0].text.starts_with("United Nations"));
        assert_eq!(b.sessions[0].passages[0].page, Some(1));
        // Prose with a colon stays in the turn.
        let (s, _) = find(&b, "Mr. Smith said the following");
        assert_eq!(s.label, "Mr. Spleeters");
        // The broken note keeps the speech in the body.
        let (s, p) = find(&b, "I thank Mr. Spleeters for his briefing.");
        assert_eq!(s.passages[0].text, "The President (spoke");
        assert_eq!(p.kind, PassageKind::Paragraph);
        // A turn glued after an agenda item's ")" starts a new turn; the
        // glued word goes with the label so that no word is split.
        let last = b.sessions.last().expect("sessions");
        assert_eq!(last.passages[0].text, "(S/2020/798)The President:");
        assert_eq!(
            last.passages[1].text,
            "I thank the representative of France."
        );
    }

    #[test]
    fn president_in_capacity_of_a_country() {
        let text = include_str!("fixtures/meeting_record/president_in_capacity.txt");
        let lines = paged(text);
        let b = parse_recognized(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        let countries: Vec<Option<&str>> = b
            .sessions
            .iter()
            .map(|s| s.speaker.as_ref().and_then(|sp| sp.country.as_deref()))
            .collect();
        assert_eq!(countries, [None, None, Some("Niger"), None]);
        // No header: no symbol, title or date from the text.
        assert_eq!(b.meta.symbol, None);
        assert_eq!(b.meta.title, None);
        assert_eq!(b.meta.date, None);
    }

    #[test]
    fn long_turns_are_cut_into_sentence_groups() {
        let sentence = "Mr. Madeira said that the Council of the Union of St. Kitts must act now, and that J. Doe agreed with the approach taken by the Panel. ";
        let speech = sentence.repeat(20);
        let text = format!(
            "The President: I give the floor.\nMr. Swan: {speech}\nMr. Madeira: Thank you.\n"
        );
        let lines = paged(&text);
        let b = parse_recognized(&lines).expect("a record");
        assert_keeps_words(&lines, &b);
        let swan = &b.sessions[1];
        assert!(swan.passages.len() > 3, "{}", swan.passages.len());
        for p in &swan.passages[1..] {
            assert!(p.text.len() <= MAX_PASSAGE, "{}", p.text.len());
            assert!(p.text.starts_with("Mr. Madeira said"), "{}", p.text);
            assert!(p.text.ends_with("by the Panel."), "{}", p.text);
        }
        for p in &swan.passages[1..swan.passages.len() - 1] {
            assert!(p.text.len() >= MIN_PASSAGE, "{}", p.text.len());
        }
    }

    #[test]
    fn records_are_titled_by_their_number() {
        assert_eq!(meeting_title(8742), "Security Council, 8742nd meeting");
        assert_eq!(meeting_title(8711), "Security Council, 8711th meeting");
        assert_eq!(meeting_title(8701), "Security Council, 8701st meeting");
    }
}
