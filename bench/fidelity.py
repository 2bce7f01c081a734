"""Field accuracy of cleansite against a hand-made truth table of real cables.

    python bench/fidelity.py [--half tune|test|all] [--show N]

The truth table (tests/truth/truth-*.jsonl) was filled in by readers who read each page and
never saw the tool's output. Each cable belongs to one half, by a hash of its page path:
rules are tuned on ``tune`` and the README reports ``test``. The tool runs as users run it
(``python -m cleansite parse``, the CLI's code path) on the pages under ../shared/corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"
TRUTH = sorted((PROJECT / "tests" / "truth").glob("truth-*.jsonl"))
FIELDS = ("id", "created", "origin", "classification", "tags", "subject", "refs", "paragraphs", "words", "artefacts")

# Site text that must never reach a document (the viewer's sidebar, help and share text).
_SITE_TEXT = ("Browse latest releases", "Browse by creation", "Currently released so far", "Discussing cables",
              "Understanding cables", "Community resources", "Advertisement", "newsletter")
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)
# An older telegram's page head with the classification lines closing and opening the pages around it.
_TELEGRAM_PAGE = re.compile(
    r"(?:^[ \t]*(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]*\n(?:[ \t]*\n)*){0,2}"
    r"^[ \t]*PAGE\s+\d{2,3}\s+[A-Z][A-Z .'-]{0,24}?\s+\d{3,7}\s+\d{2}\s+OF\s+\d{2}\s+\d{6}Z?[ \t]*$",
    re.M,
)
_BREAK = re.compile(r"(?<![A-Za-z])(?P<words>(?:[A-Z][A-Z.'-]*\s+){1,4})\d{8}\s+\d{3}(?:\.\s*\d+)?\s+OF\s+\d{3}")


def half_of(page: str) -> str:
    """``tune`` or ``test``: a fixed split by the page path's hash."""
    return "tune" if int(hashlib.sha1(page.encode()).hexdigest(), 16) % 2 == 0 else "test"


def load_truth(half: str, tables: list[str] | None = None) -> list[dict]:
    """The truth rows of one half (or ``all``) of the given tables (``a``, ``b``, ``c``; default all)."""
    paths = [path for path in TRUTH if tables is None or path.stem.removeprefix("truth-") in tables]
    rows = [json.loads(line) for path in paths for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row for row in rows if half == "all" or half_of(row["page"]) == half]


def run_tool(pages: list[Path], cache: Path) -> dict[str, dict]:
    """The ``cleansite parse`` record of each page, by path."""
    command = [sys.executable, "-m", "cleansite", "parse", "--cache", str(cache), *map(str, pages)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=PROJECT)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return {str(Path(record["path"]).resolve()): record for record in records}


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+|[0-9]+", _BREAK.sub(_text_words_of_break, _TELEGRAM_PAGE.sub(" ", text)))


def _text_words_of_break(match: re.Match[str]) -> str:
    """A page-break line goes; capital words before it that are not its post name stay ("IT TRIPOLI 00000221 ...")."""
    words = match.group("words").split()
    for start in range(len(words)):
        joined = "".join(words[start:])
        if len(joined) >= 4 and any(len(code) >= 4 and (code.startswith(joined) or joined == code) for code in _POSTS):
            return " " + " ".join(words[:start]) + " "
    return " " + " ".join(words[:-1]) + " "


_POSTS = {re.sub(r"[^A-Z]", "", line.split("=")[0]) for line in (PROJECT / "generator" / "posts.toml").read_text().splitlines() if "=" in line}  # noqa: E501


# A row of the full-release table (numeric id, date, reference ID, ...), tab- or comma-separated, or the numeric id
# alone on its line and the fields after it separated by spaces (the 2011 viewer's form).
_DATABASE_ROW = re.compile(
    r"^\d+(?:[\t,]|[ \t]*\n(?:[ \t]*\n)*)(?:\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{4}) [\d:]+[\t, ](?P<id>\d{2}[A-Z]+\d+)[\t, ]", re.M
)


