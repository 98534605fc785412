#!/usr/bin/env bash
# Benchmark harness for ctsearch: index build, re-index, search latency, memory
# and index size, side by side with ripgrep (`rg -l -i`) and SQLite FTS5.
#
# Usage: bench/run.sh [--briefings N] [--runs K] [--work DIR] [--seed S]
#   --briefings N   corpus size in briefings (default 20000)
#   --runs K        timed runs per measurement; medians are reported (default 5;
#                   searches by ctsearch and FTS5 get 4 × K, at least 20)
#   --work DIR      scratch directory: corpus, indexes, results (default /tmp/ctsearch-bench)
#   --seed S        corpus generator seed (default 42)
#   --profile P     cargo profile of the binary: release (default) or release-lto
#
# Needs: cargo, python3, GNU time (/usr/bin/time), hyperfine.
# Optional peers (skipped with a note when missing): rg (ripgrep), sqlite3 with FTS5.
#   apt-get install -y time hyperfine ripgrep sqlite3
#
# Results go to WORK/results/<timestamp>/ (raw timings, hyperfine JSON, report.md);
# the report is also printed on stdout. See BENCHMARKS.md for what is measured.
set -euo pipefail

BRIEFINGS=20000
RUNS=5
WORK=/tmp/ctsearch-bench
SEED=42
PROFILE=release
COMMAND_LINE="bench/run.sh $*"

usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --briefings) BRIEFINGS="${2:?--briefings needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --work) WORK="${2:?--work needs a value}"; shift 2 ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --profile) PROFILE="${2:?--profile needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$BRIEFINGS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --briefings must be a positive integer" >&2; exit 2; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$SEED" =~ ^[0-9]+$ ]] || { echo "run.sh: --seed must be a non-negative integer" >&2; exit 2; }

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { echo "run.sh: $*" >&2; exit 1; }

# ---------------------------------------------------------------- prerequisites
command -v cargo >/dev/null || die "cargo not found"
command -v python3 >/dev/null || die "python3 not found"
[[ -x /usr/bin/time ]] && /usr/bin/time -f '%M' true 2>/dev/null >/dev/null \
    || die "GNU time not found at /usr/bin/time (apt-get install -y time)"
command -v hyperfine >/dev/null || die "hyperfine not found (apt-get install -y hyperfine, or cargo install hyperfine)"

NOTES=()
HAVE_RG=1
HAVE_SQLITE=1
if ! command -v rg >/dev/null; then
    HAVE_RG=0; NOTES+=("ripgrep (rg) not installed: rg peer skipped (apt-get install -y ripgrep)")
fi
if ! command -v sqlite3 >/dev/null; then
    HAVE_SQLITE=0; NOTES+=("sqlite3 not installed: SQLite FTS5 peer skipped (apt-get install -y sqlite3)")
elif ! sqlite3 :memory: "CREATE VIRTUAL TABLE t USING fts5(a, tokenize='porter');" >/dev/null 2>&1; then
    HAVE_SQLITE=0; NOTES+=("sqlite3 lacks FTS5: SQLite FTS5 peer skipped")
fi

mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
STAMP="$(date +%Y%m%d-%H%M%S)"
RES="$WORK/results/$STAMP"
mkdir -p "$RES"
CORPUS="$WORK/corpus-$BRIEFINGS-s$SEED"
INDEX="$WORK/index-$BRIEFINGS-s$SEED"
SQLDB="$WORK/fts5-$BRIEFINGS-s$SEED.db"
LOADSQL="$WORK/fts5-load-$BRIEFINGS-s$SEED.sql"

