//! Deterministic synthetic corpus generator for `ctsearch` benchmarks.
//!
//! ```text
//! cargo run --release --example gen-corpus -- --briefings 20000 --out DIR [--seed 42] [--force]
//! ```
//!
//! Writes `DIR/<year>/<YYYY-MM-DD>-<slug>-<index>.<ext>`: about 60% plain
//! text (`.txt`, with a `<file>.meta.toml` sidecar) and 40% Markdown (`.md`,
//! with YAML front matter). Every briefing has an untitled preamble, an
//! "Introductory session", two to five of "Session I".."Session V" and a
//! "Closing session"; some sessions end with a list of recommendations.
//!
//! The text is sentence-shaped English drawn from a fixed vocabulary of about
//! 4,500 words (real function and domain words plus synthesized rare words)
//! with Zipf-distributed (s = 1) ranks inside each word class, mixed with the
//! field's fixed phrases and organization names. Output depends only on the
//! seed and the briefing count: every briefing has its own generator seeded
//! from (seed, index), so the parallel run is byte-for-byte reproducible.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use clap::Parser;
use rayon::prelude::*;

#[derive(Parser, Debug)]
#[command(
    name = "gen-corpus",
    about = "Generate a deterministic synthetic corpus of CTC/CTED briefings"
)]
struct Args {
    /// Number of briefings to generate.
    #[arg(long)]
    briefings: usize,
    /// Output directory; must be absent or empty unless --force is given.
    #[arg(long)]
    out: PathBuf,
    /// Seed; the same seed and count give byte-identical output.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Write into a non-empty directory (files with the same names are
    /// overwritten; nothing is deleted).
    #[arg(long)]
    force: bool,
}

// ---------------------------------------------------------------------------
// Random numbers and Zipf sampling
// ---------------------------------------------------------------------------

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(mix64(seed))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The generator of briefing `index`: a stream of its own, so that briefings
/// can be generated in any order.
fn doc_rng(seed: u64, index: usize) -> Rng {
    Rng::new(mix64(seed ^ 0x6374_7365_6172_6368) ^ mix64(index as u64 ^ 0x5851_F42D_4C95_7F2D))
}

/// Items drawn with probability proportional to 1 / rank (Zipf, s = 1).
/// Weights use plain division only, so the tables are identical everywhere.
struct ZList<T> {
    items: Vec<T>,
    cdf: Vec<f64>,
}

impl<T> ZList<T> {
    fn new(items: Vec<T>) -> Self {
        Self::with_offset(items, 0.0)
    }

    /// Zipf-Mandelbrot: weight 1 / (rank + 1 + offset); an offset flattens
    /// the head (so "terrorism" is not every tenth noun).
    fn with_offset(items: Vec<T>, offset: f64) -> Self {
        assert!(!items.is_empty(), "empty word list");
        let mut acc = 0.0;
        let cdf = (0..items.len())
            .map(|rank| {
                acc += 1.0 / (rank as f64 + 1.0 + offset);
                acc
            })
            .collect();
        ZList { items, cdf }
    }

    fn draw(&self, rng: &mut Rng) -> &T {
        let total = self.cdf[self.cdf.len() - 1];
        let u = rng.unit() * total;
        let i = self.cdf.partition_point(|&c| c <= u);
        &self.items[i.min(self.items.len() - 1)]
    }

    fn len(&self) -> usize {
        self.items.len()
    }
}

// ---------------------------------------------------------------------------
// Word lists (ordered from most to least frequent)
// ---------------------------------------------------------------------------

const NOUNS: &[&str] = &[
    "terrorism",
    "States",
    "cooperation",
    "groups",
    "information",
    "capacity",
    "support",
    "measures",
    "challenges",
    "efforts",
    "implementation",
    "terrorists",
    "security",
    "law enforcement",
    "networks",
    "activities",
    "prosecution",
    "legislation",
    "framework",
    "assistance",
    "investigations",
    "risks",
    "financing",
    "institutions",
    "data",
    "approach",
    "organizations",
    "evidence",
    "threat",
    "crime",
    "resources",
    "research",
    "training",
    "role",
    "trafficking",
    "weapons",
    "authorities",
    "control",
    "sector",
    "victims",
    "communities",
    "funds",
    "access",
    "partnerships",
    "practices",
    "region",
    "response",
    "policies",
    "agencies",
    "linkages",
    "nexus",
    "exchange",
    "awareness",
    "strategies",
    "standards",
    "recruitment",
    "violence",
    "governance",
    "prevention",
    "capacities",
    "jurisdictions",
    "borders",
    "knowledge",
    "analysis",
    "actors",
    "detection",
    "tools",
    "mechanisms",
    "procedures",
    "arms",
    "proceeds",
    "oversight",
    "dialogue",
    "coordination",
    "trends",
    "persons",
    "officials",
    "prosecutors",
    "judges",
    "customs",
    "intelligence",
    "sanctions",
    "assets",
    "transactions",
    "integrity",
    "compliance",
    "regulation",
    "vulnerabilities",
    "profits",
    "revenue",
    "markets",
    "supply chains",
    "infrastructure",
    "territory",
    "conflict",
    "stability",
    "development",
    "rights",
    "obligations",
    "accountability",
    "justice",
    "the rule of law",
    "human rights",
    "gender",
    "women",
    "children",
    "youth",
    "families",
    "returnees",
    "detainees",
    "prisons",
    "radicalization",
    "extremism",
    "propaganda",
    "ideology",
    "narratives",
    "the Internet",
    "technologies",
    "platforms",
    "content",
    "social media",
    "cryptocurrencies",
    "payments",
    "remittances",
    "banks",
    "charities",
    "non-profit organizations",
    "money",
    "cash",
    "couriers",
    "hawala",
    "goods",
    "commodities",
    "natural resources",
    "minerals",
    "wildlife",
    "oil",
    "antiquities",
    "artefacts",
    "heritage",
    "sites",
    "routes",
    "corridors",
    "ports",
    "airports",
    "airlines",
    "passengers",
    "travel",
    "documents",
    "passports",
    "identity",
    "biometrics",
    "databases",
    "watchlists",
    "screening",
    "inspection",
    "seizures",
    "arrests",
    "convictions",
    "cases",
    "trials",
    "sentences",
    "offences",
    "charges",
    "warrants",
    "extradition",
    "mutual legal assistance",
    "requests",
    "referrals",
    "indicators",
    "red flags",
    "typologies",
    "methodologies",
    "assessments",
    "studies",
    "findings",
    "reports",
    "surveys",
    "workshops",
    "discussions",
    "recommendations",
    "guidance",
    "principles",
    "guidelines",
    "handbooks",
    "toolkits",
    "modules",
    "curricula",
    "programmes",
    "projects",
    "initiatives",
    "mandates",
    "resolutions",
    "Member States",
    "Governments",
    "ministries",
    "parliamentarians",
    "civil society",
    "academia",
    "experts",
    "practitioners",
    "researchers",
    "stakeholders",
    "donors",
    "partners",
    "the private sector",
    "industry",
    "companies",
    "manufacturers",
    "brokers",
    "dealers",
    "exporters",
    "importers",
    "end users",
    "licences",
    "permits",
    "certificates",
    "marking",
    "record-keeping",
    "tracing",
    "stockpiles",
    "ammunition",
    "firearms",
    "explosives",
    "precursors",
    "components",
    "drones",
    "vehicles",
    "materials",
    "chemicals",
    "nuclear material",
    "dual-use items",
    "attacks",
    "incidents",
    "operations",
    "plots",
    "cells",
    "affiliates",
    "fighters",
    "militias",
    "insurgents",
    "militants",
    "recruiters",
    "facilitators",
    "smugglers",
    "traffickers",
    "kidnappers",
    "hostages",
    "ransom payments",
    "extortion",
    "taxation",
    "fraud",
    "corruption",
    "bribery",
    "counterfeiting",
    "piracy",
    "theft",
    "looting",
    "diversion",
    "acquisition",
    "possession",
    "movement",
    "flows",
    "migration",
    "migrants",
    "refugees",
    "displacement",
    "camps",
    "settlements",
    "areas",
    "zones",
    "spaces",
    "environment",
    "context",
    "situation",
    "dimensions",
    "aspects",
    "factors",
    "drivers",
    "conditions",
    "causes",
    "impact",
    "consequences",
    "outcomes",
    "results",
    "progress",
    "gaps",
    "shortcomings",
    "lessons",
    "experience",
    "expertise",
    "skills",
    "needs",
    "priorities",
    "objectives",
    "goals",
    "opportunities",
    "incentives",
    "benefits",
    "costs",
    "funding",
    "budgets",
    "sustainability",
    "ownership",
    "trust",
    "confidence",
    "engagement",
    "participation",
    "consultation",
    "outreach",
    "education",
    "reintegration",
    "rehabilitation",
    "sentencing",
    "protection",
    "safeguards",
    "privacy",
    "due process",
    "legitimacy",
    "resilience",
    "cohesion",
    "inclusion",
    "marginalization",
    "poverty",
    "unemployment",
    "grievances",
    "exploitation",
    "abuse",
    "sexual violence",
    "slavery",
    "servitude",
    "child soldiers",
    "identification",
    "referral mechanisms",
    "shelters",
    "services",
    "reparations",
    "testimony",
    "witnesses",
    "informants",
    "undercover operations",
    "special investigative techniques",
    "financial investigations",
    "asset recovery",
    "confiscation",
    "freezing",
    "designations",
    "listings",
    "regimes",
    "jurisdiction",
    "sovereignty",
    "borderlands",
    "hinterlands",
    "checkpoints",
    "smuggling",
    "logistics",
    "hubs",
    "enclaves",
    "strongholds",
    "safe havens",
];

