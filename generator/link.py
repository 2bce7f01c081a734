"""The one collection-wide stage: turn "ref A", "reftel", "para 5" into links, and find backlinks.

``find_links`` looks at one document and the collection index (which IDs exist and
which anchors each has); ``cited_by`` inverts the links of every document.
"""

from __future__ import annotations

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


def find_links(document: Document, collection: Collection) -> list[TextLink]:
    """Every link in the document's blocks, in order, spans never overlapping."""
    found: list[TextLink] = []
    own = frozenset(b.anchor for b in document.blocks)
    for block in document.blocks:
        found.extend(_block_links(block, document.references, own, collection))
    return found


def _block_links(block: Block, references: tuple[Reference, ...], own: frozenset[str], collection: Collection) -> list[TextLink]:
    spans: list[TextLink] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, target_id: str | None, anchor: str | None) -> None:
        if any(start < b and a < end for a, b in taken):
            return
        taken.append((start, end))
        spans.append(TextLink(start, end, Link(block.anchor, target_id, anchor, block.text[start:end])))

    for match in _REF_LETTERS.finditer(block.text):
        _ref_letter_links(match, references, collection, add)
    for match in _REFTEL.finditer(block.text):
        _reftel_link(match, references, collection, add)
    for match in _PARAS.finditer(block.text):
        _para_links(match, own, add)
    return sorted(spans, key=lambda span: span.start)


def _ref_letter_links(match: re.Match[str], references: tuple[Reference, ...], collection: Collection, add) -> None:
    by_label = {r.label.upper(): r for r in references if r.label}
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


def _reftel_link(match: re.Match[str], references: tuple[Reference, ...], collection: Collection, add) -> None:
    if not references:
        return
    if match.group("plural") or len(references) > 1:
        add(match.start(), match.end(), None, "references")
        return
    add(match.start(), match.end(), *_reference_target(references[0], references, collection, match.group("para")))


def reference_anchor(references: tuple[Reference, ...], reference: Reference) -> str:
    """The anchor of a REF entry on its page: ``ref-a`` for entry A, ``ref-1`` for the first unlettered one."""
    if reference.anchor:
        return reference.anchor
    return f"ref-{reference.label.lower()}" if reference.label else f"ref-{references.index(reference) + 1}"


def _reference_target(reference: Reference, references: tuple[Reference, ...], collection: Collection, para: str | None):
    """A reference in the collection links to the document (and paragraph); otherwise to its REF entry."""
    if reference.id and collection.has(reference.id):
        anchor = f"p{para}" if para and collection.has(reference.id, f"p{para}") else None
        return reference.id, anchor
    return None, reference_anchor(references, reference)


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
        targets = {r.id for r in document.references if r.id in known}
        linked: dict[str, list[str]] = defaultdict(list)
        for link in links_by_document.get(document.id, ()):
            if link.target_id and link.source_anchor not in linked[link.target_id]:
                linked[link.target_id].append(link.source_anchor)
        for target in sorted(targets - {document.id}):
            entry = next(r for r in document.references if r.id == target)
            anchors = linked.get(target) or [reference_anchor(document.references, entry)]
            citations[target].extend((document.id, anchor) for anchor in anchors)
    return citations
