"""Turn the body lines of a cable into blocks: headings, numbered paragraphs, list items, text.

Each rule is a small named pattern; ``classify_chunk`` tries them in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from cleansite.model import Block

# A classification marking: (U), (SBU), (C), (S/NF), (C//NF), (S//REL UK), (C/ REL ISAF),
# (SBU/NOFORN), (S/REL TO USA, ISAF), (LOU), (FOUO).
_MARKING = r"(?:U|SBU|C|S|TS|LOU|FOUO|SBU/NF|U/FOUO)(?:\s*/{1,2}\s*(?:NF|NOFORN|REL(?:\s+TO)?(?:[\s,]+[A-Z]{2,5})*|OC|ORCON|FOUO|SBU))*"

NUMBERED = re.compile(
    r"""^\s*¶?\s*(?P<number>\d{1,3})
        # "5. (SBU)", "1.(C/ REL ISAF)", "5, (S/NF)"
        (?:\s*[.,]\s*\((?P<marking>[A-Za-z]{1,4}(?:\s*/{1,2}\s*[A-Za-z]{1,7}(?:[\s,]+[A-Z]{2,5})*)*)\)
           | \s*\.\s*(?P<half_marking>U|SBU|C|S|TS|LOU)\)\s  # the opening parenthesis left out: "1. C) Summary" (10ROME1)
           | \s+\((?P<bare_marking>(?:U|SBU|C|S|TS|LOU)(?:/{1,2}[A-Z]{2,7})?)\)  # no dot: "2 (C) Per reftel"
           | \s*\.(?=\s+\S)                    # or a space and text: "1. ON FEB 24"
           | \.(?=[A-Z][a-z]|[A-Z]{2,}\b))       # or text straight after the dot: "1.Embassy London", "2.SUMMARY"
        \s*(?P<rest>.*)$""",
    re.X,
)
# A number in parentheses before a marking: "(6) (S) Indigenous Terrorism", "(7). (S)", "(11. (C)"
# (09PESHAWAR41, 06CARACAS2367). A paragraph only where it cannot be an item of a sub-list.
PAREN_NUMBERED = re.compile(
    r"^\s*¶?\s*\((?P<number>\d{1,3})(?:\)\s*\.?|\.)\s*\((?P<marking>" + _MARKING + r")\)\s*(?P<rest>\S.*)$"
)
MARKED = re.compile(r"^\s*¶?\s*\(\s*(?P<marking>" + _MARKING + r")\s*\)\s*(?P<rest>\S.*)$", re.I)
# The marking written before the number: "(C) 1. The Embassy obtained" (07BAGHDAD3504). Only the next number.
MARKING_FIRST = re.compile(r"^\s*¶?\s*\(\s*(?P<marking>" + _MARKING + r")\s*\)\s*(?P<number>\d{1,3})\s*\.\s+(?P<rest>\S.*)$")
# A line starting with a paragraph's dot and marking, its number left by a reformatted page at the end
# of the line before: "REF: 09 BRASILIA 1428 Brazil Launches ... on Haiti 1" / "" / ". (U) In the wake" (10BRASILIA44).
_NUMBER_LEFT_BEHIND = re.compile(r"^\s*¶?\s*[.,]\s*\(\s*" + _MARKING + r"\s*\)\s")
_TRAILING_NUMBER = re.compile(r"\s(?P<number>\d{1,3})\s*$")
# A numbered paragraph run into the previous one on the same line: "... rejection. 8. (SBU) Gilead";
# glued to a redaction that swallowed the line break: "... campaign.XXXXXXXXXXXX10. (C) Below" (05SOFIA1207);
# after a run-in heading, its dashes or two spaces before it: "... Thrive ------ 2, (C) On" (09CAIRO2381),
# "JUMA'A BOUFAYED RELEASED  2. (C) Human" (08TRIPOLI467).
# Unmarked, only after a sentence's end and a capital after it: "... nationwide. 10. In addition" (08BRASILIA1396).
# An unmarked number's text starts a sentence, or is a run-in heading with its colon ("6. USAID/Haiti: USAID/Haiti Acting").
_RUN_IN_TEXT = r"\s[A-Z][a-z]|\s[A-Z][\w/&'’-]*(?:\s[\w/&'’-]+){0,3}:\s"
_INLINE_PARAGRAPH = re.compile(
    r"(?:(?P<stop>(?<=[.!?\"')\]])|(?<=XXX)|(?<=--))\s*|\s{2,})"
    r"(?=(?P<number>\d{1,3})(?:\s*[.,]\s*\(\s*" + _MARKING + r"\s*\)\s|\s*\.(?P<bare>" + _RUN_IN_TEXT + r")))"
)
DASH_ITEM = re.compile(r"^\s*(?P<bullet>-{1,3}|\*|•)\s*(?P<rest>[^\s-].*)$")
LETTERED = re.compile(
    r"""^\s*¶?\s*(?:\((?P<paren>[A-Za-z]|\d{1,2})\)|(?P<letter>[A-Za-z]|\d{1,2})\))\s+  # "(a)", "a)", "(1)", "1)"
        (?:\((?P<marking>"""
    + _MARKING
    + r""")\)\s*)?(?P<rest>\S.*)$""",
    re.X,
)
LETTER_DOT = re.compile(r"^\s*¶?\s*(?P<letter>[A-Z])\.\s+(?:\((?P<marking>" + _MARKING + r")\)\s*)?(?P<rest>\S.*)$")
UNDERLINE = re.compile(r"^\s*-{3,}[\s-]*$")
# A line of one or two dashes alone: older telegrams' blank line between paragraphs (90CAPETOWN97).
_DASH_BLANK = re.compile(r"^\s*-{1,2}\s*$")
# A numbered paragraph with its marking starting a line inside a chunk (no blank line before it).
_INNER_START = re.compile(
    r"^\s*¶?\s*\d{1,3}\s*[.,]\s*\(" + _MARKING + r"\)|^\s*¶?\s*\d{1,3}\s*\.\s*(?:U|SBU|C|S|TS|LOU)\)\s|^\s*-{2,3}\s*[^\s-]"
)
# The first paragraph's number and marking left at the end of the "Classified By" line, its text
# after a blank line: "... for reasons 1.4 b and d 1.(C) " / "" / "Summary: The GON" (08OSLO522).
_NUMBER_AT_END = re.compile(r"\s(?=\d{1,3}\s*[.,]\s*\(\s*" + _MARKING + r"\s*\)\s*$)")
_BARE_NUMBER = re.compile(r"^\s*¶?\s*\d{1,3}\s*[.,]\s*\(\s*" + _MARKING + r"\s*\)\s*$")
_CLASSIFIED_BY = re.compile(r"(?<![A-Za-z])Clas+i?fi?e?d\s+By\b", re.I)
# A REF line with the first paragraph run into it: "REF: STATE 00028885 (SBU) This is a response".
_REF_LINE = re.compile(r"^\s*REFS?\b")
_MARKED_INLINE = re.compile(r"\s+(?=(?:¶?\d{1,3}\s*\.\s*)?\(\s*" + _MARKING + r"\s*\)\s)")
_TABLE_GAP = re.compile(r"\S {3,}\S")


@dataclass(slots=True)
class Chunk:
    """A run of non-blank lines; ``underlined`` when a dashed line follows it."""

    lines: list[str]
    underlined: bool = False


def _body_after_ref(line: str) -> re.Match[str] | None:
    """Where a REF line runs into the first paragraph: a marking after the entries, not an entry's
    letter: "(C)" after "(A) ... (B) ..." is entry C (09BUENOSAIRES641)."""
    for found in _MARKED_INLINE.finditer(line):
        letter = re.match(r"\s*\(\s*([A-Z])\s*\)", line[found.end() :])
        if not (letter and f"({chr(ord(letter.group(1)) - 1)})" in line[: found.start()]):
            return found
    return None


def split_run_in_paragraphs(lines: list[str]) -> list[str]:
    """Break lines where the next numbered paragraph (and only the next) runs on in the same line."""
    out: list[str] = []
    last = 0
    for index, line in enumerate(lines):
        if _REF_LINE.match(line) and (body := _body_after_ref(line)):
            out.extend([line[: body.start()], ""])
            line = line[body.end() :]
        if _CLASSIFIED_BY.search(line) and (end := _NUMBER_AT_END.search(line)) and not _numbered_next(lines, index):
            out.append(line[: end.start()])
            line = line[end.end() :]
        if _NUMBER_LEFT_BEHIND.match(line) and (moved := _take_number_left_behind(out, last)):
            line = f"{moved}{line.lstrip(' ¶')}"
        if match := NUMBERED.match(line):
            last = int(match["number"])
        start = 0
        for found in _INLINE_PARAGRAPH.finditer(line):
            if not _next_inline(int(found["number"]), last, found["stop"] is not None, found["bare"] is not None):
                continue
            number = int(found["number"])
            out.extend([*_with_heading_apart(line[start : found.start()]), ""])
            start, last = found.end(), number
        out.append(line[start:])
    return out


def _take_number_left_behind(out: list[str], last: int) -> str | None:
    """The next paragraph's number, taken off the end of the last non-blank line written (``out``); None if it is not there."""
    previous = next((index for index in range(len(out) - 1, -1, -1) if out[index].strip()), None)
    found = _TRAILING_NUMBER.search(out[previous]) if previous is not None else None
    if not found or int(found["number"]) != last + 1:
        return None
    out[previous] = out[previous][: found.start()]
    return found["number"]