const ADJECTIVES: &[&str] = &[
    "terrorist",
    "criminal",
    "international",
    "national",
    "regional",
    "organized",
    "illicit",
    "relevant",
    "effective",
    "legal",
    "financial",
    "transnational",
    "judicial",
    "public",
    "comprehensive",
    "specific",
    "local",
    "global",
    "existing",
    "new",
    "key",
    "significant",
    "strong",
    "weak",
    "informal",
    "formal",
    "legislative",
    "institutional",
    "operational",
    "strategic",
    "technical",
    "practical",
    "multilateral",
    "bilateral",
    "cross-border",
    "joint",
    "common",
    "broader",
    "emerging",
    "evolving",
    "increasing",
    "growing",
    "limited",
    "available",
    "appropriate",
    "adequate",
    "timely",
    "accurate",
    "reliable",
    "sensitive",
    "complex",
    "serious",
    "violent",
    "extremist",
    "armed",
    "vulnerable",
    "affected",
    "fragile",
    "remote",
    "porous",
    "unregulated",
    "ungoverned",
    "conflict-affected",
    "post-conflict",
    "human",
    "social",
    "economic",
    "political",
    "cultural",
    "religious",
    "ethnic",
    "digital",
    "online",
    "virtual",
    "encrypted",
    "anonymous",
    "physical",
    "maritime",
    "aviation",
    "coastal",
    "rural",
    "urban",
    "domestic",
    "foreign",
    "external",
    "internal",
    "governmental",
    "non-governmental",
    "intergovernmental",
    "civilian",
    "military",
    "preventive",
    "punitive",
    "administrative",
    "regulatory",
    "supervisory",
    "investigative",
    "prosecutorial",
    "forensic",
    "evidentiary",
    "statistical",
    "empirical",
    "analytical",
    "comparative",
    "systematic",
    "coordinated",
    "integrated",
    "holistic",
    "whole-of-government",
    "whole-of-society",
    "gender-sensitive",
    "child-sensitive",
    "victim-centred",
    "risk-based",
    "evidence-based",
    "targeted",
    "tailored",
    "sustainable",
    "long-term",
    "short-term",
    "immediate",
    "urgent",
    "critical",
    "essential",
    "important",
    "necessary",
    "potential",
    "direct",
    "indirect",
    "close",
    "mutual",
    "shared",
    "collective",
    "individual",
    "particular",
    "major",
    "main",
    "primary",
    "further",
    "additional",
    "greater",
    "enhanced",
    "improved",
    "closer",
    "robust",
    "proactive",
    "innovative",
    "sophisticated",
    "lucrative",
    "profitable",
    "clandestine",
    "covert",
    "dangerous",
    "lethal",
    "conventional",
    "improvised",
    "heavy",
    "stolen",
    "diverted",
    "counterfeit",
    "fraudulent",
    "falsified",
    "high-risk",
    "low-income",
    "decentralized",
    "opaque",
    "hybrid",
];

/// Verbs: `base` for regular ones, `base|past|participle` for irregular ones.
const VERBS: &[&str] = &[
    "strengthen",
    "enhance",
    "address",
    "support",
    "develop",
    "promote",
    "ensure",
    "improve",
    "establish",
    "identify",
    "share",
    "facilitate",
    "take|took|taken",
    "prevent",
    "counter",
    "combat",
    "disrupt",
    "make|made|made",
    "detect",
    "investigate",
    "prosecute",
    "monitor",
    "assess",
    "build|built|built",
    "review",
    "implement",
    "adopt",
    "consider",
    "examine",
    "undertake|undertook|undertaken",
    "explore",
    "analyse",
    "recognize",
    "increase",
    "reduce",
    "provide",
    "use",
    "exploit",
    "divert",
    "acquire",
    "finance",
    "fund",
    "generate",
    "launder",
    "move",
    "transfer",
    "conceal",
    "recruit",
    "train",
    "target",
    "smuggle",
    "traffic",
    "control",
    "regulate",
    "harmonize",
    "integrate",
    "coordinate",
    "engage",
    "involve",
    "encourage",
    "include",
    "require",
    "affect",
    "undermine",
    "fuel",
    "sustain",
    "enable",
    "create",
    "raise",
    "collect",
    "gather",
    "exchange",
    "seize",
    "freeze",
    "confiscate",
    "trace",
    "mark",
    "record",
    "register",
    "license",
    "criminalize",
    "designate",
    "sanction",
    "protect",
    "assist",
    "rehabilitate",
    "reintegrate",
    "repatriate",
    "deploy",
    "conduct",
    "organize",
    "host",
    "present",
    "discuss",
    "highlight",
    "leverage",
    "mobilize",
    "allocate",
    "mainstream",
    "tailor",
    "pursue",
    "map",
    "document",
    "dismantle",
    "intercept",
    "screen",
    "verify",
    "audit",
    "supervise",
    "abuse",
    "extort",
    "kidnap",
    "transport",
    "store",
    "manufacture",
    "export",
    "import",
    "hold|held|held",
    "bring|brought|brought",
    "give|gave|given",
    "draw|drew|drawn",
    "lead|led|led",
    "seek|sought|sought",
    "find|found|found",
    "understand|understood|understood",
    "set|set|set",
    "meet|met|met",
];

