"""The typed records passed between pipeline stages, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page read from disk: its text decoded, line ends normalised to ``\\n``."""

    path: Path
    text: str
    encoding: str


@dataclass(frozen=True, slots=True)
class ViewerMeta:
    """Metadata a publishing site states beside the document (e.g. the viewer's table)."""

    id: str | None = None
    created: str | None = None
    classification: str | None = None
    origin: str | None = None
    title: str | None = None
    released: str | None = None  # the date WikiLeaks published the cable (the viewer's "Released")
    url: str | None = None  # the page's own http(s) URL, as the page names it (canonical link, share links)


@dataclass(frozen=True, slots=True)
class CleanPage:
    """A page with every artefact stripped.

    ``lines`` is the document text (routing header first when the page has one);
    ``removed`` holds the stripped artefacts, in page order; ``reasons`` says why each was
    removed, in the same order ("rule: in-body advertisement", "outside the document",
    "repeated on 57 of 60 pages of the site").
    """

    path: Path
    source: str
    lines: tuple[str, ...]
    removed: tuple[str, ...]
    meta: ViewerMeta = field(default_factory=ViewerMeta)
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reference:
    """One cable named in a cable's REF list: its entry's letter, canonical ID (None if the entry
    names no cable), the text naming it, and its anchor on the page (``ref-a``, unique)."""

    label: str | None
    id: str | None
    text: str
    anchor: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a document body, in document order.

    ``kind`` is ``heading``, ``paragraph``, ``list`` (one list item) or ``text``;
    ``number`` is the paragraph number or item letter as written; ``marking`` the
    classification marking such as ``SBU``; ``anchor`` the stable HTML id.
    """

    kind: str
    anchor: str
    text: str
    number: str | None = None
    marking: str | None = None
    bullet: str | None = None
    preformatted: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """A parsed cable: header fields, the header text as written, and the body blocks."""

    path: Path
    source: str
    id: str | None
    title: str | None
    subject: str | None
    created: str | None
    origin: str | None
    classification: str | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]
    header: str
    blocks: tuple[Block, ...]
    removed: tuple[str, ...]
    notes: tuple[str, ...] = ()
    removed_reasons: tuple[str, ...] = ()  # why each line of ``removed`` went, in the same order
    released: str | None = None  # as the publishing site states it (the viewer's table), else None
    source_url: str | None = None  # the URL of the page it was scraped from, as that page names it, else None


@dataclass(frozen=True, slots=True)
class Link:
    """A link the link stage made: from an anchor of one document to a document or anchor."""

    source_anchor: str
    target_id: str | None
    target_anchor: str | None
    text: str


@dataclass(frozen=True, slots=True)
class PageError:
    """A page that could not be turned into a document, with a one-line reason.

    ``skipped`` is True for a readable page that holds no document (only artefacts).
    """

    path: Path
    reason: str
    skipped: bool = False


@dataclass(frozen=True, slots=True)
class Summary:
    """What the collection-wide stages keep of a document: its fields, never its text.

    ``paragraphs`` holds the anchors of its numbered paragraphs (what other documents can
    link to), as one string (``link.anchor_list``); ``references`` keep their text only
    when they name no cable; ``size`` is the length of its text; ``key`` where the cache
    keeps the document; ``reference_lines`` the line in the page of each REF entry that
    names no cable (for the report). The parent process holds one per document: keep it small.
    """

    id: str
    path: Path
    source: str
    title: str | None
    created: str | None
    origin: str | None
    classification: str | None
    tags: tuple[str, ...]
    references: tuple[Reference, ...]
    paragraphs: str
    size: int
    key: str
    reference_lines: tuple[int, ...] = ()
    identified: bool = True
    notes: tuple[str, ...] = ()
