#!/usr/bin/env python3
"""SQLite FTS5 peer for bench/run.sh (python3 standard library only).

Splits every briefing of a ctsearch corpus into sessions the same simple way
ctsearch does and loads them into

    CREATE VIRTUAL TABLE s USING fts5(path, session, body, tokenize='porter')

Usage:
    sqlite_fts.py sql   CORPUS OUT.sql   write a load script for `sqlite3 DB < OUT.sql`
    sqlite_fts.py build DB CORPUS        split and load in one process (python sqlite3)
    sqlite_fts.py count CORPUS           print the number of briefings and sessions

Splitting rules (one session per heading):
  * briefings are `*.txt` and `*.md` files (`.meta.toml` sidecars are skipped);
  * Markdown front matter (a leading `---` ... `---` block) is dropped;
  * a heading is a line that is exactly "Introductory session", "Closing
    session" or "Session <roman numeral or number>" (case-insensitive), or any
    Markdown `## ` heading; the heading text (without `## `) is the session label;
  * text before the first heading is a session labelled "Overview" (skipped if blank).
"""

import os
import re
import sqlite3
import sys

HEADING = re.compile(
    r"^(?:##\s+(?P<md>.+?)|(?P<plain>introductory session|closing session|session\s+(?:[ivxlc]+|\d+)))\s*$",
    re.IGNORECASE,
)

SCHEMA = "CREATE VIRTUAL TABLE s USING fts5(path, session, body, tokenize='porter');"


def briefings(corpus):
    """Yields (relative path, text) for every briefing, in a stable order."""
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        for name in sorted(files):
            if not (name.endswith(".txt") or name.endswith(".md")):
                continue
            full = os.path.join(root, name)
            with open(full, encoding="utf-8", errors="replace") as f:
                yield os.path.relpath(full, corpus), f.read()


def strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            nl = text.find("\n", end + 4)
            return "" if nl == -1 else text[nl + 1 :]
    return text


def sessions(text):
    """Yields (label, body) for each session of one briefing."""
    label, lines = "Overview", []
    for line in strip_front_matter(text).splitlines():
        m = HEADING.match(line.strip())
        if m:
            body = "\n".join(lines).strip()
            if body or label != "Overview":
                yield label, body
            label = (m.group("md") or m.group("plain")).strip()
            lines = []
        else:
            lines.append(line)
    body = "\n".join(lines).strip()
    if body or label != "Overview":
        yield label, body


def rows(corpus):
    for path, text in briefings(corpus):
        for label, body in sessions(text):
            yield path, label, body


def sql_quote(s):
    return "'" + s.replace("'", "''") + "'"


def write_sql(corpus, out):
    with open(out, "w", encoding="utf-8") as f:
        f.write("PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n")
        f.write(SCHEMA + "\nBEGIN;\n")
        for path, label, body in rows(corpus):
            f.write(
                "INSERT INTO s VALUES(%s,%s,%s);\n"
                % (sql_quote(path), sql_quote(label), sql_quote(body))
            )
        f.write("COMMIT;\n")


def build(db, corpus):
    if os.path.exists(db):
        os.remove(db)
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(SCHEMA)
    with con:
        con.executemany("INSERT INTO s VALUES(?,?,?)", rows(corpus))
    con.close()


def count(corpus):
    n_briefings = n_sessions = 0
    for _, text in briefings(corpus):
        n_briefings += 1
        n_sessions += sum(1 for _ in sessions(text))
    print(f"{n_briefings} briefings, {n_sessions} sessions")


def main(argv):
    if len(argv) == 4 and argv[1] == "sql":
        write_sql(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "build":
        build(argv[2], argv[3])
    elif len(argv) == 3 and argv[1] == "count":
        count(argv[2])
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