# A section heading that a flattened page ran in before the next paragraph's number: between
# dashed rules ("... in Manama. --------- Also-Rans --------- 18. (C)", 08MANAMA536), or in
# capitals after a sentence's end and two spaces ("End summary.  JUMA'A BOUFAYED RELEASED  2. (C)").
_RUN_IN_RULED = re.compile(r"\s*-{3,}[\s-]*(?P<title>[^\s-](?:[^-]|-(?!-)){0,99}?)[\s-]*-{3,}[\s-]*$")
_RUN_IN_CAPITALS = re.compile(r"(?<=[.!?\"'])\s{2,}(?P<title>[A-Z][A-Z0-9 ,'&/()]{2,79}?)\s*$")


def _with_heading_apart(text: str) -> list[str]:
    """The text before a run-in paragraph number, a run-in heading at its end set apart as an
    underlined line (what the chunker reads as a heading)."""
    found = _RUN_IN_RULED.search(text) or _RUN_IN_CAPITALS.search(text)
    if not found or not re.search(r"[A-Za-z]{2}", found["title"]):
        return [text]
    before = text[: found.start()]
    return [*([before, ""] if before.strip() else []), found["title"].strip(), "---"]


def _numbered_next(lines: list[str], index: int) -> bool:
    """Whether the next non-blank line after ``index`` opens a numbered paragraph itself."""
    following = next((line for line in lines[index + 1 : index + 6] if line.strip()), "")
    return bool(NUMBERED.match(following))


