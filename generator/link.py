"""The one collection-wide stage: turn "ref A", "reftel", "para 5" into links, and find backlinks.

``find_links`` looks at one document and the collection index (which IDs exist and
which anchors each has); ``cited_by`` inverts the links of every document.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from cleansite.model import Block, Document, Link, Reference

# "ref A", "refs A and B", "Refs A-C", "ref b para 3", "REF B, para. 3" (letters as the REF list writes them).
_REF_LETTERS = re.compile(
    r"""\b(?P<word>[Rr][Ee][Ff](?:[Tt][Ee][Ll])?[Ss]?)\.?\s+
        (?P<letters>[A-Za-z](?:\s*(?:,|and|&|-|through|thru)\s*[A-Za-z])*)\b(?![.'’]\w)
        (?:\s*,?\s*(?:[Pp]aras?|[Pp]aragraphs?)\.?\s*(?P<para>\d{1,3})\b)?""",
    re.X,
)
# "reftel", "reftels", "reftel para 4".
_REFTEL = re.compile(
    r"\b(?P<word>[Rr][Ee][Ff][Tt][Ee][Ll](?P<plural>[Ss])?)\b(?:\s*,?\s*(?:[Pp]aras?|[Pp]aragraphs?)\.?\s*(?P<para>\d{1,3})\b)?"
)
# "para 5", "paras 3-5", "paras 3 and 7", "paragraph 12", "para. 20" in the same document.
_PARAS = re.compile(
    r"\b(?:[Pp]aras?|PARAS?|[Pp]aragraphs?|PARAGRAPHS?)\.?\s*(?P<numbers>\d{1,3}(?:\s*(?:,|and|&|-|through|thru|to)\s*\d{1,3})*)\b"
)
_NUMBER = re.compile(r"\d{1,3}")


@dataclass(frozen=True, slots=True)
class Collection:
    """The collection index: for every document ID, the anchors its page has.

    The anchors of a document are kept as one string (see ``anchor_list``), not a set:
    a quarter-million documents' sets would be most of the index's memory.
    """

    anchors: dict[str, str]

    @classmethod
    def of(cls, documents: Iterable[Document]) -> Collection:
        """Index the documents (ID -> anchors), once for the whole run."""
        return cls({d.id: anchor_list(b.anchor for b in d.blocks) for d in documents if d.id})

    def has(self, doc_id: str | None, anchor: str | None = None) -> bool:
        """True when the document (and the anchor in it, if given) is in the collection."""
        return doc_id in self.anchors and (anchor is None or f" {anchor} " in self.anchors[doc_id])


def anchor_list(anchors: Iterable[str]) -> str:
    """Anchors as one string, each between spaces (anchors never hold a space)."""
    return " " + " ".join(anchors) + " "


@dataclass(frozen=True, slots=True)
class TextLink:
    """A link found inside a block's text: the span it covers and where it points."""

    start: int
    end: int
    link: Link


@dataclass(frozen=True, slots=True)
class _Refs:
    """A document's REF list, indexed once per document (per mention, it made linking quadratic)."""

    entries: tuple[Reference, ...]
    by_label: dict[str, Reference]
    anchors: dict[Reference, str]

    @classmethod
    def of(cls, references: tuple[Reference, ...]) -> _Refs:
        """Index a REF list: entries by letter, and the anchor of each entry."""
        anchors: dict[Reference, str] = {}
        for reference, anchor in zip(references, reference_anchors(references), strict=True):
            anchors.setdefault(reference, anchor)
        return cls(references, {r.label.upper(): r for r in references if r.label}, anchors)


def find_links(document: Document, collection: Collection) -> list[TextLink]:
    """Every link in the document's blocks, in order, spans never overlapping."""
    found: list[TextLink] = []
    own = frozenset(b.anchor for b in document.blocks)
    references = _Refs.of(document.references)
    for block in document.blocks:
        found.extend(_block_links(block, references, own, collection))
    return found


class _Spans:
    """The spans of one block that do not overlap: the first one found over a stretch of text wins.

    Kept sorted, so a new span is checked against its two neighbours only (a scan of every
    span taken made a ``reftels A-B-B-...`` chain quadratic: 300 s for a 1 MB page).
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.spans: list[TextLink] = []

    def add(self, span: TextLink) -> None:
        at = bisect.bisect_left(self.starts, span.start)
        if at < len(self.spans) and self.spans[at].start < span.end:
            return
        if at > 0 and span.start < self.spans[at - 1].end:
            return
        self.starts.insert(at, span.start)
        self.spans.insert(at, span)


def _block_links(block: Block, references: _Refs, own: frozenset[str], collection: Collection) -> list[TextLink]:
    spans = _Spans()
    lower = block.text.lower()
    if "ref" not in lower and "para" not in lower:  # every pattern below needs one of them: most blocks have none
        return spans.spans

    def add(start: int, end: int, target_id: str | None, anchor: str | None) -> None:
        spans.add(TextLink(start, end, Link(block.anchor, target_id, anchor, block.text[start:end])))

    for match in _REF_LETTERS.finditer(block.text) if "ref" in lower else ():
        _ref_letter_links(match, references, collection, add)
    for match in _REFTEL.finditer(block.text) if "reftel" in lower else ():
        _reftel_link(match, references, collection, add)
    for match in _PARAS.finditer(block.text) if "para" in lower else ():
        _para_links(match, own, add)
    return spans.spans


def _ref_letter_links(match: re.Match[str], references: _Refs, collection: Collection, add) -> None:
    by_label = references.by_label
    letters = [(m.start(), m.group(0)) for m in re.finditer(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])", match.group("letters"))]
    if not letters or any(letter.upper() not in by_label for _, letter in letters):
        return
    offset = match.start("letters")
    para = match.group("para")
    for index, (position, letter) in enumerate(letters):
        reference = by_label[letter.upper()]
        start = match.start() if index == 0 else offset + position
        end = match.end() if para and index == len(letters) - 1 else offset + position + 1
        add(start, end, *_reference_target(reference, references, collection, para))


def _reftel_link(match: re.Match[str], references: _Refs, collection: Collection, add) -> None:
    if not references.entries:
        return
    if match.group("plural") or len(references.entries) > 1:
        add(match.start(), match.end(), None, "references")
        return
    add(match.start(), match.end(), *_reference_target(references.entries[0], references, collection, match.group("para")))


def reference_anchors(references: tuple[Reference, ...]) -> list[str]:
    """The anchor of each REF entry on its page: the one parsing gave it (unique on the page), else
    ``ref-a`` for entry A, ``ref-N`` for the N-th entry when unlettered."""
    return [r.anchor or (f"ref-{r.label.lower()}" if r.label else f"ref-{number}") for number, r in enumerate(references, start=1)]


def reference_anchor(references: tuple[Reference, ...], reference: Reference) -> str:
    """The anchor of one REF entry (its first copy, if the list repeats it)."""
    return reference.anchor or reference_anchors(references)[references.index(reference)]


def _reference_target(reference: Reference, references: _Refs, collection: Collection, para: str | None):
    """A reference in the collection links to the document (and paragraph); otherwise to its REF entry."""
    if reference.id and collection.has(reference.id):
        anchor = f"p{para}" if para and collection.has(reference.id, f"p{para}") else None
        return reference.id, anchor
    return None, references.anchors[reference]


def _para_links(match: re.Match[str], own: frozenset[str], add) -> None:
    for index, number in enumerate(_NUMBER.finditer(match.group("numbers"))):
        anchor = f"p{int(number.group(0))}"
        if anchor not in own:
            continue
        start = match.start() if index == 0 else match.start("numbers") + number.start()
        add(start, match.start("numbers") + number.end(), None, anchor)


def cited_by(links_by_document: dict[str, Iterable[Link]], documents: Iterable) -> dict[str, list[tuple[str, str]]]:
    """For each document ID: the (citing ID, citing anchor) pairs, from text links or else REF entries."""
    citations: dict[str, list[tuple[str, str]]] = defaultdict(list)
    documents = list(documents)
    known = {d.id for d in documents}
    for document in documents:
        first_entry: dict[str, str] = {}  # cited ID -> anchor of the first REF entry naming it
        for reference, anchor in zip(document.references, reference_anchors(document.references), strict=True):
            if reference.id in known:
                first_entry.setdefault(reference.id, anchor)
        linked: dict[str, dict[str, None]] = defaultdict(dict)  # ordered sets of the citing anchors
        for link in links_by_document.get(document.id, ()):
            if link.target_id:
                linked[link.target_id][link.source_anchor] = None
        for target in sorted(first_entry.keys() - {document.id}):
            anchors = list(linked.get(target, ())) or [first_entry[target]]
            citations[target].extend((document.id, anchor) for anchor in anchors)
    return citations
