//! The facets, in one list: every part of ctsearch that names a facet (the
//! collector, the filters, the command-line flags, the JSON, the API and
//! the page, the saved searches, the export and the remote search) walks
//! [`Facet::ALL`] or [`Facet::DISPLAY`] and asks the facet what it needs.
//!
//! Adding a facet is an entry in [`SPECS`] (and a variant), plus how its
//! values are counted ([`super::facets`]) and resolved ([`super::filters`]),
//! which the compiler asks for.

use tantivy::schema::Field;

use crate::index::Fields;

/// A faceted field: counted over the match set and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Facet {
    Session,
    Crime,
    Org,
    Year,
    Type,
    Speaker,
    Country,
    Symbol,
    Cites,
}

/// What ctsearch knows of a facet, one entry per facet in [`Facet::ALL`]'s
/// order.
struct Spec {
    /// The JSON key, the API parameter, the flag (`--name`) and the key
    /// of a saved search.
    name: &'static str,
    /// What a value is, in errors ("unknown crime type …").
    what: &'static str,
    /// The heading of the page's sidebar section.
    label: &'static str,
    /// The flag's value name and help.
    value_name: &'static str,
    help: &'static str,
    /// The index's string column the collector counts.
    column: &'static str,
    /// Whether the value is the same for every session of a briefing.
    per_briefing: bool,
    /// A document's facet rather than a briefing's: listed in text output
    /// only when the matches hold other documents than briefings.
    document: bool,
    /// Whether the values come from the index (not the vocabulary): an
    /// unknown one is only found out by searching.
    indexed: bool,
    /// The index field a filter matches.
    filter_field: fn(&Fields) -> Field,
    /// The exported field counted by a remote node, and the one filtered.
    exported: &'static str,
    exported_key: &'static str,
}

const SPECS: [Spec; 9] = [
    Spec {
        name: "session",
        what: "session",
        label: "Session",
        value_name: "S",
        help: "Only sessions with this label or number (\"III\", \"3\", \"introductory\"); repeat to OR",
        column: "session_label",
        per_briefing: false,
        document: false,
        indexed: true,
        filter_field: |f| f.session_key,
        exported: "session_label",
        exported_key: "session_key",
    },
    Spec {
        name: "crime",
        what: "crime type",
        label: "Crime type",
        value_name: "C",
        help: "Only sessions tagged with this crime type (e.g. arms-trafficking); repeat to OR",
        column: "crime",
        per_briefing: false,
        document: false,
        indexed: false,
        filter_field: |f| f.crime,
        exported: "crimes",
        exported_key: "crimes",
    },
    Spec {
        name: "org",
        what: "organization",
        label: "Organization",
        value_name: "O",
        help: "Only sessions naming this organization (e.g. UNODC); repeat to OR",
        column: "org",
        per_briefing: false,
        document: false,
        indexed: false,
        filter_field: |f| f.org,
        exported: "orgs",
        exported_key: "orgs",
    },
    Spec {
        name: "year",
        what: "year",
        label: "Year",
        value_name: "Y",
        help: "Only briefings of this year; repeat to OR",
        column: "year",
        per_briefing: true,
        document: false,
        indexed: false,
        filter_field: |f| f.year,
        exported: "year",
        exported_key: "year",
    },
    Spec {
        name: "type",
        what: "document type",
        label: "Document type",
        value_name: "T",
        help: "Only documents of this type (briefing, resolution, meeting-record, report, press-release, document); repeat to OR",
        column: "type",
        per_briefing: true,
        document: true,
        indexed: false,
        filter_field: |f| f.doc_type,
        exported: "type",
        exported_key: "type",
    },
    Spec {
        name: "speaker",
        what: "speaker",
        label: "Speaker",
        value_name: "P",
        help: "Only meeting-record turns of this speaker (\"Mr. Wu Haitao\"); repeat to OR",
        column: "speaker",
        per_briefing: false,
        document: true,
        indexed: true,
        filter_field: |f| f.speaker_key,
        exported: "speaker",
        exported_key: "speaker_key",
    },
    Spec {
        name: "country",
        what: "country",
        label: "Country",
        value_name: "K",
        help: "Only turns of this delegation (\"China\"); repeat to OR",
        column: "country",
        per_briefing: false,
        document: true,
        indexed: true,
        filter_field: |f| f.country_key,
        exported: "country",
        exported_key: "country_key",
    },
    Spec {
        name: "symbol",
        what: "symbol",
        label: "Symbol",
        value_name: "SYM",
        help: "Only the document with this symbol (\"S/RES/2178\", \"S/PV.8735\"); repeat to OR",
        column: "symbol",
        per_briefing: true,
        document: true,
        indexed: true,
        filter_field: |f| f.symbol_key,
        exported: "symbol",
        exported_key: "symbol_keys",
    },
    Spec {
        name: "cites",
        what: "cited document",
        label: "Cites",
        value_name: "SYMBOL",
        help: "Only sessions citing this document (1373, S/RES/1373, \"1373 (2001)\", S/PRST/2014/23); repeat to OR",
        column: "cites",
        per_briefing: false,
        document: true,
        indexed: true,
        filter_field: |f| f.cites,
        exported: "cites",
        exported_key: "cites",
    },
];

