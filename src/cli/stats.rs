//! `ctsearch stats`: what the index holds.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::Args;

use super::{ContextArgs, Outcome};
use crate::render::write_all_facets;
use crate::search::Filters;

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub context: ContextArgs,
}

fn dir_size(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// `YYYY-MM-DD HH:MM:SS UTC` of a Unix time (civil-from-days, Howard Hinnant).
pub fn utc(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub fn run(args: StatsArgs) -> Result<Outcome> {
    let context = args.context.open()?;
    let all = context.facets("", &Filters::default())?;
    let open = context.index();
    let p = &open.payload;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "briefings:    {}", p.briefings)?;
    writeln!(out, "sessions:     {}", p.sessions)?;
    writeln!(out, "passages:     {}", p.passages)?;
    writeln!(
        out,
        "index size:   {:.2} MB ({})",
        dir_size(&open.dir) as f64 / 1e6,
        open.dir.display()
    )?;
    writeln!(out, "last updated: {}", utc(p.updated))?;
    writeln!(out, "corpus:       {}", p.corpus)?;
    write_all_facets(&mut out, &all.facets)?;
    out.flush()?;
    Ok(Outcome::Matched)
}

#[cfg(test)]
mod tests {
    #[test]
    fn utc_formats_unix_time() {
        assert_eq!(super::utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(super::utc(1_538_956_800), "2018-10-08 00:00:00 UTC");
    }
}
