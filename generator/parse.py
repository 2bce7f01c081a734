"""Recover a cable's structure from a clean page: header fields, REF list, body blocks."""

from __future__ import annotations

import re

from cleansite import header as hdr
from cleansite.artefacts import DATABASE_ROW, GLUED_RECORD, PAGE_BREAK, cut_glued_record, unescape_database_row
from cleansite.blocks import MARKED, NUMBERED, chunk_lines, classify_chunks, give_anchors
from cleansite.ids import (
    CABLE_ID,
    ID_SHAPED,
    canonical_id,
    code_in_year,
    has_long_serials,
    normalise_id,
    origin_code,
    posts,
    routing_indicators,
)
from cleansite.model import CleanPage, Document, ViewerMeta
from cleansite.pagebreaks import BREAK_LINE, remove_page_breaks
from cleansite.refs import parse_references

# Senders of the FM line and how the viewer names them: "FM AMEMBASSY CAIRO" -> "Embassy Cairo".
_SENDER_KINDS = (
    (re.compile(r"^AMEMBASSY\s+"), "Embassy "),
    (re.compile(r"^AMCONSUL(?:ATE)?\s+"), "Consulate "),
    (re.compile(r"^(?:USMISSION|USMISSON)\s+"), "Mission "),
)
_FILE_ID = ID_SHAPED


def parse_page(page: CleanPage) -> Document:
    """Parse a clean page into a Document; fields the page does not state are None."""
    lines, artefacts = unescape_database_row(list(page.lines))
    why = [DATABASE_ROW] * len(artefacts)
    routing, rest = hdr.split_routing(lines)
    level, written_origin, serial = hdr.read_classification_line(rest)
    if serial is None and (first_break := next(filter(None, map(BREAK_LINE.match, rest)), None)):
        serial = first_break.group("serial")
        written_origin = _office_of_break(first_break.group("origin"), serial, routing)
    cable_id = _cable_id(page, routing, written_origin, serial)
    site_id = re.sub(r"\s", "", page.meta.id.upper()) if page.meta.id else None
    notes = (f"the site's ID {site_id} is garbled; the cable states {cable_id}",) if site_id and cable_id and site_id != cable_id else ()
    rest, glued = cut_glued_record(rest, cable_id)
    artefacts += glued
    why += [GLUED_RECORD] * len(glued)
    routing, rest = _untabbed(routing), _untabbed(rest)
    origin_hint = CABLE_ID.match(cable_id).group("origin") if cable_id else (origin_code(written_origin) if written_origin else None)
    rest, breaks = remove_page_breaks(rest, origin_hint)
    chunks = chunk_lines(rest)
    header_count = hdr.split_header([chunk.lines for chunk in chunks], _is_body_start)
    header_lines = routing + ([""] if routing and header_count else []) + _chunk_text(chunks[:header_count])
    header_text = "\n".join(header_lines).strip("\n")
    blocks = give_anchors(classify_chunks(chunks[header_count:]))
    dtg = hdr.DATE_TIME_GROUP.search("\n".join(routing))
    cable_year = cable_id[:2] if cable_id else (dtg.group("year") if dtg else None)
    ref_text = hdr.read_ref_text("\n".join(_chunk_text(chunks[:header_count])))
    if ref_text and ref_text.endswith(("...", "…")):
        ref_text = hdr.whole_ref_text(ref_text, "\n".join(rest))
    subject = hdr.read_subject(header_text)
    if subject and subject.endswith(("...", "…")):
        subject = hdr.whole_subject(subject, "\n".join(rest))
    return Document(
        path=page.path,
        source=page.source,
        id=cable_id,
        title=subject or _uncut(page.meta.title),
        subject=subject,
        created=_created(routing, rest, page.meta),
        origin=_origin(page.meta, routing, cable_id),
        classification=page.meta.classification or _classification(level, header_text),
        tags=hdr.read_tags(header_text),
        references=parse_references(ref_text, cable_year, cable_id) if ref_text else (),
        header=header_text,
        blocks=blocks,
        removed=page.removed + tuple(artefacts) + tuple(breaks),
        notes=notes,
        removed_reasons=_reasons(page) + tuple(why) + (PAGE_BREAK,) * len(breaks),
        released=page.meta.released,
        source_url=page.meta.url,
    )


def _office_of_break(written: str, serial: str, routing: list[str]) -> str:
    """The office a page-break line names, or the DE line's where the break shortens it to its
    city: the Iran RPO prints "DUBAI 00000015" and sends under its own RUEHDIR (10RPODUBAI15)."""
    de_line = hdr.read_de_line("\n".join(routing))
    office = routing_indicators().get(de_line.indicator) if de_line else None
    same_cable = de_line and serial.zfill(4)[-4:] == de_line.serial.zfill(4)[-4:]
    shortened = office and office != origin_code(written) and office.endswith(origin_code(written))
    return office if same_cable and shortened else written


def _uncut(title: str | None) -> str | None:
    """A site's heading as a title only when it is whole: the viewer cuts long subjects ("NETHER...")."""
    return None if title is None or title.rstrip().endswith(("...", "…")) else title


def _reasons(page: CleanPage) -> tuple[str, ...]:
    """Why strip removed each line (a page stripped by rules alone gives its reasons; else the site's markup)."""
    return page.reasons if len(page.reasons) == len(page.removed) else ("site markup",) * len(page.removed)


