"""The cablemap test cases (tests/cablemap/*.jsonl) load and have their fields.

Only the data's shape is tested here; how cleansite's readers score on them is
bench/cablemap.py's business.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import TESTS_DIR

DATA = TESTS_DIR / "cablemap"
FILES = ("references", "subjects", "tags")
CABLE_ID = r"^\d{2}[A-Z0-9]+\d$"


def cases(name: str) -> list[dict]:
    with open(DATA / f"{name}.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.mark.parametrize("name", FILES)
def test_every_case_has_its_fields(name: str) -> None:
    rows = cases(name)
    assert rows
    for row in rows:
        assert isinstance(row["text"], str) and row["text"]
        assert row["source"].startswith("heuer/cablemap cablemap.core/tests/")
        assert row["cable"] is None or re.match(CABLE_ID, row["cable"])
        if "doubt" in row:
            assert isinstance(row["doubt"], str) and row["doubt"]
        if name == "subjects":
            assert isinstance(row["expected"], str)
            assert "by_text" not in row or isinstance(row["by_text"], str)
            assert isinstance(row["clean"], bool)
        else:
            assert isinstance(row["expected"], list) and all(isinstance(v, str) for v in row["expected"])
            assert "by_text" not in row or isinstance(row["by_text"], list)
        if name == "references":
            assert isinstance(row["year"], int) and 1960 <= row["year"] <= 2010
            assert all(re.match(CABLE_ID, v) for v in row["expected"] + row.get("by_text", []))


def test_by_text_only_with_a_doubt() -> None:
    for name in FILES:
        for row in cases(name):
            assert "by_text" not in row or "doubt" in row


def test_readme_names_source_and_licence() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "heuer/cablemap" in readme and "BSD" in readme