impl Facet {
    /// Every facet, in the order of the JSON object, the flags and the
    /// saved searches' keys.
    pub const ALL: [Facet; 9] = [
        Facet::Session,
        Facet::Crime,
        Facet::Org,
        Facet::Year,
        Facet::Type,
        Facet::Speaker,
        Facet::Country,
        Facet::Symbol,
        Facet::Cites,
    ];

    /// Every facet in display order: the page's sidebar and active
    /// filters, the text output's facet lines.
    pub const DISPLAY: [Facet; 9] = [
        Facet::Type,
        Facet::Crime,
        Facet::Session,
        Facet::Org,
        Facet::Year,
        Facet::Speaker,
        Facet::Country,
        Facet::Symbol,
        Facet::Cites,
    ];

    /// The position of the facet in [`Facet::ALL`], for arrays per facet.
    pub const fn index(self) -> usize {
        self as usize
    }

    const fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }

    /// The facet's name: its JSON key, API parameter, flag and saved
    /// search key ("session", "crime", "type").
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The facet named `name`.
    pub fn from_name(name: &str) -> Option<Facet> {
        Facet::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What a value of the facet is, for errors ("crime type").
    pub const fn what(self) -> &'static str {
        self.spec().what
    }

    /// The facet's heading on the page ("Document type").
    pub const fn label(self) -> &'static str {
        self.spec().label
    }

    /// The value name of the facet's flag (`--crime <C>`).
    pub const fn value_name(self) -> &'static str {
        self.spec().value_name
    }

    /// The help of the facet's flag.
    pub const fn help(self) -> &'static str {
        self.spec().help
    }

    /// The index's string column the facet's counts come from.
    pub const fn column(self) -> &'static str {
        self.spec().column
    }

    /// Whether the value is the same for all of a briefing's sessions.
    pub const fn per_briefing(self) -> bool {
        self.spec().per_briefing
    }

    /// Whether this is a facet of other documents than briefings (type,
    /// speaker, country, symbol).
    pub const fn is_document_facet(self) -> bool {
        self.spec().document
    }

    /// Whether the facet's values come from the index, so that an
    /// unknown filter value is found out only by searching.
    pub const fn values_from_index(self) -> bool {
        self.spec().indexed
    }

    /// The index field a filter of the facet matches.
    pub fn filter_field(self, fields: &Fields) -> Field {
        (self.spec().filter_field)(fields)
    }

    /// The exported field a remote node counts the facet's values of.
    pub const fn exported_field(self) -> &'static str {
        self.spec().exported
    }

    /// The exported field a remote node filters the facet on.
    pub const fn exported_filter_field(self) -> &'static str {
        self.spec().exported_key
    }
}

impl std::fmt::Display for Facet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_in_the_order_of_its_entries() {
        for (i, facet) in Facet::ALL.into_iter().enumerate() {
            assert_eq!(facet.index(), i);
            assert_eq!(Facet::from_name(facet.name()), Some(facet));
        }
        let mut display = Facet::DISPLAY;
        display.sort();
        assert_eq!(display, Facet::ALL);
        assert_eq!(Facet::from_name("nosuch"), None);
    }
}