/// Verbs that double their last consonant (`mapped`, `kidnapping`).
const DOUBLING: &[&str] = &[
    "control", "map", "kidnap", "set", "put", "ban", "plan", "transfer", "commit", "refer",
];

const REPORTING: &[&str] = &[
    "noted",
    "stressed",
    "underscored",
    "emphasized",
    "highlighted",
    "observed",
    "pointed out",
    "recalled",
    "acknowledged",
    "recognized",
    "agreed",
    "suggested",
    "warned",
    "explained",
    "reiterated",
    "indicated",
    "reported",
    "cautioned",
    "argued",
    "affirmed",
    "added",
    "concluded",
    "expressed concern",
    "underlined",
];

const SUBJECTS: &[&str] = &[
    "participants",
    "the participants",
    "speakers",
    "several speakers",
    "panellists",
    "one panellist",
    "another speaker",
    "a number of delegations",
    "Member States",
    "the Chair",
    "experts",
    "some participants",
    "one speaker",
    "several panellists",
    "the moderator",
    "the Committee",
    "delegations",
    "practitioners",
    "researchers",
    "the representative of the Secretariat",
];

const DETERMINERS: &[&str] = &[
    "the", "", "their", "its", "such", "these", "relevant", "all", "other", "those", "existing",
    "many", "some", "several", "further",
];

const PREPOSITIONS: &[&str] = &[
    "of",
    "in",
    "for",
    "on",
    "with",
    "among",
    "by",
    "across",
    "through",
    "against",
    "within",
    "between",
    "from",
    "into",
    "under",
    "at",
    "regarding",
    "concerning",
    "beyond",
    "throughout",
    "alongside",
    "towards",
    "amid",
];

const MODALS: &[&str] = &[
    "could",
    "should",
    "would",
    "might",
    "could also",
    "should also",
    "needed to",
    "sought to",
    "continued to",
    "must",
    "were able to",
    "tended to",
    "may",
    "were likely to",
];

const LINKING: &[&str] = &[
    "remained",
    "had become",
    "appeared",
    "were often",
    "were increasingly",
    "seemed",
    "proved",
];

const OPENERS: &[&str] = &[
    "In that regard,",
    "In addition,",
    "Moreover,",
    "At the same time,",
    "Furthermore,",
    "In particular,",
    "However,",
    "In that context,",
    "Consequently,",
    "Accordingly,",
    "Nevertheless,",
    "To that end,",
    "In many cases,",
    "As a result,",
];

/// Fixed phrases of the field, with whether they may take "the".
const PHRASES: &[(&str, bool)] = &[
    ("financing of terrorism", true),
    ("trafficking in persons", false),
    ("foreign terrorist fighters", false),
    ("money laundering", false),
    ("small arms and light weapons", false),
    ("human trafficking", false),
    ("organized crime", false),
    ("drug trafficking", false),
    ("arms trafficking", false),
    ("kidnapping for ransom", false),
    ("improvised explosive devices", false),
    ("violent extremism", false),
    ("smuggling of migrants", true),
    ("cultural property", false),
    ("transnational organized crime", false),
    ("illicit financial flows", false),
    ("trafficking in cultural property", false),
    ("sexual and gender-based violence", false),
    ("new payment methods", false),
    ("virtual assets", false),
    ("border management", false),
    ("advance passenger information", false),
    ("passenger name record data", false),
    ("information and communications technologies", false),
    ("illicit trafficking in natural resources", false),
    ("illicit trade in wildlife", true),
    ("weapons of mass destruction", false),
    ("forced labour", false),
    ("counterfeit goods", false),
    ("trafficking in human organs", false),
    ("terrorist travel", false),
    ("returning and relocating foreign terrorist fighters", false),
];

/// Phrases that can be a briefing's topic (a prefix of `PHRASES`).
const TOPICAL: usize = 18;

/// Organizations: (first mention, later mentions).
const ORGS: &[(&str, &str)] = &[
    (
        "the Counter-Terrorism Committee Executive Directorate",
        "CTED",
    ),
    ("the United Nations Office on Drugs and Crime", "UNODC"),
    ("the International Criminal Police Organization", "INTERPOL"),
    ("the United Nations Office for Disarmament Affairs", "UNODA"),
    ("the Financial Action Task Force", "FATF"),
    (
        "the United Nations Interregional Crime and Justice Research Institute",
        "UNICRI",
    ),
    ("Small Arms Survey", "Small Arms Survey"),
    (
        "the Organization for Security and Co-operation in Europe",
        "OSCE",
    ),
    (
        "the European Union Agency for Law Enforcement Cooperation",
        "Europol",
    ),
    ("the United Nations Office of Counter-Terrorism", "UNOCT"),
    ("the International Organization for Migration", "IOM"),
    (
        "the United Nations Educational, Scientific and Cultural Organization",
        "UNESCO",
    ),
    ("the World Customs Organization", "WCO"),
    (
        "the Analytical Support and Sanctions Monitoring Team",
        "the Monitoring Team",
    ),
    ("the Global Counterterrorism Forum", "GCTF"),
    (
        "the Egmont Group of Financial Intelligence Units",
        "the Egmont Group",
    ),
    ("the International Civil Aviation Organization", "ICAO"),
    ("the African Union", "the African Union"),
    ("the Council of Europe", "the Council of Europe"),
    ("the Global Internet Forum to Counter Terrorism", "GIFCT"),
    ("the United Nations Development Programme", "UNDP"),
    (
        "the Office of the United Nations High Commissioner for Human Rights",
        "OHCHR",
    ),
    ("Conflict Armament Research", "Conflict Armament Research"),
    ("the International Committee of the Red Cross", "ICRC"),
    ("Tech Against Terrorism", "Tech Against Terrorism"),
];

const CTED: usize = 0;

const REGIONS: &[&str] = &[
    "the Sahel",
    "Central Asia",
    "the Lake Chad Basin",
    "South-East Asia",
    "the Western Balkans",
    "the Horn of Africa",
    "the Middle East",
    "West Africa",
    "East Africa",
    "North Africa",
    "the Caribbean",
    "Latin America",
    "South Asia",
    "the Gulf of Guinea",
    "the Mediterranean",
    "the Andean region",
    "the Great Lakes region",
    "Southern Africa",
    "the Pacific",
    "Europe",
];

