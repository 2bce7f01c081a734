"""Remove the page-break lines news sites and PDFs leave in cables, rejoining what they cut."""

from __future__ import annotations

import re

# Page-break lines, e.g.
#   CHENGDU 00000028 002.2 OF 004      (news sites, viewer pages)
#   CAIRO 00000145  002 OF 003         (two spaces before the page number)
#   TEGUCIGALP 00000526 004.6 OF 007   (origin cut to ten characters)
_BREAK = r"""
    (?P<origin>[A-Z][A-Z'.-]{0,29}(?:\ [A-Z][A-Z'.-]{0,29}){0,3})   # origin, one to four words (bounded: no backtracking over a long word)
    \ +(?P<serial>\d{8})                                  # serial, zero-padded to eight digits
    \ +\d{3}(?:\.\d+)?                                    # page number, sometimes with a .N suffix
    \ +OF\ +\d{3}                                         # page count
"""
BREAK_LINE = re.compile(r"^\s*" + _BREAK + r"\s*$", re.X)
BREAK_INLINE = re.compile(r"(?<![A-Za-z0-9])" + _BREAK + r"(?![A-Za-z0-9])", re.X)

# Lines that start a new block, so a page break before them is not a cut.
_BLOCK_START = re.compile(
    r"""^\s*(?:
        ¶?\s*\d{1,3}\s*\.\s*(?:\(|[A-Z])   # numbered paragraph: "5. (U)", "12. The"
      | ¶?\s*\([A-Z][A-Z/]{0,8}\)\s        # marked paragraph: "(SBU) Per reftel"
      | -{2,}\s*\S                          # dash list item: "-- raise the awareness"
      | -{3,}[\s-]*$                        # dashed underline of a heading
      | ¶?\s*\(?[A-Za-z][.)]\s              # lettered item: "B. 08 CAIRO 2122", "a) the"
    )""",
    re.X,
)
_UNDERLINE = re.compile(r"^\s*-{3,}[\s-]*$")
# A break split over two lines: "... TRIPOLI 00000402" then, after blank lines, "001.2 OF 003".
# Also split inside the page number: "RIO DE JAN 00000365 002." then "2 OF 002 5. (C) In ..." (09RIODEJANEIRO365).
_SPLIT_HEAD = re.compile(r"\b\d{8}(?:\s+\d{3}\.)?\s*$")
_SPLIT_TAIL = re.compile(r"^\s*(?:\d{3}(?:\.\d+)?|\d{1,2})\s+OF\s+\d{3}\b")
# The page head of an older telegram (State's printouts, 1960s to 1990s), with the classification
# lines that close the page before it and open the next one (90CAPETOWN97):
#   CONFIDENTIAL / (blank) / CONFIDENTIAL / (blank) / PAGE 02        CAPE T  00097  01 OF 03  182017Z
# The page's first line may run on after it, behind two spaces or more (02ROME1196, cablemap):
#   PAGE 02 ROME 01196 01 OF 02 082030Z  B. ROME 1098  C. ROME 894
_TELEGRAM_PAGE = re.compile(
    r"^\s*PAGE\s+\d{2,3}\s+[A-Z][A-Z .'-]{0,24}?\s+\d{3,7}\s+\d{2}\s+OF\s+\d{2}\s+\d{6}Z?(?:\s*$|[ \t]{2,}(?P<rest>\S.*))"
)
_PAGE_CLASSIFICATION = re.compile(
    r"^\s*(?:UNCLASSIFIED|UNCLAS|CONFIDENTIAL|SECRET|TOP SECRET|LIMITED OFFICIAL USE|C O N F I D E N T I A L|S E C R E T)\s*$"
)
# Every break (whole, inline, or the head of a split one) holds an eight-digit serial: lines
# without one are passed over, found in one pass over the text instead of three regexes a line.
_SERIAL = re.compile(r"\d{8}")


# ASCII digits as "0", every other byte as a space: eight digits in a row are b"00000000", found at C speed.
_ASCII_DIGITS = bytes(ord("0") if chr(byte) in "0123456789" else ord(" ") for byte in range(256))


def _lines_with_serials(lines: list[str]) -> set[int]:
    """The indexes of the lines holding eight digits in a row (the only ones a break can be on)."""
    text = "\n".join(lines)
    if text.isascii():  # no other digits than 0-9: a byte search instead of the regex at every character
        return _ascii_lines_with_serials(text)
    found: set[int] = set()
    line, position = 0, 0
    for match in _SERIAL.finditer(text):
        line += text.count("\n", position, match.start())
        position = match.start()
        found.add(line)
    return found


def _ascii_lines_with_serials(text: str) -> set[int]:
    """``_lines_with_serials`` of an ASCII text (its characters are its bytes)."""
    masked = text.encode("ascii").translate(_ASCII_DIGITS)
    found: set[int] = set()
    line, position = 0, 0
    start = masked.find(b"00000000")
    while start >= 0:
        line += text.count("\n", position, start)
        position = start
        found.add(line)
        end = text.find("\n", start)  # one is enough on a line: go on from the next
        start = masked.find(b"00000000", end) if end >= 0 else -1
    return found


