"""10CHENGDU28 as Scoop published it: the structure issue 2 asks for, checked on the real page."""

from __future__ import annotations

import re

import pytest
from cleansite.convert import convert_page
from cleansite.records import plain_text
from conftest import page_path

PAGE = page_path("scoop-text", "10CHENGDU28.txt")


@pytest.fixture(scope="module")
def cable():
    return convert_page(PAGE)


def test_header_fields(cable) -> None:
    assert cable.id == "10CHENGDU28"
    assert cable.created == "2010-02-04 02:54"
    assert cable.origin == "Consulate Chengdu"
    assert cable.source == "scoop-text"
    assert [(r.label, r.id) for r in cable.references] == [("A", "09CHENGDU300"), ("B", "10CHENGDU23")]
    # The Scoop page carries neither SUBJECT nor classification line: unknown, not guessed.
    assert cable.subject is None and cable.classification is None
    assert cable.title == "Chongqing's Ipr Environment: Views From the Government, A"


def test_seventeen_paragraphs_with_their_markings(cable) -> None:
    paragraphs = [b for b in cable.blocks if b.kind == "paragraph"]
    assert [b.anchor for b in paragraphs] == [f"p{n}" for n in range(1, 18)]
    markings = ["U", "SBU", "SBU", "U", "U", "U", "U", "U", "U", "SBU", "SBU", "U", "U", "U", "U", "U", "U"]
    assert [b.marking for b in paragraphs] == markings


def test_seven_headings_with_lines_joined(cable) -> None:
    headings = [b.text for b in cable.blocks if b.kind == "heading"]
    assert len(headings) == 7
    assert headings[0] == 'Bo Xilai\'s "IPR model city": Officials on Goals, Strategy, Accomplishments'
    assert headings[3] == "A Chinese Motorcycle Company's Perspective: Domestic IPR Problems and Center-Provinces Contradictions"
    assert headings[5] == "IPR Lawyers Face Steep Learning Curve, Low Rewards Says Chongqing Attorney"


def test_paragraphs_cut_by_page_breaks_are_joined(cable) -> None:
    by_anchor = {b.anchor: b.text for b in cable.blocks}
    assert "Deputy Coordinator of the Copyright Management Section of Chongqing Copyright Bureau" in by_anchor["p9"]
    # The page lost the rest of paragraph 13: nothing is invented.
    assert by_anchor["p13"].endswith("None reported successful resolution of any cases via civil")


def test_lists_are_items_of_their_paragraph(cable) -> None:
    items = [b for b in cable.blocks if b.kind == "list"]
    assert [b.anchor for b in items] == ["p5-1", "p5-2", "p6-1", "p6-2", "p6-3", "p6-4"]
    assert items[2].text.startswith('"One key line" refers to')


def test_no_artefact_and_no_page_break_left(cable) -> None:
    text = plain_text(cable)
    for artefact in ("Scoop", "newsletter", "Advertisement", "World Headlines", "Celebrating"):
        assert artefact not in text
    assert not re.search(r"CHENGDU 0{4}28", text)
    assert "CHENGDU 00000028 003.2 OF 004" in cable.removed
