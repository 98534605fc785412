//! Test fixtures in the shape of Security Council resolutions, abridged
//! from the archive's texts, for the citator's tests.

use super::Corpus;

/// Writes resolution `n` of `year`, adopted at `meeting` on `date`, with
/// `body` (its preamble and operative paragraphs) as `S-RES-n(year).txt`.
pub fn resolution(corpus: &Corpus, n: &str, year: &str, meeting: &str, date: &str, body: &str) {
    corpus.write(
        &format!("S-RES-{n}({year}).txt"),
        format!(
            "Resolution {n} ({year})\nAdopted by the Security Council at its {meeting} meeting, on {date}\n\nThe Security Council,\n\n{body}\n"
        ),
    );
}

/// Writes the CTED resolutions that follow 1535, in their words: 1787
/// extends 1535 by number; 1805, 1963 and 2129 continue CTED in a clause
/// naming no resolution, their predecessors recalled in the preamble
/// "which pertain to" CTED, and name 1989 (2011) beside CTED in clause 9
/// (`also_cited` is added to that clause's list); 1989 extends another
/// mandate. 1535 itself is the caller's, who decides what it says.
pub fn cted_after_1535(corpus: &Corpus, also_cited: &str) {
    resolution(
        corpus,
        "1787",
        "2007",
        "5795th",
        "10 December 2007",
        "Recalling resolution 1373 (2001) of 28 September 2001, resolution 1535 (2004) of 26 March 2004,\n\n1. Decides to extend the initial period referred to in paragraph 2 of resolution 1535 (2004) until 31 March 2008;",
    );
    for (n, year, meeting, date, recalled, until) in [
        (
            "1805",
            "2008",
            "5856th",
            "20 March 2008",
            "resolution 1535 (2004) of 26 March 2004 and resolution 1787 (2007) of 10 December 2007",
            "31 December 2010",
        ),
        (
            "1963",
            "2010",
            "6459th",
            "20 December 2010",
            "resolution 1535 (2004) of 26 March 2004, resolution 1787 (2007) of 10 December 2007, and resolution 1805 (2008) of 20 March 2008",
            "31 December 2013",
        ),
        (
            "2129",
            "2013",
            "7086th",
            "17 December 2013",
            "resolution 1535 (2004) of 26 March 2004, resolution 1787 (2007) of 10 December 2007, resolution 1805 (2008) of 20 March 2008, and resolution 1963 (2010) of 20 December 2010",
            "31 December 2017",
        ),
    ] {
        resolution(
            corpus,
            n,
            year,
            meeting,
            date,
            &format!(
                "Recalling resolution 1373 (2001) of 28 September 2001, which established the Counter-Terrorism Committee (CTC),\n\nRecalling, in particular, {recalled}, which pertain to the Counter-Terrorism Committee Executive Directorate (CTED),\n\n2. Decides that CTED will continue to operate as a special political mission under the policy guidance of the CTC for the period ending {until};\n\n9. Reiterates the need to enhance cooperation among the CTC, CTED and the Committee established pursuant to resolutions 1267 (1999) and 1989 (2011){also_cited};"
            ),
        );
    }
    resolution(
        corpus,
        "1989",
        "2011",
        "6557th",
        "17 June 2011",
        "Recalling its resolution 1267 (1999),\n\n21. Decides to extend the mandate of the Office of the Ombudsperson, established by resolution 1904 (2009), for a period of 18 months;",
    );
}