def _next_inline(number: int, last: int, after_stop: bool, unmarked: bool) -> bool:
    """Whether a number inside a line starts the next paragraph: after a sentence's end, the next
    number or up to two skipped (05SOFIA1207 has no 9, 09CARACAS1333 no 6 and 7: "... guerrillas. 8. (C) COMMENT");
    after other text, only the next and marked."""
    if unmarked:
        return after_stop and last > 0 and number == last + 1
    return last < number <= last + (3 if after_stop else 1)


def chunk_lines(lines: list[str]) -> list[Chunk]:
    """Split lines at blank lines, inner paragraph starts and dashed underlines."""
    lines = split_run_in_paragraphs(lines)
    chunks: list[Chunk] = []
    current: list[str] = []

    def close() -> None:
        if current:
            chunks.append(Chunk(list(current)))
            current.clear()

    for line in lines:
        if not line.strip() or _DASH_BLANK.match(line):
            if not (len(current) == 1 and _BARE_NUMBER.match(current[0])):  # "1. (C)" / "" / "Summary: ..."
                close()
        elif UNDERLINE.match(line):
            close()
            if chunks:
                chunks[-1].underlined = True
        else:
            if current and (_starts_inner_block(line, current) or _next_number_starts(line, current)):
                close()
            current.append(line)
    close()
    return chunks


_NUMBER_LINE = re.compile(r"^\s*¶?\s*(?P<number>\d{1,3})\.\s+[A-Z]")


def _next_number_starts(line: str, current: list[str]) -> bool:
    """The next paragraph's number at a line start, unmarked, after a chunk that is itself a paragraph
    ("55. (U) Participants:" ... / "56. ISN Acting Assistant Secretary ...", 09KYIV1942), or the first
    paragraph's right after the "Classified By" line ("... for reasons 1.4 (b) and (d)" / "1.KEY POINTS --", 09CAIRO2066)."""
    opening = NUMBERED.match(current[0])
    if (first := NUMBERED.match(line)) and first["number"].lstrip("0") == "1" and _CLASSIFIED_BY.search(current[-1]):
        return True
    found = _NUMBER_LINE.match(line)
    return bool(found and opening) and int(found["number"]) == int(opening["number"]) + 1


def _starts_inner_block(line: str, current: list[str]) -> bool:
    """A paragraph or dash item starting without a blank line before it (not a wrapped "--")."""
    if not _INNER_START.match(line):
        return False
    if not line.lstrip().startswith("-"):
        return True
    return bool(DASH_ITEM.match(current[0])) or current[-1].rstrip().endswith((".", ":", ";"))