/// Security Council resolutions: (number, year).
const RESOLUTIONS: &[(u32, u32)] = &[
    (1373, 2001),
    (1540, 2004),
    (2178, 2014),
    (2195, 2014),
    (2253, 2015),
    (2322, 2016),
    (2331, 2016),
    (2341, 2017),
    (2347, 2017),
    (2370, 2017),
    (2388, 2017),
    (2396, 2017),
    (2462, 2019),
    (2482, 2019),
    (2617, 2021),
];

const LIST_LEADS: &[&str] = &[
    "The participants made a number of recommendations, including:",
    "The participants made a number of recommendations, including:",
    "The participants made a number of recommendations, including:",
    "The participants made a number of follow-up recommendations, including:",
    "Speakers put forward a number of recommendations, including:",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const ROMAN: &[&str] = &["I", "II", "III", "IV", "V"];

// Material for synthesized rare words.
const PREFIXES: &[&str] = &[
    "", "", "", "", "counter", "cross", "inter", "trans", "sub", "re", "non", "post", "pre",
    "multi", "de", "co", "intra", "anti", "over", "under", "para", "meta", "neo", "hyper",
];
const STEMS: &[&str] = &[
    "regul",
    "monitor",
    "financ",
    "recruit",
    "radical",
    "border",
    "network",
    "govern",
    "custom",
    "transit",
    "licens",
    "prosecut",
    "detect",
    "regist",
    "broker",
    "launder",
    "intercept",
    "extrem",
    "milit",
    "insurg",
    "sanction",
    "screen",
    "traffick",
    "smuggl",
    "divert",
    "encrypt",
    "surveil",
    "mobil",
    "arbitr",
    "fortif",
    "verif",
    "certif",
    "proscript",
    "designat",
    "resili",
    "vulner",
    "account",
    "interoper",
    "jurisdict",
    "territor",
    "sovereign",
    "extort",
    "ransom",
    "hawal",
    "remitt",
    "procur",
    "stockpil",
    "munit",
    "explos",
    "deton",
    "forens",
    "biometr",
    "passeng",
    "aviat",
    "maritim",
    "cyber",
    "digit",
    "crypt",
    "ledg",
    "reintegr",
    "rehabilit",
    "repatri",
    "detent",
    "prison",
    "polic",
    "judic",
    "legislat",
    "normat",
    "operat",
    "strateg",
    "tact",
    "logist",
    "propagand",
    "ideolog",
    "narrat",
    "moder",
    "platform",
    "algorithm",
];
const NOUN_SUFFIXES: &[&str] = &[
    "ation", "ment", "ity", "ism", "ance", "ist", "ery", "ship", "ability", "ization", "ology",
    "ics", "age", "ure", "ness", "ator", "ant", "ion",
];
const ADJ_SUFFIXES: &[&str] = &[
    "al", "ive", "ic", "ary", "ous", "able", "istic", "ional", "ative", "atory",
];
const ONSETS: &[&str] = &[
    "Kal", "Mor", "Ven", "Tar", "Zel", "Bor", "Ost", "Ran", "Del", "Sar", "Lum", "Ket", "Var",
    "Nor", "Ash", "Ebr", "Ilm", "Quor", "Tas", "Hal", "Bel", "Dor", "Fen", "Gal", "Jor", "Mal",
];
const MIDDLES: &[&str] = &["a", "o", "i", "e", "", "u", "ar", "en"];
const ENDINGS: &[&str] = &[
    "ndia", "stan", "via", "ria", "land", "ana", "esh", "ova", "ara", "ica", "ania", "oria",
];

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

struct Verb {
    base: String,
    past: String,
    participle: String,
    gerund: String,
}

impl Verb {
    fn parse(spec: &str) -> Verb {
        let mut parts = spec.split('|');
        let base = parts.next().unwrap_or(spec).to_string();
        let doubles = DOUBLING.contains(&base.as_str());
        let stem = if base == "traffic" {
            "traffick".to_string()
        } else if doubles {
            let last = base.chars().last().unwrap_or('x');
            format!("{base}{last}")
        } else {
            base.clone()
        };
        let regular_past = if base.ends_with('e') {
            format!("{base}d")
        } else if base.ends_with('y')
            && !base.ends_with("ay")
            && !base.ends_with("ey")
            && !base.ends_with("oy")
        {
            format!("{}ied", &base[..base.len() - 1])
        } else {
            format!("{stem}ed")
        };
        let past = parts.next().map_or(regular_past.clone(), str::to_string);
        let participle = parts.next().map_or(regular_past, str::to_string);
        let gerund = if base.ends_with('e') && !base.ends_with("ee") {
            format!("{}ing", &base[..base.len() - 1])
        } else {
            format!("{stem}ing")
        };
        Verb {
            base,
            past,
            participle,
            gerund,
        }
    }
}

/// Real words drawn with probability `1 - rare`, synthesized (rare) ones
/// with probability `rare`; Zipf-distributed within each part, so the joint
/// rank-frequency curve is a Zipf head with a long tail.
struct WordClass {
    common: ZList<String>,
    rare: ZList<String>,
    p_rare: f64,
}

impl WordClass {
    fn draw(&self, rng: &mut Rng) -> &str {
        if rng.chance(self.p_rare) {
            self.rare.draw(rng)
        } else {
            self.common.draw(rng)
        }
    }

    fn len(&self) -> usize {
        self.common.len() + self.rare.len()
    }
}

struct Vocab {
    nouns: WordClass,
    adjectives: WordClass,
    verbs: ZList<Verb>,
    countries: ZList<String>,
    reporting: ZList<&'static str>,
    subjects: ZList<&'static str>,
    determiners: ZList<&'static str>,
    prepositions: ZList<&'static str>,
    modals: ZList<&'static str>,
    phrases: ZList<(&'static str, bool)>,
    orgs: ZList<usize>,
    regions: ZList<&'static str>,
}

impl Vocab {
    /// The vocabulary is fixed (independent of `--seed`), so corpora with
    /// different seeds share one language.
    fn build() -> Vocab {
        let mut rng = Rng::new(0x00C7_5EA2_C4C0_2B05);
        let mut taken: HashSet<String> = NOUNS
            .iter()
            .chain(ADJECTIVES)
            .map(|w| w.to_string())
            .collect();
        let mut fresh = |rng: &mut Rng, count: usize, suffixes: &[&str]| -> Vec<String> {
            let mut out = Vec::with_capacity(count);
            while out.len() < count {
                let word = format!(
                    "{}{}{}",
                    rng.pick(PREFIXES),
                    rng.pick(STEMS),
                    rng.pick(suffixes)
                );
                if taken.insert(word.clone()) {
                    out.push(word);
                }
            }
            out
        };
        let nouns = WordClass {
            common: ZList::with_offset(NOUNS.iter().map(|w| w.to_string()).collect(), 2.5),
            rare: ZList::new(fresh(&mut rng, 2400, NOUN_SUFFIXES)),
            p_rare: 0.07,
        };
        let adjectives = WordClass {
            common: ZList::with_offset(ADJECTIVES.iter().map(|w| w.to_string()).collect(), 2.5),
            rare: ZList::new(fresh(&mut rng, 700, ADJ_SUFFIXES)),
            p_rare: 0.05,
        };
        let mut seen = HashSet::new();
        let mut countries = Vec::new();
        while countries.len() < 180 {
            let name = format!(
                "{}{}{}",
                rng.pick(ONSETS),
                rng.pick(MIDDLES),
                rng.pick(ENDINGS)
            );
            if seen.insert(name.clone()) {
                countries.push(name);
            }
        }
        Vocab {
            nouns,
            adjectives,
            verbs: ZList::new(VERBS.iter().map(|v| Verb::parse(v)).collect()),
            countries: ZList::new(countries),
            reporting: ZList::new(REPORTING.to_vec()),
            subjects: ZList::new(SUBJECTS.to_vec()),
            determiners: ZList::new(DETERMINERS.to_vec()),
            prepositions: ZList::new(PREPOSITIONS.to_vec()),
            modals: ZList::new(MODALS.to_vec()),
            phrases: ZList::new(PHRASES.to_vec()),
            // CTED is mentioned anyway (organizer, Executive Director):
            // rank it third among the others.
            orgs: ZList::new([1, 2, CTED].into_iter().chain(3..ORGS.len()).collect()),
            regions: ZList::new(REGIONS.to_vec()),
        }
    }

    fn size(&self) -> usize {
        self.nouns.len() + self.adjectives.len() + self.verbs.len() * 4 + self.countries.len()
    }
}

// ---------------------------------------------------------------------------
// One briefing
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
enum Section {
    Intro,
    Session(usize),
    Closing,
}

impl Section {
    fn heading(self) -> String {
        match self {
            Section::Intro => "Introductory session".to_string(),
            Section::Session(k) => format!("Session {}", ROMAN[k]),
            Section::Closing => "Closing session".to_string(),
        }
    }
}

struct Meta {
    title: String,
    topic: String,
    kind: &'static str,
    date: String,
    symbol: String,
    source: &'static str,
    year: u32,
    month: usize,
    day: u32,
    markdown: bool,
    file_name: String,
}

fn days_in_month(year: u32, month: usize) -> u32 {
    match month {
        1 => {
            if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) {
                29
            } else {
                28
            }
        }
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

fn draw_year(rng: &mut Rng) -> u32 {
    2010 + rng.below(16) as u32
}

/// Lower-case ASCII words joined by `-`, at most `max_words` of them and
/// not ending on a function word.
fn slugify(text: &str, max_words: usize) -> String {
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(max_words)
        .map(str::to_ascii_lowercase)
        .collect();
    while words.len() > 1
        && matches!(
            words.last().map(String::as_str),
            Some("the" | "of" | "in" | "and" | "on" | "between" | "against" | "for")
        )
    {
        words.pop();
    }
    words.join("-")
}

struct Gen<'v> {
    v: &'v Vocab,
    rng: Rng,
    buf: String,
    space: bool,
    focus: Vec<usize>,
    org_seen: Vec<bool>,
    year: u32,
}

impl<'v> Gen<'v> {
    fn new(v: &'v Vocab, rng: Rng, year: u32) -> Self {
        Gen {
            v,
            rng,
            buf: String::with_capacity(16 * 1024),
            space: false,
            focus: Vec::new(),
            org_seen: vec![false; ORGS.len()],
            year,
        }
    }

    // --- low-level writing -------------------------------------------------

    fn word(&mut self, w: &str) {
        if w.is_empty() {
            return;
        }
        if self.space {
            self.buf.push(' ');
        }
        self.buf.push_str(w);
        self.space = true;
    }

    /// Writes one of `options`, chosen uniformly.
    fn one_of(&mut self, options: &[&str]) {
        let w = *self.rng.pick(options);
        self.word(w);
    }

    fn punct(&mut self, p: &str) {
        self.buf.push_str(p);
        self.space = true;
    }

    /// Starts a sentence (or list item); returns where it starts.
    fn begin(&mut self) -> usize {
        if self.space {
            self.buf.push(' ');
            self.space = false;
        }
        self.buf.len()
    }

    fn capitalize(&mut self, at: usize) {
        if let Some(first) = self.buf.get_mut(at..at + 1) {
            first.make_ascii_uppercase();
        }
    }

    fn end_block(&mut self) {
        self.buf.push_str("\n\n");
        self.space = false;
    }

    // --- phrases -----------------------------------------------------------

    fn org(&mut self, i: usize) {
        let (full, short) = ORGS[i];
        if !self.org_seen[i] {
            self.org_seen[i] = true;
            self.word(full);
            if full != short {
                let bare = short.strip_prefix("the ").unwrap_or(short);
                self.word(&format!("({bare})"));
            }
        } else if self.rng.chance(0.12) {
            self.word(full);
        } else {
            self.word(short);
        }
    }

    fn any_org(&mut self) {
        let i = *self.v.orgs.draw(&mut self.rng);
        self.org(i);
    }

    fn key_phrase(&mut self) {
        let (phrase, article) = if !self.focus.is_empty() && self.rng.chance(0.55) {
            let i = *self.rng.pick(&self.focus);
            PHRASES[i]
        } else {
            *self.v.phrases.draw(&mut self.rng)
        };
        if article && self.rng.chance(0.6) {
            self.word("the");
        }
        self.word(phrase);
    }

    fn place(&mut self) {
        let v = self.v;
        if self.rng.chance(0.6) {
            let r = *v.regions.draw(&mut self.rng);
            self.word(r);
        } else {
            let c = v.countries.draw(&mut self.rng);
            self.word(c);
        }
    }

    fn resolution(&mut self) {
        let year = self.year;
        let usable = RESOLUTIONS.iter().filter(|r| r.1 <= year).count();
        let (number, y) = RESOLUTIONS[self.rng.below(usable.max(1))];
        self.word(&format!("Security Council resolution {number} ({y})"));
    }

    fn noun_phrase(&mut self, depth: u32) {
        let v = self.v;
        let r = self.rng.unit();
        let p_key = if depth == 0 { 0.11 } else { 0.07 };
        if r < p_key {
            self.key_phrase();
        } else if r < p_key + 0.035 {
            let head = *self.rng.pick(&[
                "the work of",
                "the role of",
                "the efforts of",
                "the mandate of",
                "the tools developed by",
                "the initiatives of",
            ]);
            self.word(head);
            self.any_org();
            return;
        } else if r < p_key + 0.045 {
            self.resolution();
            return;
        } else {
            let noun = v.nouns.draw(&mut self.rng);
            // Nouns such as "the Internet" bring their own article.
            if !noun.starts_with("the ") {
                let det = *v.determiners.draw(&mut self.rng);
                self.word(det);
                let adjectives = match self.rng.below(10) {
                    0..=4 => 0,
                    5..=8 => 1,
                    _ => 2,
                };
                let mut last = "";
                for _ in 0..adjectives {
                    let a = v.adjectives.draw(&mut self.rng);
                    if a != last {
                        self.word(a);
                        last = a;
                    }
                }
                if self.rng.chance(0.06) {
                    let a = v.adjectives.draw(&mut self.rng);
                    let b = v.adjectives.draw(&mut self.rng);
                    if a != b {
                        self.word(a);
                        self.word("and");
                        self.word(b);
                    }
                }
            }
            self.word(noun);
        }
        if depth < 2 && self.rng.chance(0.32) {
            self.prep_phrase(depth + 1);
        } else if depth == 0 && self.rng.chance(0.1) {
            self.word("and");
            self.noun_phrase(depth + 1);
        }
    }

    fn prep_phrase(&mut self, depth: u32) {
        if self.rng.chance(0.06) {
            self.one_of(&["in", "across", "throughout", "within"]);
            self.place();
            return;
        }
        let p = *self.v.prepositions.draw(&mut self.rng);
        self.word(p);
        self.noun_phrase(depth);
    }

    fn subject(&mut self) {
        let r = self.rng.below(20);
        if r < 4 {
            if self.rng.chance(0.4) {
                self.word("the representative of");
            }
            self.any_org();
        } else if r < 6 {
            self.word("the representative of");
            let c = self.v.countries.draw(&mut self.rng);
            self.word(c);
        } else {
            let s = *self.v.subjects.draw(&mut self.rng);
            self.word(s);
        }
    }

    fn verb(&mut self) -> &'v Verb {
        self.v.verbs.draw(&mut self.rng)
    }

    fn clause(&mut self) {
        match self.rng.below(20) {
            0..=6 => {
                self.noun_phrase(1);
                let m = *self.v.modals.draw(&mut self.rng);
                self.word(m);
                let vb = self.verb();
                self.word(&vb.base);
                self.noun_phrase(0);
            }
            7..=10 => {
                self.noun_phrase(1);
                let vb = self.verb();
                self.word(&vb.past);
                self.noun_phrase(0);
            }
            11..=12 => {
                self.noun_phrase(1);
                self.one_of(LINKING);
                let a = self.v.adjectives.draw(&mut self.rng);
                self.word(a);
                if self.rng.chance(0.5) {
                    self.prep_phrase(1);
                }
            }
            13..=14 => {
                self.noun_phrase(0);
                self.one_of(&["should", "should also", "could", "needed to"]);
                self.word("be");
                let vb = self.verb();
                self.word(&vb.participle);
                if self.rng.chance(0.5) {
                    self.prep_phrase(1);
                }
            }
            15 => {
                self.one_of(&[
                    "there was a need to",
                    "it was essential to",
                    "it was important to",
                    "more needed to be done to",
                ]);
                let vb = self.verb();
                self.word(&vb.base);
                self.noun_phrase(0);
            }
            16 => {
                self.noun_phrase(1);
                self.word("had been");
                let vb = self.verb();
                self.word(&vb.participle);
                self.prep_phrase(1);
            }
            17 => {
                self.noun_phrase(1);
                self.one_of(&[
                    "shared a common interest in",
                    "benefited from",
                    "relied on",
                    "were engaged in",
                ]);
                let vb = self.verb();
                self.word(&vb.gerund);
                self.noun_phrase(1);
            }
            _ => {
                self.noun_phrase(1);
                self.one_of(&["thrived in", "exploited", "took advantage of"]);
                self.noun_phrase(0);
                if self.rng.chance(0.5) {
                    self.punct(",");
                    self.one_of(&["including", "in particular", "notably"]);
                    self.noun_phrase(1);
                }
            }
        }
    }

    fn sentence(&mut self) {
        let at = self.begin();
        match self.rng.below(100) {
            0..=24 => {
                self.subject();
                let r = *self.v.reporting.draw(&mut self.rng);
                self.word(r);
                self.word("that");
                self.clause();
                if self.rng.chance(0.25) {
                    self.punct(",");
                    self.word("and that");
                    self.clause();
                }
            }
            25..=36 => {
                self.one_of(&[
                    "It was noted that",
                    "It was noted that",
                    "It was stressed that",
                    "It was further noted that",
                    "It was emphasized that",
                    "It was also observed that",
                ]);
                self.clause();
            }
            37..=45 => {
                self.subject();
                self.one_of(&[
                    "underlined",
                    "stressed",
                    "emphasized",
                    "highlighted",
                    "recalled",
                ]);
                self.one_of(&[
                    "the importance of",
                    "the need for",
                    "the value of",
                    "the challenges posed by",
                ]);
                self.noun_phrase(0);
            }
            46..=60 => {
                if self.rng.chance(0.35) {
                    self.one_of(OPENERS);
                }
                self.clause();
            }
            61..=67 => {
                self.any_org();
                self.one_of(&[
                    "presented an analysis of",
                    "presented its work on",
                    "shared the preliminary findings of its study on",
                    "provided an overview of",
                    "briefed participants on",
                ]);
                self.noun_phrase(0);
            }
            68..=75 => {
                self.one_of(&[
                    "Member States should",
                    "Member States should also",
                    "States should",
                    "Relevant authorities should",
                ]);
                let vb = self.verb();
                self.word(&vb.base);
                self.noun_phrase(0);
                if self.rng.chance(0.3) {
                    self.punct(",");
                    self.word("including by");
                    let vb = self.verb();
                    self.word(&vb.gerund);
                    self.noun_phrase(1);
                }
            }
            76..=80 => {
                self.one_of(&[
                    "It was noted that the related challenges could be addressed by, inter alia,",
                    "Participants suggested, inter alia,",
                    "Speakers called for",
                ]);
                for k in 0..3 {
                    if k == 1 {
                        self.punct(";");
                    } else if k == 2 {
                        self.punct(";");
                        self.word("and");
                    }
                    let vb = self.verb();
                    self.word(&vb.gerund);
                    self.noun_phrase(1);
                }
            }
            81..=85 => {
                let year = self.year as usize;
                let y = self.rng.range(2001, year);
                if self.rng.chance(0.5) {
                    self.word(&format!("Since {y},"));
                } else {
                    let m = *self.rng.pick(MONTHS);
                    self.word(&format!("By the end of {m} {y},"));
                }
                self.clause();
            }
            86..=89 => {
                self.one_of(&[
                    "Panellists noted related initiatives of",
                    "Participants welcomed the work of",
                    "Speakers referred to the activities of",
                ]);
                let n = self.rng.range(2, 4);
                let mut chosen: Vec<usize> = Vec::with_capacity(n);
                while chosen.len() < n {
                    let i = *self.v.orgs.draw(&mut self.rng);
                    if !chosen.contains(&i) {
                        chosen.push(i);
                    }
                }
                for (k, &i) in chosen.iter().enumerate() {
                    if k > 0 && n > 2 {
                        self.punct(",");
                    }
                    if k + 1 == n {
                        self.word("and");
                    }
                    self.org(i);
                }
            }
            90..=94 => {
                self.resolution();
                self.one_of(&[
                    "calls upon Member States to",
                    "urges Member States to",
                    "encourages Member States to",
                    "requires States to",
                ]);
                let vb = self.verb();
                self.word(&vb.base);
                self.noun_phrase(0);
            }
            _ => {
                self.noun_phrase(1);
                self.one_of(&["was identified as", "was described as", "was considered"]);
                self.one_of(&["a key", "a growing", "a major", "an emerging"]);
                self.one_of(&["challenge", "concern", "priority", "risk", "trend"]);
                if self.rng.chance(0.6) {
                    self.prep_phrase(1);
                }
            }
        }
        self.punct(".");
        self.capitalize(at);
    }

    fn opener(&mut self, section: Section) {
        let at = self.begin();
        match section {
            Section::Intro => match self.rng.below(3) {
                0 => {
                    self.word("The introductory session focused on");
                    self.noun_phrase(1);
                    self.word("and");
                    self.noun_phrase(1);
                }
                1 => {
                    self.word("Opening the briefing, the Chair of the Counter-Terrorism Committee");
                    let r = *self.v.reporting.draw(&mut self.rng);
                    self.word(r);
                    self.word("that");
                    self.clause();
                }
                _ => {
                    self.word("In the introductory session,");
                    self.subject();
                    let r = *self.v.reporting.draw(&mut self.rng);
                    self.word(r);
                    self.word("that");
                    self.clause();
                }
            },
            Section::Session(k) => {
                let roman = ROMAN[k];
                match self.rng.below(4) {
                    0 => {
                        self.word(&format!(
                            "During Session {roman}, the participants considered"
                        ));
                        self.noun_phrase(0);
                    }
                    1 => {
                        self.word(&format!("Session {roman} addressed"));
                        self.noun_phrase(1);
                        self.prep_phrase(1);
                    }
                    2 => {
                        self.word(&format!("Session {roman} focused on"));
                        self.noun_phrase(1);
                        self.punct(",");
                        self.word("with particular emphasis on");
                        self.key_phrase();
                    }
                    _ => {
                        self.word(&format!("The discussion in Session {roman} centred on"));
                        self.key_phrase();
                        self.word("and");
                        self.noun_phrase(1);
                    }
                }
            }
            Section::Closing => match self.rng.below(3) {
                0 => {
                    self.word("In the closing session,");
                    self.subject();
                    let r = *self.v.reporting.draw(&mut self.rng);
                    self.word(r);
                    self.word("that");
                    self.clause();
                }
                1 => {
                    self.word("Closing the briefing, the Executive Director of");
                    self.org(CTED);
                    let r = *self.v.reporting.draw(&mut self.rng);
                    self.word(r);
                    self.word("that");
                    self.clause();
                }
                _ => {
                    self.word("The closing session provided an opportunity to");
                    let vb = self.verb();
                    self.word(&vb.base);
                    self.noun_phrase(0);
                }
            },
        }
        self.punct(".");
        self.capitalize(at);
    }

    fn preamble_opener(&mut self, meta: &Meta) {
        let at = self.begin();
        self.word(&format!(
            "On {} {} {}, the Counter-Terrorism Committee held {} on {}.",
            meta.day,
            MONTHS[meta.month],
            meta.year,
            match meta.kind {
                "Joint open briefing" => "a joint open briefing",
                "Special meeting" => "a special meeting",
                _ => "an open briefing",
            },
            meta.topic
        ));
        self.capitalize(at);
        self.begin();
        self.word("The briefing was organized by");
        self.org(CTED);
        self.word("in cooperation with");
        let mut partner = *self.v.orgs.draw(&mut self.rng);
        if partner == CTED {
            partner = 1;
        }
        self.org(partner);
        self.punct(".");
        self.begin();
        self.word("Its aims were to");
        let vb = self.verb();
        self.word(&vb.base);
        self.noun_phrase(0);
        self.word("and to");
        let vb = self.verb();
        self.word(&vb.base);
        self.noun_phrase(1);
        self.punct(".");
    }

    fn paragraph(&mut self, target: usize, opener: Option<Section>) {
        let start = self.buf.len();
        self.space = false;
        if let Some(section) = opener {
            self.opener(section);
        }
        while self.buf.len() - start < target {
            self.sentence();
        }
        self.end_block();
    }

    fn recommendations(&mut self) {
        let lead = *self.rng.pick(LIST_LEADS);
        self.buf.push_str(lead);
        self.end_block();
        let n = self.rng.range(2, 5);
        for k in 0..n {
            self.buf.push_str("- ");
            self.space = false;
            let at = self.buf.len();
            match self.rng.below(5) {
                0..=2 => {
                    let vb = self.verb();
                    self.word(&vb.gerund);
                    self.noun_phrase(0);
                    if self.rng.chance(0.4) {
                        self.prep_phrase(1);
                    }
                }
                3 => {
                    self.one_of(&[
                        "Member States should",
                        "CTED should",
                        "Relevant United Nations entities should",
                    ]);
                    let vb = self.verb();
                    self.word(&vb.base);
                    self.noun_phrase(0);
                }
                _ => {
                    self.one_of(&[
                        "Further research should be conducted on",
                        "Greater attention should be paid to",
                        "Additional resources should be allocated to",
                    ]);
                    self.noun_phrase(0);
                }
            }
            self.punct(if k + 1 == n { "." } else { ";" });
            self.capitalize(at);
            self.buf.push('\n');
        }
        self.buf.push('\n');
        self.space = false;
    }

    fn heading(&mut self, section: Section, markdown: bool) {
        if markdown {
            self.buf.push_str("## ");
        }
        self.buf.push_str(&section.heading());
        self.end_block();
    }

    /// The length of the next paragraph: an even share of what is left of
    /// the body's budget, jittered by +-50%.
    fn slot_target(&mut self, start: usize, target: usize, slots: &mut usize) -> usize {
        let remaining = target.saturating_sub(self.buf.len() - start);
        let share = remaining / (*slots).max(1);
        *slots = slots.saturating_sub(1);
        let jitter = 0.5 + self.rng.unit();
        ((share as f64 * jitter) as usize).max(90)
    }

    /// Generates the body (preamble and sessions), about `target` bytes.
    fn body(&mut self, meta: &Meta, target: usize) {
        let markdown = meta.markdown;
        let preamble = self.rng.range(1, 3);
        let mut sections = vec![Section::Intro];
        let wanted = self.rng.range(2, 5);
        let mut needed = wanted;
        for k in 0..5 {
            if self.rng.below(5 - k) < needed {
                sections.push(Section::Session(k));
                needed -= 1;
            }
        }
        sections.push(Section::Closing);
        let counts: Vec<usize> = sections.iter().map(|_| self.rng.range(2, 6)).collect();
        let mut slots = preamble + counts.iter().sum::<usize>();
        let start = self.buf.len();
        for p in 0..preamble {
            let t = self.slot_target(start, target, &mut slots);
            if p == 0 {
                self.space = false;
                let s = self.buf.len();
                self.preamble_opener(meta);
                while self.buf.len() - s < t {
                    self.sentence();
                }
                self.end_block();
            } else {
                self.paragraph(t, None);
            }
        }
        for (section, &count) in sections.iter().zip(&counts) {
            self.heading(*section, markdown);
            for p in 0..count {
                let t = self.slot_target(start, target, &mut slots);
                self.paragraph(t, (p == 0).then_some(*section));
            }
            if !matches!(section, Section::Closing) && self.rng.chance(0.35) {
                self.recommendations();
            }
        }
        // One trailing newline.
        while self.buf.ends_with("\n\n") {
            self.buf.pop();
        }
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Draws a briefing's metadata; the year must be the first draw (see
/// `draw_year`), so the output folders can be known in advance.
fn make_meta(rng: &mut Rng, index: usize, focus: &mut Vec<usize>) -> Meta {
    let year = draw_year(rng);
    let month = rng.below(12);
    let day = rng.range(1, days_in_month(year, month) as usize) as u32;
    let markdown = rng.chance(0.4);
    let number = rng.range(1, 999);
    let source = if rng.chance(0.85) { "CTC/CTED" } else { "CTED" };

    focus.clear();
    let n = rng.range(2, 4);
    while focus.len() < n {
        let i = rng.below(TOPICAL);
        if !focus.contains(&i) {
            focus.push(i);
        }
    }
    let f1 = PHRASES[focus[0]].0;
    let f2 = PHRASES[focus[1]].0;
    let region = *rng.pick(REGIONS);
    let topic = match rng.below(9) {
        0 => format!("the nexus between terrorism and {f1}"),
        1 => format!("{f1} and the financing of terrorism"),
        2 => format!("preventing and countering {f1}"),
        3 => format!("the links between terrorism, {f1} and {f2}"),
        4 => format!("{f1}, {f2} and terrorism"),
        5 => format!("emerging trends in {f1}"),
        6 => format!("{f1} and {f2} in {region}"),
        7 => format!("strengthening international cooperation against {f1}"),
        _ => format!("{f1} and terrorism"),
    }
    .replace(
        "financing of terrorism and the financing of terrorism",
        "financing of terrorism and money laundering",
    );
    let (kind, full) = match rng.below(20) {
        0..=15 => (
            "Open briefing",
            "Open briefing of the Counter-Terrorism Committee".to_string(),
        ),
        16..=17 => (
            "Joint open briefing",
            "Joint open briefing of the Counter-Terrorism Committee and the 1540 Committee"
                .to_string(),
        ),
        _ => (
            "Special meeting",
            "Special meeting of the Counter-Terrorism Committee".to_string(),
        ),
    };
    let title = format!("{full} on {topic}");
    let date = format!("{year}-{:02}-{day:02}", month + 1);
    let slug = format!("{}-{}-{index}", slugify(kind, 3), slugify(&topic, 8));
    let ext = if markdown { "md" } else { "txt" };
    Meta {
        title,
        topic,
        kind,
        file_name: format!("{date}-{slug}.{ext}"),
        date,
        symbol: format!("S/{year}/{number}"),
        source,
        year,
        month,
        day,
        markdown,
    }
}

struct Written {
    bytes: u64,
    files: u64,
    markdown: bool,
}

fn write_briefing(vocab: &Vocab, seed: u64, index: usize, out: &Path) -> Result<Written> {
    let mut rng = doc_rng(seed, index);
    let mut focus = Vec::with_capacity(4);
    let meta = make_meta(&mut rng, index, &mut focus);
    let target = 6000 + rng.below(4001) + rng.below(4001);
    let mut g = Gen::new(vocab, rng, meta.year);
    g.focus = focus;
    if meta.markdown {
        g.buf.push_str(&format!(
            "---\ntitle: {}\ndate: {}\nsymbol: {}\nsource: {}\n---\n\n",
            meta.title, meta.date, meta.symbol, meta.source
        ));
    }
    g.body(&meta, target);
    let dir = out.join(meta.year.to_string());
    let path = dir.join(&meta.file_name);
    fs::write(&path, g.buf.as_bytes()).with_context(|| format!("writing {}", path.display()))?;
    let mut written = Written {
        bytes: g.buf.len() as u64,
        files: 1,
        markdown: meta.markdown,
    };
    if !meta.markdown {
        let sidecar = format!(
            "title = {}\ndate = {}\nsymbol = {}\nsource = {}\n",
            toml_string(&meta.title),
            toml_string(&meta.date),
            toml_string(&meta.symbol),
            toml_string(meta.source)
        );
        let side_path = dir.join(format!("{}.meta.toml", meta.file_name));
        fs::write(&side_path, sidecar.as_bytes())
            .with_context(|| format!("writing {}", side_path.display()))?;
        written.bytes += sidecar.len() as u64;
        written.files += 1;
    }
    Ok(written)
}

/// `Ok(None)` if `out` may be written into, `Ok(Some(reason))` if not.
fn refusal(out: &Path, force: bool) -> Result<Option<String>> {
    if !out.exists() {
        return Ok(None);
    }
    if !out.is_dir() {
        return Ok(Some(format!(
            "{} exists and is not a directory",
            out.display()
        )));
    }
    let mut entries =
        fs::read_dir(out).with_context(|| format!("reading directory {}", out.display()))?;
    if entries.next().is_some() && !force {
        return Ok(Some(format!(
            "{} is not empty (use --force to write into it anyway)",
            out.display()
        )));
    }
    Ok(None)
}

fn run(args: &Args) -> Result<()> {
    let started = Instant::now();
    let vocab = Vocab::build();
    fs::create_dir_all(&args.out)
        .with_context(|| format!("creating directory {}", args.out.display()))?;
    let years: BTreeSet<u32> = (0..args.briefings)
        .map(|i| draw_year(&mut doc_rng(args.seed, i)))
        .collect();
    for year in &years {
        let dir = args.out.join(year.to_string());
        fs::create_dir_all(&dir)
            .with_context(|| format!("creating directory {}", dir.display()))?;
    }
    let results = (0..args.briefings)
        .into_par_iter()
        .map(|i| write_briefing(&vocab, args.seed, i, &args.out))
        .collect::<Result<Vec<Written>>>()?;
    let files: u64 = results.iter().map(|w| w.files).sum();
    let bytes: u64 = results.iter().map(|w| w.bytes).sum();
    let markdown = results.iter().filter(|w| w.markdown).count();
    eprintln!(
        "gen-corpus: wrote {files} files ({} briefings: {} .txt + sidecars, {markdown} .md; vocabulary ~{} words) in {}, {:.1} MB, {:.2} s",
        args.briefings,
        args.briefings - markdown,
        vocab.size(),
        args.out.display(),
        bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match refusal(&args.out, args.force) {
        Ok(None) => {}
        Ok(Some(reason)) => {
            eprintln!("gen-corpus: refusing to write: {reason}");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("gen-corpus: error: {e:#}");
            return ExitCode::FAILURE;
        }
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen-corpus: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
