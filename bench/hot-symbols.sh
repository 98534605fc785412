#!/usr/bin/env bash
# Regenerates bench/hot-symbols.txt: the functions of the release binary that
# a search runs, in the order valgrind's callgrind first lists them. build.rs
# hands the file to the linker (`--symbol-ordering-file`), which places those
# functions together at the start of the binary's code; see build.rs for why.
#
# Usage: bench/hot-symbols.sh [--work DIR]
#   --work DIR   the benchmark's scratch directory, with a corpus and its index
#                (default /tmp/ctsearch-bench; bench/run.sh creates them)
#
# Needs: valgrind. Run it after changes that rename or add hot functions (a
# new dependency version, a new rustc); stale names are skipped by the linker,
# so an old file costs speed, never correctness.
set -euo pipefail

WORK=/tmp/ctsearch-bench
while [[ $# -gt 0 ]]; do
    case "$1" in
        --work) WORK="${2:?--work needs a value}"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "hot-symbols.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
command -v valgrind >/dev/null || { echo "hot-symbols.sh: valgrind not found (apt-get install -y valgrind)" >&2; exit 1; }
CORPUS="$(ls -d "$WORK"/corpus-*-s* 2>/dev/null | grep -v '\.stamp$' | head -1 || true)"
[[ -n "$CORPUS" ]] || { echo "hot-symbols.sh: no corpus in $WORK; run bench/run.sh first" >&2; exit 1; }
INDEX="$WORK/index-${CORPUS##*/corpus-}"
[[ -d "$INDEX" ]] || { echo "hot-symbols.sh: no index at $INDEX; run bench/run.sh first" >&2; exit 1; }

(cd "$ROOT" && cargo build --release --quiet)
BIN="$ROOT/target/release/ctsearch"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

# The benchmark's queries, and the other read-only commands a user runs.
n=0
run() {
    n=$((n + 1))
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$OUT/$n.out" \
        "$BIN" "$@" >/dev/null 2>&1 || true
}
LOC=(--corpus "$CORPUS" --index "$INDEX")
for query in "weapons" "cryptocurrency" "arms trafficking" '"trafficking in persons"' \
    "how do terrorist groups finance their operations through drug trafficking and kidnapping for ransom"; do
    run search "${LOC[@]}" --limit 10 --color never "$query"
done
run search "${LOC[@]}" --limit 10 --color never --crime arms-trafficking weapons
run search "${LOC[@]}" --limit 10 --color never --session III financing
run search "${LOC[@]}" --limit 10 --format json "small arms"
run search "${LOC[@]}" --limit 10 --color always "terrorist financing"
run search "${LOC[@]}" --limit 10 --color never "nosuchwordanywhere"
run facets "${LOC[@]}"

# Function names of the binary itself, each once, in order of first listing.
python3 - "$OUT"/*.out > "$BENCH_DIR/hot-symbols.txt" <<'EOF'
import re, sys
seen = {}
for path in sys.argv[1:]:
    names, objects, current = {}, {}, None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = re.match(r"^(c?ob)=\((\d+)\)(?: (.*))?$", line)
        if m:
            kind, i, name = m.groups()
            if name:
                objects[i] = name
            if kind == "ob":
                current = objects.get(i)
            continue
        m = re.match(r"^(c?fn)=\((\d+)\)(?: (.*))?$", line)
        if m:
            kind, i, name = m.groups()
            if name:
                names[i] = name
            if kind == "fn" and current and current.endswith("/ctsearch") and names.get(i):
                seen.setdefault(names[i], None)
for name in seen:
    print(name)
EOF
echo "hot-symbols.sh: $(wc -l < "$BENCH_DIR/hot-symbols.txt") functions in bench/hot-symbols.txt" >&2
