#!/usr/bin/env bash
# PDF extraction speed: ctsearch (pdf-extract, inside `ctsearch index`) and
# pdftotext (poppler-utils) side by side, on the same generated PDF set, in
# the same run. See BENCHMARKS.md, point 7.
#
# Usage: bench/pdf-speed.sh [--files N] [--runs K] [--work DIR]
#   --files N   generated PDFs of 20 pages each (default 60 = 1,200 pages)
#   --runs K    timed runs per measurement; the median is reported (default 5)
#   --work DIR  scratch directory (default /tmp/ctsearch-pdf-bench)
#
# Needs: cargo, pdftotext and pdfinfo (apt-get install -y poppler-utils).
#
# What is timed (wall clock, all cores for both tools):
#   ctsearch index   a full rebuild of an index of the PDFs: extraction,
#                    furniture removal, dehyphenation, parsing, tagging and
#                    tantivy indexing; the end-to-end figure a user sees.
#   ctsearch txt     the same rebuild over pdftotext's output saved as .txt:
#                    everything but the extraction, so the difference of the
#                    two is ctsearch's extraction share.
#   pdftotext        every PDF to a text file, one process per file, as many
#                    at a time as there are cores (xargs -P).
# The PDFs are test fixtures written by the ignored test `write_bench_pdfs`
# in tests/formats.rs (running header and footer, headings, hyphenated line
# ends, Helvetica text).
set -euo pipefail

FILES=60
RUNS=5
WORK=/tmp/ctsearch-pdf-bench

while [[ $# -gt 0 ]]; do
    case "$1" in
        --files) FILES="${2:?--files needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --work) WORK="${2:?--work needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

for tool in cargo pdftotext pdfinfo; do
    command -v "$tool" >/dev/null || { echo "needs $tool (see --help)" >&2; exit 2; }
done

cd "$(dirname "$0")/.."
cargo build --release --quiet
BIN="$PWD/target/release/ctsearch"
CORES=$(nproc)

rm -rf "$WORK"
mkdir -p "$WORK/pdf" "$WORK/txt"
CTSEARCH_BENCH_PDFS="$WORK/pdf" CTSEARCH_BENCH_FILES="$FILES" \
    cargo test --release --quiet --test formats -- --ignored write_bench_pdfs >/dev/null

PAGES=0
for f in "$WORK"/pdf/*.pdf; do
    n=$(pdfinfo "$f" | awk '/^Pages:/ {print $2}')
    PAGES=$((PAGES + n))
done
BYTES=$(du -sb "$WORK/pdf" | cut -f1)

# The text the peer extracts, as a .txt corpus for the "ctsearch txt" line.
for f in "$WORK"/pdf/*.pdf; do
    pdftotext -enc UTF-8 "$f" "$WORK/txt/$(basename "${f%.pdf}").txt"
done

now() { date +%s.%N; }

# Median wall seconds of RUNS runs of "$@".
median_of() {
    local times=()
    for _ in $(seq "$RUNS"); do
        local t0 t1
        t0=$(now)
        "$@" >/dev/null 2>&1
        t1=$(now)
        times+=("$(echo "$t1 - $t0" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

ctsearch_pdf() { "$BIN" index --corpus "$WORK/pdf" --index "$WORK/index-pdf" --rebuild --quiet; }
ctsearch_txt() { "$BIN" index --corpus "$WORK/txt" --index "$WORK/index-txt" --rebuild --quiet; }
peer() {
    find "$WORK/pdf" -name '*.pdf' -print0 |
        xargs -0 -P "$CORES" -I{} sh -c 'pdftotext -enc UTF-8 "$1" "$1.out.txt"' _ {}
}

# Warm-up: page cache, and a check that every PDF was indexed.
ctsearch_pdf
INDEXED=$("$BIN" index --corpus "$WORK/pdf" --index "$WORK/index-pdf" --format json |
    awk -F': ' '/"briefings"/ {gsub(/,/, "", $2); print $2}')
peer

T_PDF=$(median_of ctsearch_pdf)
T_TXT=$(median_of ctsearch_txt)
T_PEER=$(median_of peer)

rate() { echo "scale=0; $PAGES / $1" | bc -l; }
EXTRACT=$(echo "$T_PDF - $T_TXT" | bc -l)

echo "PDF set: $FILES files ($INDEXED indexed), $PAGES pages, $((BYTES / 1024)) KiB; $CORES cores; median of $RUNS runs; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-46s | %9s | %8s |\n' "measurement" "wall (s)" "pages/s"
printf '| %-46s | %9s | %8s |\n' "---" "---" "---"
printf '| %-46s | %9.2f | %8s |\n' "ctsearch index (PDF to index, end to end)" "$T_PDF" "$(rate "$T_PDF")"
printf '| %-46s | %9.2f | %8s |\n' "ctsearch index of the same text as .txt" "$T_TXT" "-"
printf '| %-46s | %9.2f | %8s |\n' "ctsearch extraction share (difference)" "$EXTRACT" "$(rate "$EXTRACT")"
printf '| %-46s | %9.2f | %8s |\n' "pdftotext, $CORES processes in parallel" "$T_PEER" "$(rate "$T_PEER")"