# ---------------------------------------------------------------- machine info
{
    echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "command=$COMMAND_LINE"
    echo "briefings=$BRIEFINGS"
    echo "runs=$RUNS"
    echo "seed=$SEED"
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "ram_mb=$(awk '/MemTotal/ {printf "%d", $2/1024}' /proc/meminfo)"
    echo "kernel=$(uname -sr)"
    echo "git=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo ' (dirty)')"
    echo "rustc=$(rustc --version 2>/dev/null || echo unknown)"
    echo "hyperfine=$(hyperfine --version | head -1)"
    echo "rg=$( ((HAVE_RG)) && rg --version | head -1 || echo none)"
    echo "sqlite3=$( ((HAVE_SQLITE)) && sqlite3 --version | cut -d' ' -f1 || echo none)"
    echo "profile=$PROFILE"
    echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$RES/env.txt"

# ---------------------------------------------------------------- build
log "building ctsearch (profile $PROFILE)"
(cd "$ROOT" && cargo build --profile "$PROFILE" --quiet && cargo build --profile "$PROFILE" --quiet --example tantivy-floor)
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
[[ -x "$TARGET_DIR/$PROFILE/ctsearch" ]] || die "ctsearch binary not found at $TARGET_DIR/$PROFILE/ctsearch"
# Benchmark a private copy: a concurrent `cargo build` must not swap the binary mid-run
# (a binary with another index fingerprint would silently rebuild the index).
CTS="$WORK/bin/ctsearch"
mkdir -p "$WORK/bin"
cp "$TARGET_DIR/$PROFILE/ctsearch" "$CTS.tmp" && mv -f "$CTS.tmp" "$CTS"
# The floor: the least a tantivy search process does (examples/tantivy-floor.rs).
FLOOR="$WORK/bin/tantivy-floor"
cp "$TARGET_DIR/$PROFILE/examples/tantivy-floor" "$FLOOR.tmp" && mv -f "$FLOOR.tmp" "$FLOOR"
echo "binary_sha256=$(sha256sum "$CTS" | cut -c1-16)" >>"$RES/env.txt"

# ---------------------------------------------------------------- corpus
if [[ -d "$CORPUS" && -f "$CORPUS.stamp" && "$(cat "$CORPUS.stamp")" == "briefings=$BRIEFINGS seed=$SEED" ]]; then
    log "reusing corpus $CORPUS"
else
    log "generating corpus: $BRIEFINGS briefings -> $CORPUS"
    rm -rf "$CORPUS" "$CORPUS.stamp" "$INDEX" "$SQLDB" "$LOADSQL"
    (cd "$ROOT" && cargo run --release --quiet --example gen-corpus -- \
        --briefings "$BRIEFINGS" --seed "$SEED" --out "$CORPUS") >&2
    echo "briefings=$BRIEFINGS seed=$SEED" >"$CORPUS.stamp"
fi
# Restore the file edited by a previous, interrupted run (see step 3).
if [[ -f "$CORPUS.edit-backup" ]]; then
    cp -p "$CORPUS.edit-backup/file" "$(cat "$CORPUS.edit-backup/path")"
    rm -rf "$CORPUS.edit-backup"
fi
{
    echo "corpus_dir=$CORPUS"
    echo "corpus_bytes=$(du -sb "$CORPUS" | cut -f1)"
    echo "corpus_disk_bytes=$(du -s --block-size=1 "$CORPUS" | cut -f1)"
    echo "corpus_briefing_bytes=$(find "$CORPUS" -type f \( -name '*.txt' -o -name '*.md' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}')"
    echo "corpus_files=$(find "$CORPUS" -type f | wc -l)"
} >>"$RES/env.txt"
# Warm the page cache: every measurement below is a warm-cache measurement.
find "$CORPUS" -type f -print0 | xargs -0 cat >/dev/null

# timed NAME CMD...: one run under GNU time, appends "wall user sys maxrss_kb" to
# RES/NAME.tsv. Exit status 0 is required, or also 1 with TIMED_ALLOW_1=1 (no hits).
timed() {
    local name="$1" rc=0; shift
    /usr/bin/time -f '%e %U %S %M' -o "$RES/.time" "$@" >/dev/null 2>"$RES/.stderr" || rc=$?
    if ((rc != 0)) && ! ((rc == 1 && ${TIMED_ALLOW_1:-0})); then
        cat "$RES/.stderr" >&2
        die "command failed (exit $rc): $*"
    fi
    tail -n 1 "$RES/.time" >>"$RES/$name.tsv"   # GNU time may prepend an exit-status line
}

# ---------------------------------------------------------------- 1. full index build
# ctsearch's and FTS5's builds alternate, run by run: the machine's load drifts
# over minutes, and back-to-back blocks of runs would put the drift into the
# ratio between them.
if ((HAVE_SQLITE)) && [[ ! -s "$LOADSQL" ]]; then
    python3 "$BENCH_DIR/sqlite_fts.py" sql "$CORPUS" "$LOADSQL"
fi
if ((HAVE_SQLITE)); then
    log "1. full index build, $RUNS runs each, alternating (ctsearch index --rebuild; sqlite3 DB < load.sql)"
else
    log "1. full index build, $RUNS runs (ctsearch index --rebuild)"
fi
"$CTS" index --corpus "$CORPUS" --index "$INDEX" --quiet   # make sure an index exists
for ((i = 1; i <= RUNS; i++)); do
    timed ct_build "$CTS" index --corpus "$CORPUS" --index "$INDEX" --rebuild --quiet
    if ((HAVE_SQLITE)); then
        rm -f "$SQLDB"
        timed fts_build_sql sh -c 'exec sqlite3 "$1" <"$2"' sh "$SQLDB" "$LOADSQL"
    fi
done
"$CTS" index --corpus "$CORPUS" --index "$INDEX" --format json >"$RES/ct_index_summary.json" 2>/dev/null || true

if ((HAVE_SQLITE)); then
    log "1b. SQLite FTS5 split + load in Python, $RUNS runs (python3 sqlite_fts.py build)"
    for ((i = 1; i <= RUNS; i++)); do
        timed fts_build_py python3 "$BENCH_DIR/sqlite_fts.py" build "$SQLDB.py" "$CORPUS"
    done
    rm -f "$SQLDB.py"
    echo "fts_db_bytes=$(stat -c %s "$SQLDB")" >>"$RES/env.txt"
    echo "fts_loadsql_bytes=$(stat -c %s "$LOADSQL")" >>"$RES/env.txt"
    python3 "$BENCH_DIR/sqlite_fts.py" count "$CORPUS" | sed 's/^/fts_rows=/' >>"$RES/env.txt"
fi

# ---------------------------------------------------------------- 2./3. re-index
log "2. no-change re-index, $RUNS runs"
hyperfine --style basic --warmup 1 --runs "$RUNS" -N --export-json "$RES/hf_ct_reindex_nochange.json" \
    "$CTS index --corpus $CORPUS --index $INDEX --quiet" >"$RES/hf_ct_reindex_nochange.txt"

log "3. one-briefing-changed re-index, $RUNS runs"
EDIT_FILE="$(find "$CORPUS" -type f -name '*.txt' | sort | sed -n 1p)"
mkdir -p "$CORPUS.edit-backup"
cp -p "$EDIT_FILE" "$CORPUS.edit-backup/file"
echo "$EDIT_FILE" >"$CORPUS.edit-backup/path"
echo "edited_file=${EDIT_FILE#"$CORPUS"/}" >>"$RES/env.txt"
# --prepare appends a fresh line before every run (warm-ups included), so every
# timed run sees exactly one changed briefing.
hyperfine --style basic --warmup 1 --runs "$RUNS" -N \
    --prepare "sh -c 'echo \"Benchmark edit \$(date +%s%N).\" >> \"$EDIT_FILE\"'" \
    --export-json "$RES/hf_ct_reindex_onechange.json" \
    "$CTS index --corpus $CORPUS --index $INDEX --quiet" >"$RES/hf_ct_reindex_onechange.txt"
cp -p "$CORPUS.edit-backup/file" "$EDIT_FILE"
rm -rf "$CORPUS.edit-backup"
"$CTS" index --corpus "$CORPUS" --index "$INDEX" --quiet
echo "index_bytes=$(du -sb "$INDEX" | cut -f1)" >>"$RES/env.txt"
echo "index_disk_bytes=$(du -s --block-size=1 "$INDEX" | cut -f1)" >>"$RES/env.txt"

# ---------------------------------------------------------------- 4. search
# id | ctsearch arguments | rg pattern(s) (-e separated by ' -e ') | FTS5 MATCH expression
#    | tantivy-floor arguments (empty: a phrase, which the floor does not run)
# (all quoted for the shell: hyperfine -N splits them shell-style)
QUERIES=(
    "weapons|weapons|weapons|weapons|weapons"
    "cryptocurrency|cryptocurrency|cryptocurrency|cryptocurrency|cryptocurrency"
    "two_terms|arms trafficking|'arms trafficking'|arms OR trafficking|'arms trafficking'"
    "phrase|'\"trafficking in persons\"'|'trafficking in persons'|\"trafficking in persons\"|"
    "filter_crime|weapons --crime arms-trafficking|weapons|weapons|weapons crime=arms-trafficking"
    "filter_session|financing --session III|financing|financing AND session:III|financing session_key=session-3"
    "question|what are the links between terrorist groups and organized criminal networks today|links -e terrorist -e groups -e organized -e criminal -e networks -e today|links OR terrorist OR groups OR organized OR criminal OR networks OR today|'links terrorist groups organized criminal networks today'"
)
printf '%s\n' "${QUERIES[@]}" >"$RES/queries.txt"
# Searches take milliseconds, and a shared machine's noise is of the same
# order: ctsearch and FTS5 get 4 × RUNS runs (at least 20) per query; rg,
# which reads the whole corpus each time, gets RUNS.
SEARCH_RUNS=$(( RUNS * 4 > 20 ? RUNS * 4 : 20 ))
echo "search_runs=$SEARCH_RUNS" >>"$RES/env.txt"

for q in "${QUERIES[@]}"; do
    IFS='|' read -r id ct_args rg_pat fts_match floor_args <<<"$q"
    log "4. search '$id', $RUNS runs each"
    ct_cmd="$CTS search --corpus $CORPUS --index $INDEX --limit 10 --color never --quiet $ct_args"
    # hit counts, for the record (not timed)
    eval "$CTS search --corpus $CORPUS --index $INDEX --quiet --format json --limit 1 $ct_args" 2>/dev/null \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("total","?"), d.get("took_ms","?"))' \
        >"$RES/count_ct_$id.txt" 2>/dev/null || echo "0 ?" >"$RES/count_ct_$id.txt"
    # peak RSS of one search process
    TIMED_ALLOW_1=1
    eval "timed rss_ct_$id $ct_cmd"
    TIMED_ALLOW_1=0
    hyperfine --style basic --warmup 2 --runs "$SEARCH_RUNS" -N -i \
        --export-json "$RES/hf_ct_$id.json" "$ct_cmd" >"$RES/hf_ct_$id.txt"
    if [[ -n "$floor_args" ]]; then
        hyperfine --style basic --warmup 2 --runs "$SEARCH_RUNS" -N \
            --export-json "$RES/hf_floor_$id.json" "$FLOOR $INDEX $floor_args" >"$RES/hf_floor_$id.txt"
    fi
    if ((HAVE_RG)); then
        rg_cmd="rg -l -i -e $rg_pat $CORPUS"
        eval "$rg_cmd" 2>/dev/null | wc -l >"$RES/count_rg_$id.txt" || true
        hyperfine --style basic --warmup 2 --runs "$RUNS" -N -i \
            --export-json "$RES/hf_rg_$id.json" "$rg_cmd" >"$RES/hf_rg_$id.txt"
    fi
    if ((HAVE_SQLITE)); then
        match="${fts_match//\'/\'\'}"
        sql="SELECT path, session, snippet(s, 2, '[', ']', '…', 12), bm25(s) FROM s WHERE s MATCH '$match' ORDER BY bm25(s) LIMIT 10"
        sqlite3 "$SQLDB" "SELECT count(*) FROM s WHERE s MATCH '$match'" >"$RES/count_fts_$id.txt" 2>&1 || true
        printf '%s\n' "$sql" >"$RES/fts_sql_$id.txt"
        timed "rss_fts_$id" sqlite3 "$SQLDB" "$sql"
        # hyperfine -N splits shell-style: wrap the SQL in single quotes ('\'' for ').
        hyperfine --style basic --warmup 2 --runs "$SEARCH_RUNS" -N -i \
            --export-json "$RES/hf_fts_$id.json" \
            "sqlite3 $SQLDB '${sql//\'/\'\\\'\'}'" >"$RES/hf_fts_$id.txt"
    fi
done

echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/env.txt"
for n in "${NOTES[@]+"${NOTES[@]}"}"; do echo "note=$n" >>"$RES/env.txt"; done
rm -f "$RES/.time" "$RES/.stderr"

# ---------------------------------------------------------------- report
python3 "$BENCH_DIR/report.py" "$RES" | tee "$RES/report.md"
log "raw results in $RES"
