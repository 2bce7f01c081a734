"""Real cables laid out as Scoop's text pages are, and how much of each cleansite recovers.

    python bench/scoop_layout.py [--half tune|test|all] [--table a|b|c] [--show N]

Scoop's "Cablegate:" story pages (../shared/corpus/scoop/10CHENGDU28.txt) keep the DE line and
the date-time group of the routing header, drop the classification line, SIPDIS, TAGS and
SUBJECT (the subject becomes the "Cablegate: ..." headline), keep the rest of the header and
the body with its page-break lines, and wrap it all in the site's banner, ads, newsletter
prompts and footer. This script lays out the cables of the truth table (tests/truth) that
way, from their viewer pages, under file names that say nothing (a hash), runs
``cleansite parse`` on them and compares with the truth: published (an ID or not, the page
is listed), ID, created, origin, REF IDs and paragraph numbers. Classification, TAGS and
subject are not on such a page, so they are not compared.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fidelity import CORPUS, load_truth, run_tool  # noqa: E402

_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)
_DROPPED = re.compile(r"^\s*(?:SIPDIS\b|TAGS\b|SUBJ(?:ECT)?\b|(?:C O N F|S E C R E T|U N C L|UNCLAS|CONFIDENTIAL|SECRET|LIMITED)\S*)", re.I)
_BANNER = ["Celebrating 25 Years of Scoop", "Special: Up To 25% Off Scoop Pro Learn More", "", "", ""]
_AD = ["", "Advertisement - scroll to continue reading", "", "Are you getting our free newsletter?", "",
       "Subscribe to Scoop\u2019s 'The Catch Up' our free weekly newsletter sent to your inbox every Monday"
       " with stories from across our network.", ""]
_FOOTER = ["", "\u00a9 Scoop Media", "", "Advertisement - scroll to continue reading", "World Headlines", "", "",
           "Join Our Free Newsletter"]
# Where a line left out runs on into a field Scoop keeps: "... IN GEORGIA REF: STATE 85678 Classified By: ...".
_RUN_ON = re.compile(r"(?<=\s)(?:REFS?:|REF\s+[A-Z][.)]|Classified By)|(?<=[a-z])REF:")
FIELDS = ("published", "id", "created", "origin", "refs", "paragraphs")


def scoop_page(viewer_html: str, subject: str | None) -> str | None:
    """The text of a Scoop-like page for one viewer page; None if the page has no DE line or is flattened."""
    pres = [html.unescape(re.sub(r"</?[A-Za-z][^>]*>", "", pre)) for pre in _PRE.findall(viewer_html)]
    text = "\n".join(pres).replace("¶", "")
    de_line = re.search(r"(?m)^DE R\w+ #.*$", text)
    dtg = re.search(r"(?m)^[A-Z](?: [A-Z])? \d{6}Z [A-Z]{3} \d{2}.*$", text)
    if not (de_line and dtg) or len(pres) < 2:
        return None
    body_lines = pres[-1].replace("¶", "").split("\n")
    if any(len(line) > 300 and _DROPPED.match(line) for line in body_lines):
        return None  # a flattened page (header and body on one line): no Scoop page looks like that
    body = _without_header_lines(body_lines)
    paragraphs = "\n".join(body).split("\n\n")
    if len(paragraphs) > 3:  # an ad block after the second paragraph, as on the seed page
        paragraphs[3:3] = ["\n".join(_AD).strip("\n")]
    headline = f"Cablegate: {(subject or 'Cable').title()[:70]}"
    lines = [*_BANNER, headline, "", de_line.group(0), dtg.group(0), "", "", "", "", "\n\n".join(paragraphs), *_FOOTER]
    return "\n".join(lines) + "\n"


def _without_header_lines(lines: list[str]) -> list[str]:
    """The cable text without the lines Scoop leaves out (and the wrapped lines of TAGS and SUBJECT)."""
    kept, skipping = [], False
    for line in lines:
        if _DROPPED.match(line):
            skipping = True
            if rest := _RUN_ON.search(line):  # a field the page ran into the subject's line stays
                kept.append(line[rest.start() :])
                skipping = False
            continue
        if skipping and line.strip() and not re.match(r"\s*(?:REF|E\.O|EO |Classified|CLASSIFIED|\d+\.|\()", line):
            if rest := _RUN_ON.search(line):  # ... or into its wrapped line ("U.S.COURSE OF ACTION  REF: STATE 76033")
                kept.append(line[rest.start() :])
                skipping = False
            continue
        skipping = False
        kept.append(line)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "test", "all"), default="test")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--table", action="append", help="only truth-TABLE.jsonl (a, b, c; repeatable)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="scoop-layout-"))
    rows, pages = [], []
    for row in load_truth(args.half, args.table):
        text = scoop_page((CORPUS / row["page"]).read_text(encoding="utf-8", errors="replace"), row["subject"])
        if text is None:
            continue
        page = folder / (hashlib.sha1(row["page"].encode()).hexdigest()[:16] + ".txt")
        page.write_text(text, encoding="utf-8")
        rows.append(row)
        pages.append(page)
    records = run_tool(pages, folder / "cache")
    results = []
    for row, page in zip(rows, pages, strict=True):
        record = records.get(str(page.resolve()))
        ok = record is not None and "error" not in record and "skipped" not in record
        got = {
            "published": ok,
            "id": ok and record["id"] == row["id"],
            "created": ok and record["created"] == row["created"],
            "origin": ok and record["origin"] == row["origin"],
            "refs": ok and [r["id"] for r in record["references"] if r["id"]] == row["refs"],
            "paragraphs": ok and [b["number"] for b in record["blocks"] if b["kind"] == "paragraph" and b["number"]] == row["paragraphs"],
        }
        results.append((row, got, record))
    print(f"{len(rows)} cables of half '{args.half}' laid out like Scoop's text page (pages without a DE line or flattened left out)")
    for field in FIELDS:
        right = sum(got[field] for _, got, _ in results)
        print(f"{field:<12} {right:>4}/{len(rows):<4} {100 * right / max(len(rows), 1):6.1f}%")
    every = sum(all(got.values()) for _, got, _ in results)
    print(f"{'all':<12} {every:>4}/{len(rows):<4} {100 * every / max(len(rows), 1):6.1f}%")
    for field in FIELDS if args.show else ():
        for row, _, record in [r for r in results if not r[1][field]][: args.show]:
            value = None if not record or "error" in record else {"id": record.get("id"), "created": record.get("created"),
                     "origin": record.get("origin")}.get(field, "(see record)")
            print(f"  {field} {row['page']}: want {row.get(field)!r} got {value!r}")
    print(json.dumps({"folder": str(folder)}))


if __name__ == "__main__":
    main()
