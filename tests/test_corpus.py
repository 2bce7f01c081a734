"""Every page of ../shared/corpus: no error, every word kept in order, no page-break line left.

The expected words come from an extraction independent of the pipeline: the viewer's
<pre> elements by regex, or the text page minus the lines its source's rules call artefacts.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import pytest
from cleansite.load import decode_page, find_pages
from cleansite.model import Document, PageError
from cleansite.pipeline import documents, linked_documents
from cleansite.records import plain_text
from cleansite.sources import detect_source
from conftest import CORPUS_DIR

pytestmark = pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")

_BREAK = re.compile(r"^\s*(?P<origin>[A-Z][A-Z.'-]*(?: [A-Z][A-Z.'-]*){0,2})\s+\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\s*$", re.M)
_PRE = re.compile(r"<pre[^>]*>(.*?)</pre>", re.S)
_NUMBERED = re.compile(r"^\s*¶?\s*(\d{1,3})\s*\.\s*\((?:U|SBU|C|S|S/NF|C/NF|S//NF|C//NF)\)", re.M)


# Browser text dumps of viewer pages (viewer-text/) have their own tests: their expected words
# come from the HTML page each was made from, not from the dump.
_FOLDERS = sorted(p for p in CORPUS_DIR.iterdir() if p.is_dir() and p.name != "viewer-text") if CORPUS_DIR.is_dir() else []


@cache
def _results() -> dict[Path, Document | PageError]:
    return {result.path: result for result in documents(_FOLDERS, jobs=2)}


# Mirror artefacts inside the <pre> text, which are not the cable's words:
# another cable's row of the full-release table glued after the text ("84924,11/8/2006 16:22,06THEHAGUE2415,...")
# or as the 2011 viewer prints it: the numeric id alone on its line, then the fields ("131913" / "" / "11/28/2007 14:38 07MANAMA1070")
_OTHER_ROW = re.compile(r'\n"?,?\s*\d{1,7}(?:,|[ \t]*\n(?:[ \t]*\n)*)\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}[, ](\d\d[A-Z]+\d+)[, ]')
# the cable's database row written into the page: six fields, the routing header shown above, then "\" line ends.
_DB_ROW = re.compile(r"(?m)^\s*\d+\t\d{4}-\d\d-\d\d[^\t]*\t(\d\d[A-Z]+\d+)\t[^\t]*\t[^\t]*\t[^\t]*\t[^\t]*\t")


def _without_mirror_rows(text: str, own_id: str) -> str:
    for row in _DB_ROW.finditer(text):
        text = text[: row.start()] + (text[row.end() :] if row.group(1) == own_id else "")
        break
    text = text.replace("\\\n", "\n")
    for row in _OTHER_ROW.finditer(text):
        if row.group(1) != own_id:
            return text[: row.start()].rstrip().rstrip('",')
    return text


def _page_text(path: Path) -> str:
    raw = decode_page(path, path.read_bytes())
    if "<pre" in raw.text:
        # Only what HTML parses as a tag is markup: "<_protect>" is text.
        pres = [html.unescape(re.sub(r"</?[A-Za-z][^>]*>", "", pre)) for pre in _PRE.findall(raw.text)]
        return _without_mirror_rows("\n\n".join(pres), path.stem)
    source = detect_source(raw)
    kept = [
        line
        for line in raw.text.splitlines()
        if not any(rule.pattern.match(line.strip()) for rule in source.drop) and not (source.title and source.title.match(line.strip()))
    ]
    return "\n".join(kept)


# An older telegram's page head, with the classification lines that close and open the pages around it.
_TELEGRAM_PAGE = re.compile(
    r"(?:^[ \t]*(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|LIMITED OFFICIAL USE)[ \t]*\n(?:[ \t]*\n)*){0,2}"
    r"^[ \t]*PAGE\s+\d{2,3}\s+[A-Z][A-Z .'-]{0,24}?\s+\d{3,7}\s+\d{2}\s+OF\s+\d{2}\s+\d{6}Z?[ \t]*$",
    re.M,
)
_INLINE_BREAK = re.compile(r"(?P<words>(?:[A-Z]+ ){0,3}[A-Z]+)\s+\d{8}\s+\d{3}(?:\.\s*\d+)?\s+OF\s+\d{3}")


def _without_page_breaks(text: str, cable_id: str) -> str:
    """The text without page-break lines, nor breaks run into a line (their origin words too)."""
    code = re.sub(r"^\d+|\d+$", "", cable_id)

    def keep_text_words(match: re.Match[str]) -> str:
        words = match.group("words").split()
        while words and not code.startswith("".join(words)) and not "".join(words).startswith(code):
            words_kept.append(words.pop(0))
        if not words:  # an origin other than the cable's: the break's origin is its last word
            words_kept.pop()
        kept = " ".join(words_kept)
        words_kept.clear()
        return f" {kept} "

    words_kept: list[str] = []
    return _INLINE_BREAK.sub(keep_text_words, _TELEGRAM_PAGE.sub(" ", text))


def _marking_after_number(text: str) -> str:
    """A paragraph written with its marking before its number ("(C) 1. The Embassy", 07BAGHDAD3504) is shown as
    every paragraph is, number first ("1. (C) The Embassy"): the same words, those two in the shown order."""
    return re.sub(r"(?m)^([ \t]*)(\([A-Z/ ]{1,12}\))[ \t]*(\d{1,3}\.)", r"\1\3 \2", text)


def _words(text: str) -> list[str]:
    """Runs of letters and runs of digits ("XXXXXXXXXXXX10." is a redaction and paragraph 10)."""
    return re.findall(r"[A-Za-z]+|[0-9]+", text)


def test_every_page_converts() -> None:
    results = _results()
    assert len(results) == len(find_pages(_FOLDERS)) >= 1554
    errors = [f"{r.path}: {r.reason}" for r in results.values() if isinstance(r, PageError) and not r.skipped]
    assert errors == []
    skipped = {r.path.parent.name for r in results.values() if isinstance(r, PageError) and r.skipped}
    assert skipped == {"body-plain"}  # those ten rows hold only "Appears in these articles:"


def _documents() -> list[Document]:
    return [r for r in _results().values() if isinstance(r, Document)]


def test_every_word_of_every_page_is_kept_in_order() -> None:
    failures = []
    for document in _documents():
        expected = _words(_marking_after_number(_without_page_breaks(_page_text(document.path), document.id)))
        if _words(plain_text(document)) != expected:
            failures.append(str(document.path))
    assert failures == []


def test_no_page_break_line_left() -> None:
    leftovers = [str(d.path) for d in _documents() if re.search(r"\b\d{8}\s+\d{3}(?:\.\d+)?\s+OF\s+\d{3}\b", plain_text(d))]
    assert leftovers == []


def test_numbered_paragraphs_follow_the_pages_own_numbering() -> None:
    failures = []
    for document in _documents():
        expected = _NUMBERED.findall(_without_page_breaks(_page_text(document.path), document.id))
        mine = iter(b.number for b in document.blocks if b.kind == "paragraph" and b.number)
        if not all(number in mine for number in expected):  # a subsequence: run-in paragraphs add more
            failures.append(f"{document.path}: {expected} vs {[b.number for b in document.blocks if b.number]}")
    assert failures == []


def test_anchors_are_unique_in_every_document() -> None:
    """Block, REF and page anchors together: an id used twice on a page breaks links (#ref-b twice, 08MANAMA306)."""
    for document in _documents():
        anchors = [b.anchor for b in document.blocks] + [r.anchor for r in document.references] + ["references", "header"]
        assert len(anchors) == len(set(anchors)), document.path


def test_records_of_real_pages_follow_the_shipped_schema() -> None:
    """Every corpus page's record (not only the samples') against the JSON Schema users get."""
    import jsonschema
    from cleansite.records import document_record

    schema = json.loads((Path(__file__).parent.parent / "generator" / "schema" / "parse-record.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for document in _documents()[::7]:
        record = document_record(document) | {"links": [], "cited_by": []}
        assert not list(validator.iter_errors(record)), document.path


@cache
def _linked_report():
    from types import SimpleNamespace

    pages = linked_documents(_FOLDERS, jobs=2)
    by_id = {p.result.id: p for p in pages if isinstance(p.result, Document) and p.result.id and not p.duplicate}
    return SimpleNamespace(documents=[p.result for p in by_id.values()], links={i: list(p.links) for i, p in by_id.items()},
                           citations={i: list(p.citations) for i, p in by_id.items() if p.citations})  # fmt: skip


def test_every_link_resolves_to_an_existing_page_and_anchor() -> None:
    report = _linked_report()
    anchors = {d.id: {b.anchor for b in d.blocks} | _page_anchors(d) for d in report.documents}
    for doc_id, spans in report.links.items():
        for span in spans:
            target = span.link.target_id or doc_id
            assert target in anchors, (doc_id, span.link)
            assert span.link.target_anchor is None or span.link.target_anchor in anchors[target], (doc_id, span.link)
    for target, citations in report.citations.items():
        assert target in anchors
        assert all(anchor in anchors[citing] for citing, anchor in citations)


def _page_anchors(document: Document) -> set[str]:
    from cleansite.link import reference_anchor

    return {"references", "header"} | {reference_anchor(document.references, r) for r in document.references}


def test_tripoli_manama_and_the_hague_cite_each_other() -> None:
    report = _linked_report()
    cluster = ("TRIPOLI", "MANAMA", "THEHAGUE")
    in_cluster = lambda doc_id: re.sub(r"^\d+|\d+$", "", doc_id) in cluster  # noqa: E731
    between = [s.link for doc_id, spans in report.links.items() if in_cluster(doc_id) for s in spans if s.link.target_id]
    cited = sum(len(c) for t, c in report.citations.items() if in_cluster(t))
    # Figures reported in the README; they may only grow as parsing improves.
    assert len(between) >= 380 and cited >= 520, (len(between), cited)


def test_whole_corpus_site_builds_strict(tmp_path: Path) -> None:
    """MkDocs --strict with anchor validation: any link to a missing page or anchor fails the build."""
    from cleansite.pipeline import build
    from conftest import project_copy

    report = build(project_copy(tmp_path, pages=(CORPUS_DIR,)))
    assert len(report.documents) == len(list((tmp_path / "site" / "cables").glob("*.html"))) - 1