@dataclass(frozen=True, slots=True)
class Piece:
    """A classified chunk before anchors are given."""

    kind: str
    text: str
    number: str | None = None
    marking: str | None = None
    bullet: str | None = None
    preformatted: bool = False


def classify_chunks(chunks: list[Chunk]) -> list[Piece]:
    """Classify chunks in order; short unpunctuated chunks before a paragraph become headings."""
    pieces: list[Piece] = []
    pending: list[Chunk] = []
    last_number = 0
    quoted = _QuotedList()
    for index, chunk in enumerate(chunks):
        piece = (
            _paren_numbered(chunk, last_number, pieces)
            or _marking_first(chunk, last_number)
            or _structural_piece(chunk)
            or _lone_number(chunk, last_number)
        )
        if piece and piece.number and piece.kind == "paragraph" and quoted.takes(piece, last_number):
            piece = replace(piece, kind="list", bullet=piece.number + ".")
        elif piece and piece.number and piece.kind == "paragraph":
            if (
                (_wrapped_number(piece, last_number) or _ends_unfinished(pieces, piece, last_number))
                and pieces and pieces[-1].kind in ("paragraph", "text") and not pending
            ):  # fmt: skip
                # "... on April" / "27. The meeting": a number wrapped to a line start, not paragraph 27.
                pieces[-1] = replace(pieces[-1], text=pieces[-1].text + " " + _join(chunk.lines))
                continue
            last_number = int(piece.number)
            quoted.paragraph(piece)
        if piece is None and (chunk.underlined or _heading_like(chunk)) and index < len(chunks) - 1:
            pending.append(chunk)
            if chunk.underlined:
                pieces.append(_heading(pending))
                pending = []
            continue
        if pending:
            pieces.extend([_heading(pending)] if piece and piece.kind == "paragraph" else _as_text(pending))
            pending = []
        pieces.append(piece or _text_piece(chunk))
    pieces.extend(_as_text(pending))
    return pieces


class _QuotedList:
    """A numbered list quoted inside a paragraph ("Request A:" / "1. Release of the documents ...",
    07MADRID1952): in a cable whose numbered paragraphs so far all carry a marking, an unmarked "1."
    after paragraph 2 or later starts the list, and unmarked numbers that go on from it are its items."""

    def __init__(self) -> None:
        self.marked, self.item = True, None

    def takes(self, piece: Piece, last_number: int) -> bool:
        """Whether the numbered paragraph ``piece`` is an item of a quoted list (updating the state)."""
        number = int(piece.number)
        if piece.marking is None and (number == 1 and last_number >= 2 and self.marked or self.item == number - 1):
            self.item = number
            return True
        self.item = None
        return False

    def paragraph(self, piece: Piece) -> None:
        """Note a numbered paragraph of the cable itself."""
        self.marked = self.marked and piece.marking is not None


def _paren_numbered(chunk: Chunk, last_number: int, pieces: list[Piece]) -> Piece | None:
    """"(6) (S) Text" as paragraph 6 when it can't be a sub-list item: past the last paragraph
    number, not (1), and not after item (5)."""
    found = PAREN_NUMBERED.match(chunk.lines[0])
    if not found or (number := int(found["number"])) <= max(last_number, 1):
        return None
    previous = next((piece for piece in reversed(pieces) if piece.kind != "text"), None)
    if previous and previous.kind == "list" and previous.number == str(number - 1):
        return None
    return Piece("paragraph", _join([found["rest"], *chunk.lines[1:]]), found["number"], _clean_marking(found["marking"]))


def _marking_first(chunk: Chunk, last_number: int) -> Piece | None:
    """"(C) 1. Text" as paragraph 1: the marking before the number, taken only for the next paragraph's number."""
    found = MARKING_FIRST.match(chunk.lines[0])
    if not found or int(found["number"]) != last_number + 1:
        return None
    return Piece("paragraph", _join([found["rest"], *chunk.lines[1:]]), found["number"], _clean_marking(found["marking"]))


# A paragraph number alone on its line: "6." (then a heading) or "18." (then the signature), 09LAPAZ1784.
_LONE_NUMBER = re.compile(r"^\s*¶?\s*(?P<number>\d{1,3})\.\s*$")