def _mend_split_breaks(lines: list[str]) -> list[str]:
    """Put a page break that a line end split in two back on one line."""
    candidates = _lines_with_serials(lines)
    if not candidates:
        return lines
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if index in candidates and _SPLIT_HEAD.search(line):
            after = index + 1
            while after < len(lines) and not lines[after].strip() and after - index <= 3:
                after += 1
            cut_in_number = line.rstrip().endswith(".")
            if after < len(lines) and _SPLIT_TAIL.match(lines[after]) and cut_in_number == (len(lines[after].split()[0]) < 3):
                out.append(line.rstrip() + ("" if line.rstrip().endswith(".") else " ") + lines[after].strip())
                index = after + 1
                continue
        out.append(line)
        index += 1
    return out


def remove_page_breaks(lines: list[str], origin_code: str | None) -> tuple[list[str], list[str]]:
    """Drop page-break lines (whole or inline) and rejoin the block each one cut.

    Takes the document lines and the cable's origin code (to tell the break's
    origin from capitalised words before an inline break); returns the new lines
    and the break lines removed.
    """
    lines, removed = _remove_telegram_pages(_mend_split_breaks(lines))
    candidates = _lines_with_serials(lines)
    if not candidates:
        return list(lines), removed
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if index not in candidates:
            out.append(line)
            index += 1
            continue
        if (whole := BREAK_LINE.match(line)) and not _leading_text_words(whole.group("origin").split(" "), origin_code):
            removed.append(line.strip())
            index = _rejoin(out, lines, index + 1)
            continue
        line, found = _remove_inline(line, origin_code)
        removed.extend(found)
        out.append(line)
        index += 1
    return out, removed


def _remove_telegram_pages(lines: list[str]) -> tuple[list[str], list[str]]:
    """Drop older telegrams' page heads ("PAGE 02  CAPE T  00097 ...") with the classification
    lines around them, and rejoin the block each one cut; returns the lines and what was removed."""
    if not any("PAGE" in line and _TELEGRAM_PAGE.match(line) for line in lines):
        return lines, []
    out: list[str] = []
    removed: list[str] = []
    index = 0
    while index < len(lines):
        if not (head := _TELEGRAM_PAGE.match(lines[index])):
            out.append(lines[index])
            index += 1
            continue
        before: list[str] = []
        while out and (not out[-1].strip() or _PAGE_CLASSIFICATION.match(out[-1])) and len(before) < 6:
            before.append(out.pop())
        removed.extend(line.strip() for line in reversed(before) if line.strip())
        removed.append(lines[index][: head.start("rest")].strip() if head["rest"] else lines[index].strip())
        if head["rest"]:  # the page's first line, run on after its head
            out.append(head["rest"])
            index += 1
            continue
        index = _rejoin(out, lines, index + 1)
    return out, removed


def _rejoin(out: list[str], lines: list[str], after: int) -> int:
    """Close the gap a break line left; keep one blank line only when a new block follows."""
    next_index = after
    while next_index < len(lines) and not lines[next_index].strip():
        next_index += 1
    while out and not out[-1].strip():
        out.pop()
    if next_index >= len(lines):
        return next_index
    if _starts_block(lines, next_index) and out:
        out.append("")
    return next_index


def _starts_block(lines: list[str], index: int) -> bool:
    if _BLOCK_START.match(lines[index]) or BREAK_LINE.match(lines[index]):
        return True
    # A heading after the break: a short chunk underlined with dashes.
    for line in lines[index + 1 : index + 4]:
        if not line.strip():
            return False
        if _UNDERLINE.match(line):
            return True
    return False


def _remove_inline(line: str, origin_code: str | None) -> tuple[str, list[str]]:
    found: list[str] = []

    def cut(match: re.Match[str]) -> str:
        words = match.group("origin").split(" ")
        kept = _leading_text_words(words, origin_code)
        found.append(match.group(0)[len(" ".join(kept)) :].strip())
        return " ".join(kept) + "\0" if kept else "\0"

    if not BREAK_INLINE.search(line):
        return line, found
    new = BREAK_INLINE.sub(cut, line)
    # One space where the break was; the line's other spacing stays (two spaces are where a
    # flattened page had its line ends: "... RELEASED  2. (C) Human", 08TRIPOLI467).
    return re.sub(r" *\0 *", " ", new).strip() if new != line else line, found


def _leading_text_words(words: list[str], origin_code: str | None) -> list[str]:
    """The capitalised words before an inline break that belong to the text, not the break."""
    for start in range(len(words)):
        written = "".join(words[start:])
        if origin_code is None:
            return words[:-1]
        if origin_code.startswith(written) or written.startswith(origin_code):
            return words[:start]
    return words[:-1]
