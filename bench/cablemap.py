"""cleansite's header readers on the cases of another cable parser's own tests (heuer/cablemap).

    python bench/cablemap.py [--show N] [--raw]

The cases are in tests/cablemap/*.jsonl (see tests/cablemap/README.md): real header fragments
with the REF IDs, SUBJECT or TAGS that cablemap's tests expect. Each fragment goes through the
public readers the parser uses on a cable header (cleansite.parse.parse_page):

* REF IDs: ``read_ref_text(text)`` then ``parse_references(ref_text, year, cable)`` with the
  test's year as two digits and the case's cable (as parse_page passes the citing cable's
  ID); the IDs are ``[r.id for r in refs if r.id]``, compared as a list (order and repeats
  count). Every REF fragment carries its REF key ("REF:", "Ref(s):", "Refs :", "Reftel:",
  "REF A)"...), or, for 07AMMAN1801 ("A. REF AMMAN 222 ..."), a "REF" word before the first
  entry, so no fragment is given a key it does not have. A fragment where ``read_ref_text``
  finds no REF field gives no IDs.
* SUBJECT: ``read_subject(text)``.
* TAGS: ``read_tags(text)``, compared as a list.

What is fed differs from the test text in one way only, the way the parser sees a header: a
literal backslash-n (two characters, left over from cablemap's doctests, in 02ROME1196's REF
case and the two synthetic "TAGS: TAG TAG2" subject cases) becomes a line break, as it is in
the cable. Each result is compared with the case's ``by_text`` (the reading of the text where
cablemap's expectation contradicts it) if present, else with ``expected``. Two of cablemap's
options have no counterpart in cleansite: for a subject case with ``clean: true`` (cablemap
strips a leading classification marking such as "(S) "), the same marking is stripped from
cleansite's result before comparing; the one TAGS case with ``canonicalize: false`` is skipped.

Each fragment first loses its page-break lines (``TRIPOLI 00000402 001.2 OF 003``, whole or
inline) through ``cleansite.pagebreaks.remove_page_breaks``, as parse_page does before it
reads the header, with the origin of the case's cable (if named) as the hint. With ``--raw``
the readers see the fragment as the test has it.

Figures are printed for all cases and for those whose test names a cable (``cable`` set).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from cleansite.header import read_ref_text, read_subject, read_tags
from cleansite.ids import CABLE_ID
from cleansite.pagebreaks import remove_page_breaks
from cleansite.refs import parse_references

DATA = Path(__file__).resolve().parent.parent / "tests" / "cablemap"
FIELDS = ("references", "subjects", "tags")
# A classification marking at the start of a subject: (U), (C), (S), (SBU), (S/NF), (C/NF) ...
_MARKING = re.compile(r"^\((?:U|C|S|TS|SBU|S/NF|C/NF|C//NF|S//NF|U/FOUO|SBU/NF)\)\s*", re.I)


def load(field: str) -> list[dict]:
    with open(DATA / f"{field}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def as_fed(case: dict, page_breaks: bool = False) -> str:
    """The fragment as the parser would see it in a header (see the module docstring)."""
    text = case["text"].replace("\\n", "\n")
    if page_breaks:
        cable = CABLE_ID.match(case.get("cable") or case.get("cable_elsewhere") or "")
        text = "\n".join(remove_page_breaks(text.split("\n"), cable.group("origin") if cable else None)[0])
    return text


def read(field: str, case: dict, page_breaks: bool = False):
    text = as_fed(case, page_breaks)
    if field == "references":
        ref_text = read_ref_text(text)
        if not ref_text:
            return []
        return [r.id for r in parse_references(ref_text, f"{case['year'] % 100:02d}", case.get("cable")) if r.id]
    if field == "subjects":
        subject = read_subject(text)
        if subject is not None and case.get("clean", True):
            subject = _MARKING.sub("", subject)
        return subject
    return list(read_tags(text))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--show", type=int, default=0, help="print up to N misses per field")
    ap.add_argument("--raw", action="store_true", help="keep page-break lines (parse_page removes them first)")
    args = ap.parse_args(argv)

    misses: dict[str, list] = {}
    print(f"{'field':<11} {'all cases':>12} {'named cable':>12} {'skipped':>8}  (against by_text where present, else expected)")
    for field in FIELDS:
        right = total = right_named = total_named = skipped = 0
        misses[field] = []
        for case in load(field):
            if case.get("canonicalize") is False:
                skipped += 1
                continue
            want = case.get("by_text", case["expected"])
            got = read(field, case, not args.raw)
            ok = got == want
            total += 1
            right += ok
            if case.get("cable"):
                total_named += 1
                right_named += ok
            if not ok:
                misses[field].append((case, want, got))
        print(f"{field:<11} {right:>5}/{total:<6} {right_named:>5}/{total_named:<6} {skipped:>8}")

    if args.show:
        for field in FIELDS:
            for case, want, got in misses[field][: args.show]:
                cable = case.get("cable") or (f"({case['cable_elsewhere']})" if case.get("cable_elsewhere") else "-")
                print(f"\n[{field}] {cable}  {case['source']}")
                print(f"  text:     {case['text']!r}")
                if "year" in case:
                    print(f"  year:     {case['year']}")
                print(f"  want:     {want!r}" + ("   (by_text)" if "by_text" in case else ""))
                if "by_text" in case:
                    print(f"  cablemap: {case['expected']!r}")
                print(f"  got:      {got!r}")
                if case.get("doubt"):
                    print(f"  doubt:    {case['doubt']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