def _lone_number(chunk: Chunk, last_number: int) -> Piece | None:
    """A number alone on its line that is the next paragraph's: that paragraph, its text on the lines after
    it (with its marking: "7." / "(C) Text"), or none where the cable left it empty."""
    found = _LONE_NUMBER.match(chunk.lines[0])
    if not found or int(found["number"]) != last_number + 1:
        return None
    if chunk.lines[1:] and (whole := _structural_piece(Chunk([f"{found['number']}. {chunk.lines[1].strip()}", *chunk.lines[2:]]))):
        return whole
    return Piece("paragraph", _join(chunk.lines[1:]), found["number"])


def _wrapped_number(piece: Piece, last_number: int) -> bool:
    """An unmarked number that cannot be the next paragraph's (not 1, not last+0..3) is wrapped text."""
    number = int(piece.number)
    return piece.marking is None and number != 1 and not last_number <= number <= last_number + 3


def _ends_unfinished(pieces: list[Piece], piece: Piece, last_number: int) -> bool:
    """An unmarked number, not the next one, after text that stops in mid-sentence on a word in lower case:
    the sentence goes on across a blank line ("... grades 1-3 and" / "" / "6. --Increase ...", 07MANAMA1051)."""
    return (
        piece.marking is None
        and int(piece.number) != last_number + 1
        and bool(pieces)
        and re.search(r"\b[a-z]+$", pieces[-1].text.rstrip()) is not None
    )


def _heading(chunks: list[Chunk]) -> Piece:
    return Piece(kind="heading", text=_join(line for chunk in chunks for line in chunk.lines))


def _as_text(chunks: list[Chunk]) -> list[Piece]:
    return [_text_piece(chunk) for chunk in chunks]


def _structural_piece(chunk: Chunk) -> Piece | None:
    first, rest = chunk.lines[0], chunk.lines[1:]
    if match := NUMBERED.match(first):
        marking = match["marking"] or match["bare_marking"] or match["half_marking"]
        return Piece("paragraph", _join([match["rest"], *rest]), match["number"], _clean_marking(marking))
    if match := MARKED.match(first):
        return Piece("paragraph", _join([match["rest"], *rest]), None, _clean_marking(match["marking"]))
    if match := DASH_ITEM.match(first):
        return Piece("list", _join([match["rest"], *rest]), None, None, match["bullet"])
    if match := LETTERED.match(first):
        label = match["paren"] or match["letter"]
        return Piece(
            "list",
            _join([match["rest"], *rest]),
            label,
            _clean_marking(match["marking"]),
            f"({label})" if match["paren"] else label + ")",
        )
    if match := LETTER_DOT.match(first):
        return Piece("list", _join([match["rest"], *rest]), match["letter"], _clean_marking(match["marking"]), match["letter"] + ".")
    return None


def _text_piece(chunk: Chunk) -> Piece:
    if sum(1 for line in chunk.lines if _TABLE_GAP.search(line.strip())) >= 2:
        return Piece("text", "\n".join(line.rstrip() for line in chunk.lines), preformatted=True)
    return Piece("text", _join(chunk.lines))


def _heading_like(chunk: Chunk) -> bool:
    lines = [line.strip() for line in chunk.lines]
    text = " ".join(lines)
    return (
        len(lines) <= 3
        and all(len(line) <= 80 for line in lines)
        and not text.endswith((".", ";", '."', ".)"))
        and not text[:1].islower()
        and not text.startswith("(")
    )


def _clean_marking(marking: str | None) -> str | None:
    return " ".join(re.sub(r"\s*/\s*", "/", marking).split()) if marking else None


def _join(lines) -> str:
    return " ".join(" ".join(lines).split())


def give_anchors(pieces: list[Piece]) -> tuple[Block, ...]:
    """Stable anchors: ``pN`` numbered paragraph N, ``pN-K`` the K-th other block after it, ``hK`` headings."""
    blocks: list[Block] = []
    used: set[str] = set()
    last_number, since, headings = "0", 0, 0
    for piece in pieces:
        if piece.kind == "heading":
            headings += 1
            anchor = f"h{headings}"
        elif piece.kind == "paragraph" and piece.number:
            last_number, since = piece.number.lstrip("0") or "0", 0
            anchor = _unique(f"p{last_number}", used)
        else:
            since += 1
            anchor = _unique(f"p{last_number}-{since}", used)
        used.add(anchor)
        blocks.append(Block(piece.kind, anchor, piece.text, piece.number, piece.marking, piece.bullet, piece.preformatted))
    return tuple(blocks)


def _unique(anchor: str, used: set[str]) -> str:
    if anchor not in used:
        return anchor
    suffix = 2
    while f"{anchor}_{suffix}" in used:
        suffix += 1
    return f"{anchor}_{suffix}"