def expected_words(page: Path, cable_id: str | None = None) -> list[str]:
    """The words of the page's <pre> blocks (the cable as published), page-break lines left out; a paragraph's
    marking written before its number ("(C) 1. The") in the order every paragraph is shown ("1. (C) The").
    Where a page has another cable's database row glued on (07BERN881: 07TBILISI2290's row and text), the
    words end before it: that is another record, as the readers of the truth table read it."""
    text = page.read_text(encoding="utf-8", errors="replace")
    blocks = [html.unescape(re.sub(r"</?[A-Za-z][^>]*>", "", pre)) for pre in _PRE.findall(text)]
    joined = "\n".join(blocks)
    other = next((row for row in _DATABASE_ROW.finditer(joined) if cable_id and row["id"] != cable_id), None)
    blocks = [joined[: other.start()]] if other else blocks
    text = re.sub(r"(?m)^([ \t]*)(\([A-Z/ ]{1,12}\))[ \t]*(\d{1,3}\.)", r"\1\3 \2", "\n".join(blocks).replace("¶", " "))
    return _words(text)


def compare(row: dict, record: dict | None, page: Path) -> dict[str, bool]:
    """Which fields of one page the tool got right."""
    if record is None or "error" in record or "skipped" in record:
        return dict.fromkeys(FIELDS, False)
    paragraphs = [b["number"] for b in record["blocks"] if b["kind"] == "paragraph" and b["number"]]
    got_words = _words(record["text"])
    return {
        "id": record["id"] == row["id"],
        "created": record["created"] == row["created"],
        "origin": record["origin"] == row["origin"],
        "classification": record["classification"] == row["classification"],
        "tags": list(record["tags"]) == list(row["tags"]),
        "subject": _same_text(record["subject"], row["subject"]),
        "refs": [r["id"] for r in record["references"] if r["id"]] == row["refs"],
        "paragraphs": [p.lstrip("0") for p in paragraphs] == [p.lstrip("0") for p in row["paragraphs"]],
        "words": got_words == expected_words(page, row["id"]),
        "artefacts": not any(text in record["text"] for text in _SITE_TEXT),
    }


def _same_text(got: str | None, want: str | None) -> bool:
    normal = lambda text: " ".join((text or "").split()).strip(" .")  # noqa: E731
    return normal(got) == normal(want)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--half", choices=("tune", "test", "all"), default="test")
    parser.add_argument("--table", action="append", help="only truth-TABLE.jsonl (a, b, c; repeatable)")
    parser.add_argument("--show", type=int, default=0, help="print up to N failures per field")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/cleansite-fidelity-cache"))
    args = parser.parse_args()
    rows = load_truth(args.half, args.table)
    pages = [CORPUS / row["page"] for row in rows]
    records = run_tool(pages, args.cache)
    results = []
    for row, page in zip(rows, pages, strict=True):
        record = records.get(str(page.resolve()))
        results.append((row, compare(row, record, page), record))
    tables = [p.name for p in TRUTH if args.table is None or p.stem.removeprefix("truth-") in args.table]
    print(f"{len(rows)} cables, half '{args.half}' of {', '.join(tables)}")
    print(f"{'field':<15} {'right':>9} {'share':>8}")
    for field in FIELDS:
        right = sum(result[field] for _, result, _ in results)
        print(f"{field:<15} {right:>4}/{len(rows):<4} {100 * right / max(len(rows), 1):>7.1f}%")
    every = sum(all(result.values()) for _, result, _ in results)
    print(f"{'all fields':<15} {every:>4}/{len(rows):<4} {100 * every / max(len(rows), 1):>7.1f}%")
    for field in FIELDS if args.show else ():
        misses = [(row, record) for row, result, record in results if not result[field]][: args.show]
        for row, record in misses:
            got = _field(record, field)
            want = row.get(field if field != "refs" else "refs")
            print(f"  {field} {row['page']}: want {want!r} got {got!r}")


def _field(record: dict | None, field: str):
    if record is None or "error" in record:
        return record
    if field == "refs":
        return [r["id"] for r in record["references"] if r["id"]]
    if field == "paragraphs":
        return [b["number"] for b in record["blocks"] if b["kind"] == "paragraph" and b["number"]]
    return record.get(field, "(see text)")


if __name__ == "__main__":
    main()
