"""REF lists as real cables write them: each line from the corpus, tagged with its cable."""

from __future__ import annotations

from pathlib import Path

import pytest
from cleansite.header import read_ref_text
from cleansite.ids import canonical_id, origin_code
from cleansite.refs import parse_references
from conftest import PROJECT_DIR

# (citing cable, REF text as in the cable, expected (label, id) pairs)
REAL_REF_LINES = [
    ("10CHENGDU28", "REF: A) 09 CHENGDU 300, B) CHENGDU 023", [("A", "09CHENGDU300"), ("B", "10CHENGDU23")]),
    (
        "03THEHAGUE2113",
        "REF: A. STATE 242722\nB. THE HAGUE 1548\nC. THE HAGUE 1146",
        [("A", "03STATE242722"), ("B", "03THEHAGUE1548"), ("C", "03THEHAGUE1146")],
    ),
    ("08THEHAGUE553", "REF: A. SECSTATE 6453\nB. THE HAGUE 355", [("A", "08STATE6453"), ("B", "08THEHAGUE355")]),
    ("09ISLAMABAD10", "REF: A. NEW DELHI 10 B. FBI //1314/01907/366/0013//", [("A", "09NEWDELHI10"), ("B", None)]),
    ("09RIODEJANEIRO14", "REFS: A) 07 Sao Paulo 899,\nB) Rio de Janeiro 91,", [("A", "07SAOPAULO899"), ("B", "09RIODEJANEIRO91")]),
    (
        "10THEHAGUE42",
        "REF: A. MARCUS - MANN EMAIL 01/13/2010\nB. THE HAGUE 7\nC. 08 THE HAGUE 868",
        [("A", None), ("B", "10THEHAGUE7"), ("C", "08THEHAGUE868")],
    ),
    ("09UNVIEVIENNA279", "REF: A. UNVIE 109\n     ¶B. UNVIE 201", [("A", "09UNVIEVIENNA109"), ("B", "09UNVIEVIENNA201")]),
    ("09UNVIEVIENNA289", "REF: UNVIE 00266", [(None, "09UNVIEVIENNA266")]),
    ("03THEHAGUE1453", "REF: 2002 THE HAGUE 03525", [(None, "02THEHAGUE3525")]),
    ("04THEHAGUE1923", "REF: A. (A) THE HAGUE 01915\n     B. (B) THE HAGUE 01903", [("A", "04THEHAGUE1915"), ("B", "04THEHAGUE1903")]),
    (
        "04THEHAGUE3044",
        "REF: (A) THE HAGUE 2929 (B) THE HAGUE 2864\n(C) THE HAGUE 2308; (D) THE HAGUE 2995",
        [("A", "04THEHAGUE2929"), ("B", "04THEHAGUE2864"), ("C", "04THEHAGUE2308"), ("D", "04THEHAGUE2995")],
    ),
    ("06TRIPOLI198", "REF: TRIPOLI 33, 53", [(None, "06TRIPOLI33"), (None, "06TRIPOLI53")]),
    ("07SANJOSE524", "Ref: 06 State 202745", [(None, "06STATE202745")]),
    ("08MANAMA105", "REF: A. A) 2/15/08 STEINFELD-BELOOSHI TELCON\n B. B) 2/26/08 STEINFELD-ERELI EMAIL", [("A", None), ("B", None)]),
    (
        "08MOSCOW2428",
        "REF: A)MOSCOW 2343, B)MOSCOW 2366, C)MOSCOW 2383",
        [("A", "08MOSCOW2343"), ("B", "08MOSCOW2366"), ("C", "08MOSCOW2383")],
    ),
    ("08TRIPOLI554", "REF: TRIPOLI 438, STATE 39410", [(None, "08TRIPOLI438"), (None, "08STATE39410")]),
    ("08PARAMARIBO128", "REF: A. 2007 PARAMARIBO 470\nB. 2007 PARAMARIBO 444", [("A", "07PARAMARIBO470"), ("B", "07PARAMARIBO444")]),
    ("09THEHAGUE271", "REF: HAGUE 264", [(None, "09THEHAGUE264")]),
    ("10CAIRO165", "REF: 09 CAIRO 1615; 09 CAIRO 1506", [(None, "09CAIRO1615"), (None, "09CAIRO1506")]),
    ("72TEHRAN1164", "REF: TEHRAN 1091: TEHRAN 263: MOSCOW 1603", [(None, "72TEHRAN1091"), (None, "72TEHRAN263"), (None, "72MOSCOW1603")]),
    (
        "09CAIRO1971",
        "REF: A. CAIRO 1332\n  B. CAIRO 1231 C. 08 CAIRO 2122 Classified By: Minister-Counselor",
        [("A", "09CAIRO1332"), ("B", "09CAIRO1231"), ("C", "08CAIRO2122")],
    ),
    (
        "07TRIPOLI943",
        "REF: A) STATE 135205; B) STATE 127608; C) JOHNSON-STEVENS/GODFREY E-MAIL 10/15/07; D) TRIPOLI 797",
        [("A", "07STATE135205"), ("B", "07STATE127608"), ("C", None), ("D", "07TRIPOLI797")],
    ),
    ("10ADDISABABA247", " REF:  09 ADDIS ABABA 2900", [(None, "09ADDISABABA2900")]),
    (
        "06TEGUCIGALPA526",
        "REF: A. TEGUCIGALPA 521 (FUEL)\nG. 092106Z MAR 06 USDAO TEGUCIGALPA HO (MOD)\nL. 05 TEGUCIGALPA 2492 (POL ASSESSMENT)",
        [("A", "06TEGUCIGALPA521"), ("G", None), ("L", "05TEGUCIGALPA2492")],
    ),
]


@pytest.mark.parametrize("cable,header,expected", REAL_REF_LINES, ids=[row[0] for row in REAL_REF_LINES])
def test_real_ref_lines(cable: str, header: str, expected: list[tuple[str | None, str | None]]) -> None:
    references = parse_references(read_ref_text(header), cable[:2])
    assert [(r.label, r.id) for r in references] == expected
    assert all(r.text for r in references)


@pytest.mark.parametrize(
    "written,code",
    [
        ("SECSTATE", "STATE"),
        ("STATE", "STATE"),
        ("THE HAGUE", "THEHAGUE"),
        ("RIO DE JANEIRO", "RIODEJANEIRO"),
        ("TEGUCIGALP", "TEGUCIGALPA"),
        ("KUALA LUMP", "KUALALUMPUR"),
        ("USUN", "USUNNEWYORK"),
    ],
)
def test_origin_codes(written: str, code: str) -> None:
    assert origin_code(written) == code


def test_canonical_id_drops_zeros_and_keeps_two_digit_year() -> None:
    assert canonical_id("2009", "CHENGDU", "0300") == "09CHENGDU300"
    assert canonical_id("10", "SECSTATE", "000284") == "10STATE284"


def test_the_report_names_the_line_of_every_unparsed_ref_entry(tmp_path: Path) -> None:
    """The streaming build finds the lines in its workers; the in-memory path reads the pages: the same answer."""
    from cleansite.config import Config
    from cleansite.pipeline import collect, convert

    streamed = convert(Config(pages=(PROJECT_DIR / "samples",), docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache"))
    entries = streamed.unparsed_references()
    assert entries == collect([PROJECT_DIR / "samples"]).unparsed_references() and len(entries) >= 1
    for entry in entries:
        path, line, text = entry.split(":", 2)
        page = Path(path).read_text(encoding="utf-8", errors="replace").split("\n")
        assert text.strip()[:20] in page[int(line) - 1]