def _untabbed(lines: list[str]) -> list[str]:
    return [line.replace("\t", "    ") for line in lines]


def _created(routing: list[str], rest: list[str], meta: ViewerMeta) -> str | None:
    """The date-time group of the routing header, else of a line near the top, else the site's date."""
    found = hdr.read_date_time_group("\n".join(routing)) or hdr.read_date_time_group(hdr.find_date_time_line(rest) or "")
    return found or meta.created


def _is_body_start(chunk: list[str]) -> bool:
    return bool(NUMBERED.match(chunk[0]) or MARKED.match(chunk[0]))


def _chunk_text(chunks) -> list[str]:
    lines: list[str] = []
    for chunk in chunks:
        if lines:
            lines.append("")
        lines.extend(line.rstrip() for line in chunk.lines)
    return lines


def _cable_id(page: CleanPage, routing: list[str], written_origin: str | None, serial: str | None) -> str | None:
    """The canonical ID if it is a plausible one (``[0-9A-Z]``, at most 40 characters), else None."""
    found = _found_id(page, routing, written_origin, serial)
    return found if found and CABLE_ID.match(found) and len(found) <= 40 else None


def _found_id(page: CleanPage, routing: list[str], written_origin: str | None, serial: str | None) -> str | None:
    """The site's ID, else one built from the cable text, else a file name or an ID line the text
    confirms (same post and serial as its classification line), else one from the DE line."""
    dtg = hdr.DATE_TIME_GROUP.search("\n".join(routing))
    if page.meta.id and (site_id := normalise_id(page.meta.id)):
        if not _garbled(site_id) or not (written_origin and serial):
            return site_id
        return canonical_id(dtg.group("year") if dtg else site_id[:2], written_origin, serial)
    if written_origin and serial and dtg:
        return canonical_id(dtg.group("year"), written_origin, serial)
    stem = page.path.stem.upper()
    for named in (stem, *(line.strip() for line in page.lines[:12])):  # a file name, or an ID line atop a fragment
        if _FILE_ID.match(named) and written_origin and serial:
            from_text = canonical_id(named[:2], written_origin, serial)
            if from_text == normalise_id(named):
                return from_text
    return _id_from_de_line(routing, dtg, stem)


def _garbled(site_id: str) -> bool:
    """A site ID whose origin is no post: the viewer glued classification-line debris into it (``08ECTIONOFMANAMA492``)."""
    origin = CABLE_ID.match(site_id)
    return bool(origin) and origin.group("origin") not in posts() and origin.group("origin") != "STATE"


def _id_from_de_line(routing: list[str], dtg: re.Match[str] | None, stem: str) -> str | None:
    """The ID from the DE line's routing indicator and serial and the date-time group's year.

    ``DE RUEHCN #0028/01 0350254`` + ``O 040254Z FEB 10`` -> ``10CHENGDU28``. The DE line keeps
    only the last four digits of the serial: a file name whose ID ends in them (same post and
    year) gives the whole serial; a post whose serials run past 9,999 (the Secretary of State, Bogota,
    Havana: ids.toml) gets no ID without one, rather than another cable's.
    """
    de_line = hdr.read_de_line("\n".join(routing))
    if de_line is None or dtg is None or (origin := routing_indicators().get(de_line.indicator)) is None:
        return None
    origin = code_in_year(origin, dtg.group("year"))
    from_line = canonical_id(dtg.group("year"), origin, de_line.serial)
    named = normalise_id(stem) if _FILE_ID.match(stem) else None
    same_post = named and named[:2] == from_line[:2] and CABLE_ID.match(named).group("origin") == origin
    if same_post and CABLE_ID.match(named).group("serial").zfill(4).endswith(de_line.serial.zfill(4)[-4:]):
        return named
    return None if has_long_serials(origin, dtg.group("year")) else from_line


def _origin(meta: ViewerMeta, routing: list[str], cable_id: str | None) -> str | None:
    """The viewer's words for the sender: the site's table, else the FM line, else the post table
    (by the ID's origin, else by the DE line's routing indicator)."""
    if meta.origin:
        return meta.origin
    sender = hdr.read_fm_line("\n".join(routing))
    if sender:
        code = origin_code(re.sub(r"^(?:AMEMBASSY|AMCONSUL(?:ATE)?|USMISSION)\s+", "", sender))
        if code in posts():
            return posts()[code]
        for pattern, kind in _SENDER_KINDS:
            if pattern.match(sender):
                return kind + pattern.sub("", sender).title()
    if cable_id:
        return posts().get(CABLE_ID.match(cable_id).group("origin"))
    de_line = hdr.read_de_line("\n".join(routing))  # no ID (a Secretary of State serial the DE line cuts): the sender is known
    return posts().get(routing_indicators().get(de_line.indicator, "")) if de_line else None


def _classification(level: str | None, header_text: str) -> str | None:
    """The classification as the cable states it, with NOFORN when the header carries it."""
    if level is None:
        return None
    name = {"UNCLAS": "UNCLASSIFIED"}.get(level, level)
    if re.search(r"\bNOFORN\b", header_text):
        return f"{name}//NOFORN"
    return name
