# ruff: noqa: E501 - the table rows are real cable lines, kept whole
"""Each failure class of the fidelity review (issue 10) on the real line it came from, tagged with its cable.

Lines marked "cablemap" are real cable text from the test data of an earlier cable parser
(heuer/cablemap, BSD), cited by the cable they come from; the rest are from ../shared/corpus.
Expected values were written by reading the line, not by running the tool.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cleansite.blocks import chunk_lines, classify_chunks
from cleansite.header import read_ref_text, read_subject, read_tags
from cleansite.pagebreaks import remove_page_breaks
from cleansite.refs import parse_references
from cleansite.tags import split_tags, tag_name
from conftest import PAGES_DIR, PROJECT_DIR

TAGS_LINES = [
    # continuation lines without a trailing comma, a person tag written as two words after OVIP
    ("09STATE11937 cablemap", "E.O. 12958: DECL: 02/05/2019\nTAGS: OVIP CLINTON HILLARY PREL KPAL FR IR RS\nNATO, UK, CN\nSUBJECT: (U) Secreta",
     ["OVIP", "CLINTON, HILLARY", "PREL", "KPAL", "FR", "IR", "RS", "NATO", "UK", "CN"]),
    # codes run together: split only because every piece is a known code
    ("09CAIRO2205 cablemap", "POSTS FOR FRAUD PREVENTION UNITS E.O. 12958: N/A TAGS: KFRDKIRFCVISCMGTKOCIASECPHUMSMIGEG\n\nSUBJECT: BLIND",
     ["KFRD", "KIRF", "CVIS", "CMGT", "KOCI", "ASEC", "PHUM", "SMIG", "EG"]),
    # a tag repeated across the sections of the line is kept once; VTPREL is VT + PREL
    ("01VATICAN3507 cablemap", "EO 12958 DECL: 07/02/11\nTAGS PREL, PHUM, IS, EG, CH, ID, PHUM, IS, EG, CH, ID, VT, VTPREL, VTPREL \nSUBJECT:  THE VATIC",
     ["PREL", "PHUM", "IS", "EG", "CH", "ID", "VT"]),
    # a keyword tag of several words is one tag
    ("02ROME1196 cablemap", "EO 12958 DECL: 03/05/2007\nTAGS PHUM, OPRC, OPRC, IT, HUMAN RIGHTS\nSUBJECT: AS PREDICTED",
     ["PHUM", "OPRC", "IT", "HUMAN RIGHTS"]),
    # a person tag in parentheses keeps its comma
    ("09SINGAPORE529", "TAGS: OVIP (STEINBERG, JAMES B.) PREL MNUC SN CH KN\nSUBJECT: DEPUTY", ["OVIP", "STEINBERG, JAMES B.", "PREL", "MNUC", "SN", "CH", "KN"]),
    # semicolons with no space, no colon after TAGS
    ("10ZAGREB97", "TAGS PREL;PGOV;KCOR;HU;HR \nSUBJECT: PODRAVKA CORRUPTION C", ["PREL", "PGOV", "KCOR", "HU", "HR"]),
    # continuation lines with short codes the table lacks ("TF"), or run on into the subject; a
    # keyword tag wrapped; a person after OVIP that the names table also lists (earlier parser's tests)
    ("09BRASILIA542 cablemap", "TAGS: KFLU AEMR ASEC AMEDCASCKFLO TBIO KSAF KPAO PREL\nPINR, AMGT, TF, BR \nSUBJECT: TFFLU01: H1N1",
     ["KFLU", "AEMR", "ASEC", "AMED", "CASC", "KFLO", "TBIO", "KSAF", "KPAO", "PREL", "PINR", "AMGT", "TF", "BR"]),
    ("09LONDON2499 cablemap", "TAGS: PREL PGOV KPAL ETRD KNNP PARM SENV MARR MNUC\nECON, PHUM, RS, IS, IR, GG, AF, UK SUBJECT: MILIBAND'S RUSSIA",
     ["PREL", "PGOV", "KPAL", "ETRD", "KNNP", "PARM", "SENV", "MARR", "MNUC", "ECON", "PHUM", "RS", "IS", "IR", "GG", "AF", "UK"]),
    ("07KUWAIT624 cablemap", "TAGS: OREP AMGT ASEC AFIN GM IZ IC KU COUNTRY\nCLEARANCE \nSUBJECT: KUWAIT GRANTS", ["OREP", "AMGT", "ASEC", "AFIN", "GM", "IZ", "IC", "KU", "COUNTRY CLEARANCE"]),
    ("09SANTIAGO324", "TAGS: OVIP BIDEN JOSEPH PREL ECON PGOV SOCI UK PK\nAF\nSUBJECT: VICE", ["OVIP", "BIDEN, JOSEPH", "PREL", "ECON", "PGOV", "SOCI", "UK", "PK", "AF"]),
    # a post's name as a tag, two words between commas
    ("04BRUSSELS1868", "EO 12958 DECL: 04/29/2014 \nTAGS PREL, PGOV, PINR, PBTS, EUN, USEU BRUSSELS \nSUBJECT: DINING WITH CHRIS",
     ["PREL", "PGOV", "PINR", "PBTS", "EUN", "USEU BRUSSELS"]),
    # a header typed in lower case, TAGS on the E.O. line
    ("04ANKARA348 cablemap", "E.o. 12958: decl: 01/07/2014 Tags: prel, pgov, pins, tu Subject: turkish p.m. Erdogan", ["PREL", "PGOV", "PINS", "TU"]),
    # several keyword tags typed without separators: split because known keyword tags and codes cover the run
    ("04PANAMA586 cablemap", "E.O. 12958: DECL: 03/10/2009 \nTAGS: MARR PREL PINS EWWT MOPS PM LABOR HUMAN RIGHTSPOLMIL\nSUBJECT: PANAMA OFFERS",
     ["MARR", "PREL", "PINS", "EWWT", "MOPS", "PM", "LABOR", "HUMAN RIGHTS", "POL", "MIL"]),
    ("05ROME3585 cablemap", "TAGS: PREL PGOV CVIS IT ITALY NATIONAL ELECTIONS ITALIAN POLITICS IRAQI FREEDOM\nSUBJECT:",
     ["PREL", "PGOV", "CVIS", "IT", "ITALY NATIONAL ELECTIONS", "ITALIAN POLITICS", "IRAQI FREEDOM"]),
    ("05PANAMA388 cablemap", "TAGS: PGOV PREL PM POLITICS FOREIGN POLICY POL FOREIGN POL\nSUBJECT:", ["PGOV", "PREL", "PM", "POLITICS FOREIGN POLICY", "POL", "FOREIGN POL"]),
    ("04BRASILIA3154", "TAGS: MCAP MARR MASS PREL BR POL MIL\nSUBJECT: BRAZIL", ["MCAP", "MARR", "MASS", "PREL", "BR", "POL", "MIL"]),
    # a keyword tag whose words are codes (TIP, IN) is one tag, the fewest tags covering the run
    ("05ISTANBUL329 cablemap", "TAGS: TU BO MD PHUM KCRM PGOV KJUS TIP IN TURKEY\nSUBJECT:", ["TU", "BO", "MD", "PHUM", "KCRM", "PGOV", "KJUS", "TIP IN TURKEY"]),
    # person tags of the table, written without their commas, in a run with a keyword tag
    ("04PANAMA672 cablemap", "TAGS: CASC CJAN SNAR PHUM CU PM NOVO GUILLERMO REMON PEDRO JIMENEZ GASPAR CONSULAR AFFAIRS\nSUBJECT:  FATE",
     ["CASC", "CJAN", "SNAR", "PHUM", "CU", "PM", "NOVO, GUILLERMO", "REMON, PEDRO", "JIMENEZ, GASPAR", "CONSULAR AFFAIRS"]),
    # a post's name among codes, not between commas, stays as the tags it is made of (the reader's reading)
    ("06BRUSSELS524", "TAGS: PGOV PTER PHUM EUN USEU BRUSSELS\nSUBJECT: SECSTATE", ["PGOV", "PTER", "PHUM", "EUN", "USEU", "BRUSSELS"]),
    # misspellings stay as written (the text is the truth); the table gives the tag meant
    ("04SANAA2346 cablemap", "TAGS: MASS MOPS OVIP PARM PINR PREL PTER YM COUNTER TERRORISM\nSUBJECT:", ["MASS", "MOPS", "OVIP", "PARM", "PINR", "PREL", "PTER", "YM", "COUNTER TERRORISM"]),
    ("05SANJOSE2199 cablemap", "E.O. 12958: N/A \nTAGS: PREL SCUL ETRD CS UNDESCO\nSUBJECT: COSTA RICA: UNESCO", ["PREL", "SCUL", "ETRD", "CS", "UNDESCO"]),
    # "TAGS something\nhere": a line of ordinary words does not continue the field
    ("05OTTAWA3726 cablemap", "E.O. 12958: N/A \nTAGS: ECON ETRD PGOV CA MX SIPDIS\nSUBJECT: TRILATERAL", ["ECON", "ETRD", "PGOV", "CA", "MX"]),
]


@pytest.mark.parametrize("cable,header,expected", TAGS_LINES, ids=[row[0] for row in TAGS_LINES])
def test_tags_lines(cable: str, header: str, expected: list[str]) -> None:
    assert list(read_tags(header)) == expected


def test_a_word_is_split_into_codes_only_when_it_is_made_of_them() -> None:
    assert split_tags("IRAN, PHUMBA") == ("IRAN", "PHUM", "BA")  # 08ECTION01OF02MANAMA492 writes PHUMBA


def test_a_hostile_tags_line_costs_little() -> None:
    import time

    start = time.perf_counter()  # one word of 100,000 letters made of codes (AA), then 20,000 words of a keyword tag
    assert split_tags("A" * 100_000 + ", " + "HUMAN " * 20_000)[-1].startswith("HUMAN HUMAN")
    assert time.perf_counter() - start < 10  # about 1 s; each split keeps back-pointers, never copies of its path


def test_tags_have_names_from_the_vocabulary() -> None:
    assert tag_name("PREL") and tag_name("SP") == "Spain" and tag_name("NATO")
    assert tag_name("UNDESCO") == "UNESCO" and tag_name("COUNTER TERRORISM") == "Counterterrorism"  # 05SANJOSE2199, 04SANAA2346
    assert tag_name("USEU BRUSSELS") == "USEU Brussels"  # a post as a tag, 04BRUSSELS1868


def test_a_run_with_a_word_no_table_knows_is_kept_as_written() -> None:
    # 05BUENOSAIRES496 writes "MEETINGS WITH AMBASSADOR"; with a word of no table after it, the run is not split
    assert split_tags("PREL AR MEETINGS WITH AMBASSADOR WAYNE") == ("PREL", "AR", "MEETINGS WITH AMBASSADOR WAYNE")
    # a word made of country codes alone is no run of tags: MALAWI is not MA + LA + WI
    assert split_tags("PREL MALAWI HUMAN RIGHTS") == ("PREL", "MALAWI HUMAN RIGHTS")


SUBJECT_LINES = [
    # a copy cut at a line end, then the cable header's whole subject (in lower case)
    ("09ULAANBAATAR234", "TAGS: PREL PGOV MOPS KNNP MG\nSUBJECT: MONGOLIA'S CONSULTATIONS WITH DPRK VICE FOREIGN \n\n\nS e c r e t ulaanbaatar 000234\n\n"
     "Tags: prel, pgov, mops, knnp, mg\nSubject: mongolia's consultations with dprk vice foreign\nminister kim\n\nClassified By: Political Counselor",
     "mongolia's consultations with dprk vice foreign minister kim"),
    # a handling notice run on after the subject (09EFTOTRIPOLI704)
    ("09TRIPOLI704", "TAGS: PREL PGOV EAIR OVIP UNGA LY\n\nSUBJECT: LIBYAN PROTOCOL CHIEF CONFIRMS QADHAFI WILL NOT STAY IN ENGLEWOOD RESIDENCE ENTIRE TEXT SENSITIVE BUT UNCLASSIFIED/NOFORN; PLEASE PROTECT ACCORDINGLY.\n\n¶1. (SBU/NF) In",
     "LIBYAN PROTOCOL CHIEF CONFIRMS QADHAFI WILL NOT STAY IN ENGLEWOOD RESIDENCE"),
    # "Classified By" typed "Classfied By" still ends the subject
    ("09ASHGABAT757", "SUBJECT: IRAN POST-ELECTION: [Source removed] CALLS RESULTS A “COUP D’ETAT;” SAYS INTERNATIONAL COMMUNITY SHOULD DEMAND A RECOUNT Classfied By: Charge Richard Miles, reasons 1.4 (b) and (d).",
     "IRAN POST-ELECTION: [Source removed] CALLS RESULTS A “COUP D’ETAT;” SAYS INTERNATIONAL COMMUNITY SHOULD DEMAND A RECOUNT"),
    # ... but not a later copy that a glued record ran into the body's first sentence
    ("04THEHAGUE2735", "SUBJECT: CAUTIOUS DUTCH REACTION TO EC REPORT ON TURKEY \n \nTHIS CABLE IS SENSITIVE BUT UNCLASSIFIED.  PLEASE HANDLE \n"
     "ACCORDINGLY. \n \n1...\n\nSUBJECT: CAUTIOUS DUTCH REACTION TO EC REPORT ON TURKEY\nTHIS CABLE IS SENSITIVE BUT UNCLASSIFIED. PLEASE HANDLE\nACCORDINGLY.",
     "CAUTIOUS DUTCH REACTION TO EC REPORT ON TURKEY"),
    # a flattened page ran the REF field into the subject
    ("08LONDON1991 cablemap", "SUBJECT: (C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIMEREF: A. LONDON 1939  B. LONDON 1704",
     "(C/NF) WHO WOULD REPLACE GORDON BROWN AS UK PRIME"),
    ("06CAIRO941 cablemap", "SUBJECT: FBI DIRECTOR MUELLER’S VISIT TO EGYPTREF: CAIRO 493\n\nClassified by DCM Stua", "FBI DIRECTOR MUELLER’S VISIT TO EGYPT"),
    ("05BRASILIA1839 cablemap", "SUBJECT: BRAZIL - NEXT STEPS FOR VARIG UNCLEAR REFS: (A) BRASILIA 1608, (B) BRASILIA 1631\n\n1. (SBU) Summary.",
     "BRAZIL - NEXT STEPS FOR VARIG UNCLEAR"),
    ("09BRASILIA cablemap", "SUBJECT: BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS Classified By: Charge d'Affaires Cherie Jackson, Reasons 1.4",
     "BRAZIL: BLACKOUT -CAUSES AND IMPLICATIONS"),
    # wrapped over lines, up to Classified By
    ("09ABUDHABI cablemap", "SUBJECT: UAE FM DISCUSSES TALIBAN FINANCIAL FLOWS AND REINTEGRATION \nWITH AMB. HOLBROOKE AND TREASURY A/S COHEN\nCLASSIFIED BY: Richard",
     "UAE FM DISCUSSES TALIBAN FINANCIAL FLOWS AND REINTEGRATION WITH AMB. HOLBROOKE AND TREASURY A/S COHEN"),
    # a subject in capitals ends where ordinary text starts
    ("09STOCKHOLM cablemap", "SUBJECT: SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING\nEU PRESIDENCY\nThis is an Action request. Please see para 2.\n",
     "SWEDISH DEPUTY PM URGES SENIOR USG VISITS TO SWEDEN DURING EU PRESIDENCY"),
    # up to the first paragraph
    ("09LONDON cablemap", "SUBJECT: AARGH! SWEDISH PIRATES SET SAIL FOR BRUSSELS\n1. Summary and Comment: Sweden", "AARGH! SWEDISH PIRATES SET SAIL FOR BRUSSELS"),
    # line-continuation backslashes of a database dump
    ("06TASHKENT902", "TAGS: KCRM PGOV ECON PREL PINR UZ\nSUBJECT: (S) MAFIA BOSS FIXES GOU TENDERS AND JOBS \\\n \\\nREF: TASHKENT 465 \\",
     "(S) MAFIA BOSS FIXES GOU TENDERS AND JOBS"),
    # the subject on the line after a blank one
    ("09CAIRO1993", "TAGS: PREL PREF SU IZ SO ER IS EG\nSUBJECT:\n\nUNHCR CAIRO DISCUSSES REFUGEE CHALLENGES REF: CAIRO 1852 Classified By", "UNHCR CAIRO DISCUSSES REFUGEE CHALLENGES"),
    ("09RIODEJANEIRO365", "SUBJECT: RIO WEIGHS OPTIONS FOR NEXT FAVELA PACIFICATION \n\nREF: RIO DE JANEIRO 329;", "RIO WEIGHS OPTIONS FOR NEXT FAVELA PACIFICATION"),
    # the handling caveat on the subject's line (06SAOPAULO935)
    ("06SAOPAULO935", "TAGS: PGOV PINR ECON BR\nSUBJECT: Despite Sagging Poll Numbers, Alckmin Adviser Thinks Ex-Governor Can Still Beat Lula "
     "SENSITIVE BUT UNCLASSIFIED - PLEASE PROTECT ACCORDINGLY \n\n------- SUMMARY -------",
     "Despite Sagging Poll Numbers, Alckmin Adviser Thinks Ex-Governor Can Still Beat Lula"),
    # a line of a stray symbol ends the subject like a blank line (10MADRID87) ...
    ("10MADRID87", "TAGS: PREL PGOV SP\nSUBJECT: SCENESETTER FOR WHA A/S VALENZUELA'S JANUARY 31 \nFEBRUARY 3 VISIT TO SPAIN \n <\nREF: A. 2009 MADRID 59 ",
     "SCENESETTER FOR WHA A/S VALENZUELA'S JANUARY 31 FEBRUARY 3 VISIT TO SPAIN"),
    # a subject line ending in a comma goes on past a blank line (a page with a blank line after every line)
    ("05BUENOSAIRES496", "SUBJECT: AMBASSADOR TRAVELS TO SALTA TO MEET WITH GOVERNOR, \n\nCOUNTERNARCOTICS OFFICIALS AND BUSINESS LEADERS \n\n \n\nREF: BUENOS AIRES 00397 ",
     "AMBASSADOR TRAVELS TO SALTA TO MEET WITH GOVERNOR, COUNTERNARCOTICS OFFICIALS AND BUSINESS LEADERS"),
    # a date wrapped to the next line is not a paragraph typed with a comma
    ("06SANJOSE980", "SUBJECT: PRESIDENT OSCAR ARIAS'S INAUGURAL ADDRESS OF MAY \n8, 2006 \n \nREF: SAN JOSE 979 ", "PRESIDENT OSCAR ARIAS'S INAUGURAL ADDRESS OF MAY 8, 2006"),
    # "Classified By" glued to the subject's last word; the handling caveat in mixed case on a flattened line
    ("08MANAMA496", "SUBJECT: SCENESETTER FOR GENERAL PETRAEUS’ VISIT TO BAHRAINClassified By: Charge d’Affaires a.i. Christopher Henzel",
     "SCENESETTER FOR GENERAL PETRAEUS’ VISIT TO BAHRAIN"),
    ("09CAIRO226", "SUBJECT:EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD Sensitive but Unclassified. Please handle accordingly. (SBU) On February 8, 2009,",
     "EGYPT'S 55th BIRD FLU VICTIM, ANOTHER CHILD"),
    # the classification's source instead of "Classified By" (10TRIPOLI62); "Classified By" inside the subject's wrapped line (07MANAMA1103)
    ("10TRIPOLI62", "SUBJECT: DARFUR REBEL GROUP MERGER IN KUFRA: MORE FANFARE THAN Derived from: DSCG 05-1, B,D",
     "DARFUR REBEL GROUP MERGER IN KUFRA: MORE FANFARE THAN"),
    ("07MANAMA1103", "SUBJECT: DEPUTY SECRETARY KIMMITT, COMMERCE MINISTER \nDISCUSS U.S.-GCC INVESTMENT FORUM Classified By: Ambassador Adam Ereli, reasons 1.4(b) and (d).",
     "DEPUTY SECRETARY KIMMITT, COMMERCE MINISTER DISCUSS U.S.-GCC INVESTMENT FORUM"),
    # ... but the "..." of a subject a partial extract cut stays, to say so (09THEHAGUE404)
    ("09THEHAGUE404", "SUBJECT: NETHERLANDS: WHA PDAS KELLY'S JUNE 25, 2009 MEETING AT\nTHE DUTCH MFA\n...",
     "NETHERLANDS: WHA PDAS KELLY'S JUNE 25, 2009 MEETING AT THE DUTCH MFA ..."),
]


@pytest.mark.parametrize("cable,header,expected", SUBJECT_LINES, ids=[row[0] for row in SUBJECT_LINES])
def test_subject_lines(cable: str, header: str, expected: str) -> None:
    assert read_subject(header) == expected


REF_LINES = [
    # a REF field written twice: its first line, then the whole list
    ("05NEWDELHI1075", "SUBJECT: INDIA: SAARC DECISION SENT A MESSAGE TO DHAKA \n \nREF: A. NEW DELHI 878 \n \nREF: A. NEW DELHI 878 \n¶B. NEW DELHI 877 \n"
     "¶C. NEW DELHI 876 \n¶D. NEW DELHI 874 \nClassified By: DCM Robert O. Blake, Jr.", "05", ["05NEWDELHI878", "05NEWDELHI877", "05NEWDELHI876", "05NEWDELHI874"]),
    # a serial the partial extract cut ("240...") names no cable
    ("08MOSCOW2428", "REF: A. MOSCOW 2343 B. MOSCOW 2366 C. MOSCOW 2383 D. MOSCOW 240...", "08", ["08MOSCOW2343", "08MOSCOW2366", "08MOSCOW2383"]),
    # the REF field inside a flattened line that repeats the subject
    ("09CAIRO2381", "AUSTR STRICKLER REASSURES GOE, BUSINESS ON QIZ REF: 09 CAIRO 02239 Classified By: Econ-Political Minister-Counselor", "09", ["09CAIRO2239"]),
    # forms from the earlier parser's tests: a serial after "#", a year in parentheses before it or
    # after a dash or slash, serials separated by slashes, a comma after the post, a serial before
    # the post, serials alone (the entry before's post, or the citing post's), O and 0 mistyped,
    # a post name misspelled by one letter, an entry run on past a blank line
    ("07BAGHDAD3708 cablemap", "REF: BAGHDAD #3565", "07", ["07BAGHDAD3565"]),
    ("02HARARE81 cablemap", "REFS: A) STATE (01) 201265, B) STATE (01) 213042,C) \n \nSTATE 02034 \n", "02", ["01STATE201265", "01STATE213042", "02STATE2034"]),
    ("06QUITO1920 cablemap", "REF: QUITO 4525-91", "06", ["91QUITO4525"]),
    ("09PANAMA176 cablemap", "REF: PANAMA 00789/08, 00930/08", "09", ["08PANAMA789", "08PANAMA930"]),
    ("07KABUL1033 cablemap", "Refs:  A) Kabul 936/935; B) Kabul 692/317/274/162; C) 06 Kabul \n5353/5194/4319 and previous \n ", "07",
     ["07KABUL936", "07KABUL935", "07KABUL692", "07KABUL317", "07KABUL274", "07KABUL162", "06KABUL5353", "06KABUL5194", "06KABUL4319"]),
    ("08STATE1988 cablemap", "REF: PRAGUE, 1228", "08", ["08PRAGUE1228"]),
    ("06ULAANBAATAR881 cablemap", "Ref: 870 Ulaanbaatar ", "06", ["06ULAANBAATAR870"]),
    ("06MANILA3065 cablemap", "REF: A. MANILA 2969 \n     ¶B. 2962 AND PREVIOUS \n ", "06", ["06MANILA2969", "06MANILA2962"]),
    ("08COTONOU369 cablemap", "REF: COTON0U 348 ", "08", ["08COTONOU348"]),
    ("02ABUJA2651 cablemap", "REF: (A) LAGOS O1512, (B) LAGOS 01545, (C) LAGOS \n01583, (D) Lagos 1678 ", "02", ["02LAGOS1512", "02LAGOS1545", "02LAGOS1583", "02LAGOS1678"]),
    ("02COLOMBO2314 cablemap", "Refs:  (A) Colomobo 2304 \n \n-      (B) State 240035 \n-      (C) State 240015 ", "02", ["02COLOMBO2304", "02STATE240035", "02STATE240015"]),
    # ... but a partial extract's cut ends the field, and a glued record after it is no entry
    ("05THEHAGUE2651", "REF: A. STATE ...\n\n\n\n\n¶B. THE HAGUE 2599 \n\nClassified By: CHARGE", "05", ["05THEHAGUE2599"]),
    ("04THEHAGUE1717", "REF: A. THE HAGUE 1701 B. SECSTATE 1...\n\n\n\n\n18563\n2004-07-09 16:37:00\n04THEHAGUE1717", "04", ["04THEHAGUE1701"]),
    # the White House sends no cable of the release, but its telegrams are cited
    ("09BAGHDAD1104", "REF: A. WHITE HOUSE 853 B. BAGHDAD 342", "09", ["09WHITEHOUSE853", "09BAGHDAD342"]),
    # "REF A)" without a colon
    ("10STATE16220 cablemap", "REF A) LONDON 002351 B) STATE 069339 C) STATE 094723", "10", ["10LONDON2351", "10STATE69339", "10STATE94723"]),
    # post names of several words, short forms and misspellings from the post table
    ("07STATE156011 cablemap", "  REF: LA PAZ 2974", "07", ["07LAPAZ2974"]),
    ("09RIODEJANEIRO353", "REF: a) RIO 346, b) RIO 329", "09", ["09RIODEJANEIRO346", "09RIODEJANEIRO329"]),
    ("09TRIPOLI661", "REF: A) 07 TRIPOLI 656; B) 07 TRIPOLII 695", "09", ["07TRIPOLI656", "07TRIPOLI695"]),
    ("08CASABLANCA81", "REF: A) 05 CASA 1220", "08", ["05CASABLANCA1220"]),
    # the year after the serial, in parentheses
    ("09DOHA214", "REF: A. SECSTATE 15113       B. DOHA 152 (08)      C. DOHA 75 (08)      D. DOHA 311 (07)", "09",
     ["09STATE15113", "08DOHA152", "08DOHA75", "07DOHA311"]),
    # a REF list that goes on after a blank line, behind a separator
    ("09RIODEJANEIRO365", "REF: RIO DE JANEIRO 329; RIO DE JANEIRO 346; \n\nRIO DE JANEIRO 353 CLASSIFIED BY: Dennis", "09",
     ["09RIODEJANEIRO329", "09RIODEJANEIRO346", "09RIODEJANEIRO353"]),
    # ... or after an entry a blank line cut before its post's name ended or its serial came
    ("04BRASILIA2680 cablemap", "REF:   A) BRASILIA 2605, B) BRASILIA 2447, C) RIO \n \nDE JANEIRO 1291 ", "04",
     ["04BRASILIA2605", "04BRASILIA2447", "04RIODEJANEIRO1291"]),
    ("04MADRID3914", "REF: A) MADRID 3552 B) BRUSSELS 4080 C) SAINZ E-MAIL\n\nOF 10/6 D) STATE 215870\n\nClassified By: Political", "04",
     ["04MADRID3552", "04BRUSSELS4080", "04STATE215870"]),
    # a year after a five-digit serial, behind a space; a classification marking before the serial
    ("02AMMAN5966 cablemap", "REF: AMMAN 07718 99, AMMAN 05986 00, AMMAN 07718 01 ", "02", ["99AMMAN7718", "00AMMAN5986", "01AMMAN7718"]),
    ("03KUWAIT2545 cablemap", "REF: KUWAIT (C)02293 ", "03", ["03KUWAIT2293"]),
    # an older telegram's page head, run on into the next entry, with the classification line before it
    ("02ROME1196 cablemap", "\nREF: A. STATE 40721\n CONFIDENTIAL\nPAGE 02 ROME 01196 01 OF 02 082030Z  B. ROME 1098  C. ROME 894  D. MYRIAD POST-DEPARTMENT E-MAILS FROM 10/01-02/02  E. ROME 348\nCLASSIFIED BY: POL",
     "02", ["02STATE40721", "02ROME1098", "02ROME894", "02ROME348"]),
    # a month or season is a date, never a post; intelligence reports by their senders' routing names name no cable
    ("09MANAMA543", "REF: A. BRYAN-HENZEL E-MAIL\n     B. AUGUST 25", "09", []),
    ("09TRIPOLI190", "REF: A. A. 09 CIAWASH 542085 - ALLEGED THREAT BY AL-QA'IDA D. D. 09 STATE 13023 - SECURITY ENVIRONMENT PROFILE QUESTIONNAIRE (SEPQ) SPRING 2009 "
     "E. E. 08 TRIPOLI 660 - SECURITY ENVIRONMENT PROFILE QUESTIONNAIRE (SEPQ) FALL 2008", "09", ["09STATE13023", "08TRIPOLI660"]),
    ("08TRIPOLI642", "REF: C) BERN 368, D) HOTRWASHIN 06243883, E) 2006 TRIPOLI 198", "08", ["08BERN368", "06TRIPOLI198"]),
    # the word REF: after a letter is not an entry
    ("09THEHAGUE247", "REF: A. REF: A) 2008 THE HAGUE 00021  B. B) 2008 THE HAGUE 00226", "09", ["08THEHAGUE21", "08THEHAGUE226"]),
    # an entry naming something else between cables
    ("07TRIPOLI943 cablemap", "REF: A) STATE 135205; B) STATE 127608; C) JOHNSON-STEVENS/GODFREY E-MAIL 10/15/07; D) TRIPOLI 797", "07",
     ["07STATE135205", "07STATE127608", "07TRIPOLI797"]),
    ("02ROME1196 cablemap", "REF: A. STATE 40721 B. ROME 1098  C. ROME 894  D. MYRIAD POST-DEPARTMENT E-MAILS FROM 10/01-02/02  E. ROME 348", "02",
     ["02STATE40721", "02ROME1098", "02ROME894", "02ROME348"]),
    ("08STATE15220 cablemap", "Ref: a. 05 state 201650\n\nB. 05 berlin 3726\nc. 05 state 211408", "08", ["05STATE201650", "05BERLIN3726", "05STATE211408"]),
    # the word REF written twice, lettered entries in parentheses on one line, the last serial parted from its post by a blank line
    ("05MADRID4026", "SUBJECT: AMBASSADOR'S NOVEMBER 10 MEETING WITH CULTURE\nMINISTER CARMEN CALVO\n\nREF: REF (A) MADRID 3785 (B) MADRID 3566 (C) SECSTATE\n\n36633\n\n"
     "¶1. Summary: Ambassador's courtesy call", "05", ["05MADRID3785", "05MADRID3566", "05STATE36633"]),
    # the REF field glued to the subject's last digits by a flattened page
    ("09MANAMA680", "SUBJECT: SCENESETTER FOR MANAMA DIALOGUE, DECEMBER 11-13REF: A. MANAMA 660 B. MANAMA 628 C. MANAMA 651\n\nClassified By: CDA", "09",
     ["09MANAMA660", "09MANAMA628", "09MANAMA651"]),
    # a four-digit year in parentheses after the serial (05THEHAGUE406, 06THEHAGUE374)
    ("06THEHAGUE374", "REF: A. A. THE HAGUE 3128 (2005)\n¶B. B. THE HAGUE 2870 (2005)\n¶C. C. THE HAGUE 3331 (2005)\n\n¶1. (SBU) SUMMARY:", "06",
     ["05THEHAGUE3128", "05THEHAGUE2870", "05THEHAGUE3331"]),
    ("10CAIRO177 cablemap", "REF: SECDEF 122723; CAIRO IIR 6 899 0149 10; 2009 CAIRO 2394 \n2009 CAIRO 491 \n\nCLASSIFIED BY:", "10",
     ["09CAIRO2394", "09CAIRO491"]),
]


@pytest.mark.parametrize("cable,header,year,expected", REF_LINES, ids=[row[0] for row in REF_LINES])
def test_ref_lines(cable: str, header: str, year: str, expected: list[str]) -> None:
    header = "\n".join(remove_page_breaks(header.split("\n"), None)[0])  # as parse_page reads the header
    references = parse_references(read_ref_text(header), year, cable.split()[0])
    assert [r.id for r in references if r.id] == expected


def test_a_year_after_a_space_is_not_taken_when_later_than_the_citing_cable() -> None:
    # the form of 02AMMAN5966 ("AMMAN 07718 99"); a number after the serial later than the cable is no year
    assert [r.id for r in parse_references("AMMAN 07718 05", "02")] == ["02AMMAN7718"]


def test_two_serials_in_one_entry_are_two_references() -> None:
    # 06TRIPOLI198: "REF: TRIPOLI 33, 53"; the same form with AND
    assert [r.id for r in parse_references("STATE 41252 AND 44603", "09")] == ["09STATE41252", "09STATE44603"]


def test_a_repeated_ref_letter_gets_its_own_anchor() -> None:
    # 08MANAMA306 lists C twice: "C. MANAMA 156 C. MANAMA 1070"
    references = parse_references("A. MANAMA 298 B. MANAMA 237 C. MANAMA 156 C. MANAMA 1070 E. 07 MANAMA 1045", "08")
    anchors = [r.anchor for r in references]
    assert anchors == ["ref-a", "ref-b", "ref-c", "ref-c-2", "ref-e"]


PARAGRAPH_LINES = [
    ("10STATE284", "5.(C/REL LIBYA) Action Request: Post is requested", "5", "C/REL LIBYA"),
    ("10DOHA71", "8, (C) Senator Kerry, noting that he", "8", "C"),
    ("09RPODUBAI389", "2 (C) The Majles-e Khobregan, or Assembly of Experts", "2", "C"),
    ("08LONDON2627 cablemap", "1.Embassy London is pleased to grant country clearance", "1", None),
]

# Real body lines (from ../shared/corpus) with the paragraph numbers a reader sees in them.
PARAGRAPH_RUNS = [
    # a number in parentheses before a marking, where no sub-list can be meant
    ("09PESHAWAR41", ["¶J. Ineffective, the borders are porous.", "", "(6) (S) Indigenous Terrorism", "", "¶I. (S) Anti-American Terrorist Groups",
                      "", "¶D. Yes, see-(B and C)", "", "(7). (S) Transnational Terrorism", "", "¶8. (U) Point of contact"], ["6", "7", "8"]),
    # an opening parenthesis typed before the number
    ("06CARACAS2367", ["10. (C) The troopship regularly plies between Venezuela and Cuba.", "", "(11. (C) Comment: As noted in previous email traffic,"], ["10", "11"]),
    # a sub-list in parentheses stays a list: (1) opens it, (2) follows (1)
    ("sub-list", ["4. (C) The points were:", "", "(1) (C) first point;", "", "(2) (C) second point."], ["4"]),
    # the next number glued to a redaction that swallowed the line break, after a skipped number 9
    ("05SOFIA1207", ["8. (C) ... heavily financed and otherwise supported the XXXXXXXXXXXX campaign.",
                     "XXXXXXXXXXXX10. (C) Below the level of the national government"], ["8", "10"]),
    # the next paragraph run in after a heading that a flattened page ran into the text
    ("08TRIPOLI467", ["1. (C) Summary: ... End summary.  JUMA'A BOUFAYED RELEASED  2. (C) Human Rights Watch (HRW) and London-based"
                      " Libyan opposition ... returned to his family home in Ghariyan.  3. (C) Libyan security officials arrested"], ["1", "2", "3"]),
    # ... but a number inside a sentence is not a paragraph, marked or not
    ("inline", ["3. (C) The minister cited para 4. (C) text and the 5. The end."], ["3"]),
    # the opening parenthesis of the marking left out
    ("10ROME1", ["Classified By: Ambassador David H. Thorne. Reasons 1.4 (b) and (d).", " ¶1. C) Summary: The Ambassador visited recuperating"], ["1"]),
    # the first number and marking at the end of the Classified By line, the text after a blank line
    ("08OSLO522", ["Classified By: Deputy Chief of Mission Kevin M. Johnson for reasons 1.4 b and d 1.(C) ", "",
                   "Summary: The GON decision making process on the purchase", "", "2. (C) Norwegian"], ["1", "2"]),
    # a comma typo after a run-in heading's dashes (flattened page)
    ("09CAIRO2381", ["1.(C) Key Points - Assistant United States Trade Representative ... needed. --------------------------------------------- ------ "
                     "Strickler Assures GOE that U.S. Wants QIZ to Thrive --------------------------------------------- ------ 2, (C) On December 9,"], ["1", "2"]),
    # a line of a single dash between paragraphs (older telegrams) ends the list item before it
    ("90CAPETOWN97", ["-- THE RELEASE OF A NUMBER OF POLITICAL PRISONERS,", "-  INCLUDING NELSON MANDELA.", "-",
                      "¶8.  THESE ANNOUNCEMENTS WILL NOT NECESSARILY MEAN THAT ALL"], ["8"]),
    # a number alone on its line, the next one: an empty paragraph before a heading, one whose text is the next line
    ("09LAPAZ1784", ["5. FELCN destroyed two large-scale cocaine factories on November 25 in", "", "6.", "",
                     "Growing Community Involvement in Production and Trafficking", "", "7. 6. The current rise in the net amount of coca"], ["5", "6", "7"]),
    ("09LAPAZ1784", ["17. 15. Comment: It may not be surprising", "", "18.", "Creamer"], ["17", "18"]),
    # the marking written before the number, with or without a space (07BAGHDAD3504, 03THEHAGUE1865) ...
    ("07BAGHDAD3504", ["(C) 1. The Embassy obtained a copy of with the results of the", "", "-----------------", "GOI Investigation",
                       "-----------------", "", "(C) 2. On October 11 the Ministry of Defense (MOD) gave the"], ["1", "2"]),
    ("03THEHAGUE1865", ["(C) 1. In a visit to The Hague, July 15-16, A/S Jones met", "", "(C) 2. MFA Deputy Political Director Schaper raised Iraq,",
                        "", "(C)4. In separate meetings with parliamentarians from"], ["1", "2"]),
    # ... taken only for the next number: "(C) 10." after 4 is a marked paragraph whose text starts with a number
    ("marking first", ["4. (C) The points were:", "", "(C) 10. Not the tenth paragraph."], ["4"]),
    # two numbers skipped after a sentence's end, marked: the cable has no 6 and 7 (09CARACAS1333)
    ("09CARACAS1333", ["5.(C) The Ambassador also attended a dinner ... XXXXXXXXXXXX claimed to know people who had been victims of extortion"
                       " or kidnapping plots by Colombian guerrillas. 8. (C) COMMENT: This was the Ambassador's first trip"], ["5", "8"]),
    # a reformatted page left paragraph 1's number at the end of the REF line (and its run-in heading): the body starts with its dot and marking
    ("10BRASILIA44", ["REF: 09 BRASILIA 1428 Brazil Launches High-Energy Effort on Haiti 1", "",
                      ". (U) In the wake of the January 12 earthquake in Haiti, the GOB has taken", "", "¶2. (SBU) The disaster"], ["1", "2"]),
    # a numbered list quoted inside a paragraph of a cable whose paragraphs are marked: unmarked, restarting at 1 (07MADRID1952)
    ("07MADRID1952", ["¶2. (SBU) The text of the message, which was presented in", "English, is as follows:", "",
                      "Request A: That the documents presented by Odyssey Marine", "", "¶1. Release of the documents is requested for", "",
                      "¶2. Additionally, there is reason to believe that the", "", "¶3. The agencies of the Government of Spain that have", "",
                      "Request B: That the possible violation by OME of U.S.", "", "¶1. U.S. Customs laws OME might have violated: 18 U.S.C.", "",
                      "¶2. The available information indicates that the", "", "¶3. Should additional information concerning this matter"], ["2"]),
    # the next number run in after a sentence's end, unmarked, before a run-in heading with its colon (09BRASILIA1428, after a page break)
    ("09BRASILIA1428", ["¶5. United Nations Stabilization Mission in Haiti (MINUSTAH): Luiz Carlos da Costa, Principal Deputy", "",
                        "included Brazil's Ambassador to Haiti, and Rafael Beleboni, MRE. 6. USAID/Haiti: USAID/Haiti Acting Mission Director Anthony Chan,"],
     ["5", "6"]),
    # the first paragraph on the line right after "Classified By", no blank line between (09CAIRO2066)
    ("09CAIRO2066", ["REF: A. CAIRO 2031 B. CAIRO 1975 C. CAIRO 1857 Classified By: Minister-Counselor Donald A. Blome for reasons 1.4 (b) and (d)",
                     "1.KEY POINTS -- (C) On October 25, El-Ghad Party Leader Ayman Nour told us", "", "2.(C) Comment: This appears to be"], ["1", "2"]),
    # a number after text that stops mid-sentence on a word in lower case goes on with the sentence (07MANAMA1051)
    ("07MANAMA1051", ["3.(U) The government plans to expand the program to grades 1-3 and", "",
                      "6. --Increase university enrollment in scientific fields"], ["3"]),
    # ... where the cable's own paragraphs are unmarked, a restart is the cable's (a page repeating its text) and is kept
    ("unmarked restart", ["1. First.", "", "2. Second.", "", "1. First again."], ["1", "2", "1"]),
]


@pytest.mark.parametrize("cable,lines,numbers", PARAGRAPH_RUNS, ids=[row[0] for row in PARAGRAPH_RUNS])
def test_paragraph_numbers_in_real_runs(cable: str, lines: list[str], numbers: list[str]) -> None:
    pieces = classify_chunks(chunk_lines(lines))
    assert [p.number for p in pieces if p.kind == "paragraph" and p.number] == numbers


@pytest.mark.parametrize(
    "cable,line,heading",
    [
        ("08MANAMA536", "17. (C) When he leads prayer, it is in Manama. --------- Also-Rans --------- 18. (C) Mohammed Ali Al Mahfouth is identified", "Also-Rans"),
        ("08TRIPOLI467", "1. (C) Summary: ... making a formal intervention in this case.  End summary.  JUMA'A BOUFAYED RELEASED  2. (C) Human Rights Watch",
         "JUMA'A BOUFAYED RELEASED"),
    ],
)
def test_a_heading_run_in_before_the_next_paragraph_is_a_heading(cable: str, line: str, heading: str) -> None:
    pieces = classify_chunks(chunk_lines([line]))
    assert [(p.kind, p.number) for p in pieces] == [("paragraph", pieces[0].number), ("heading", None), ("paragraph", str(int(pieces[0].number) + 1))]
    assert pieces[1].text == heading and not pieces[0].text.endswith(("-", heading))


@pytest.mark.parametrize("page,numbers", [("08OSLO522.html", ["1", "2", "3", "4", "5", "6"]), ("10BRASILIA51.html", ["1", "2", "3", "4"])])
def test_a_number_left_on_the_classified_by_line_is_the_first_paragraph_unless_it_follows(page: str, numbers: list[str]) -> None:
    """08OSLO522: "... reasons 1.4 b and d 1.(C)" / "" / "Summary: ..."; 10BRASILIA51: "... 1.4(D) 1. (C)" / "" / "¶1. (C) During"."""
    from cleansite.convert import convert_bytes

    path = PROJECT_DIR / "tests" / "fidelity" / page
    document = convert_bytes(path, path.read_bytes())
    assert [b.number for b in document.blocks if b.kind == "paragraph" and b.number] == numbers
    assert all(b.text for b in document.blocks)


def test_a_page_break_that_shortens_the_office_to_its_city_gives_way_to_the_de_line(tmp_path: Path) -> None:
    """The Iran RPO prints "DUBAI 00000015  002 OF 006" and sends under its own RUEHDIR: 10RPODUBAI15, not 10DUBAI15."""
    from cleansite.convert import convert_bytes

    page = tmp_path / "4c1d.txt"
    page.write_text("DE RUEHDIR #0015/01 0131312\nO 131312Z JAN 10\n\n1. (C) Summary: text.\n\nDUBAI 00000015  002 OF 006\n\n2. (C) More.\n", encoding="utf-8")
    document = convert_bytes(page, page.read_bytes())
    assert (document.id, document.origin) == ("10RPODUBAI15", "Iran RPO Dubai")


def test_a_date_time_group_with_the_month_in_lower_case() -> None:
    """A partial extract prints the date-time group as "121706Z Jan 06" (06MADRID76)."""
    from cleansite.header import find_date_time_line, read_date_time_group

    lines = ["This record is a partial extract of the original cable.", "", "121706Z Jan 06", "C O N F I D E N T I A L SECTION 01 OF 02 MADRID 000076"]
    assert read_date_time_group(find_date_time_line(lines)) == "2006-01-12 17:06"


def test_an_older_telegrams_page_heads_go_and_the_paragraphs_they_cut_are_rejoined() -> None:
    from cleansite.convert import convert_bytes

    page = PROJECT_DIR / "tests" / "fidelity" / "90CAPETOWN97.html"
    document = convert_bytes(page, page.read_bytes())
    assert [b.number for b in document.blocks if b.kind == "paragraph" and b.number] == [str(n) for n in range(1, 18)]
    assert "PAGE 02        CAPE T  00097  01 OF 03  182017Z" in document.removed
    (seven,) = [b for b in document.blocks if b.number == "7"]
    assert seven.text.endswith("FULLY EXPECTS PRESIDENT FW DE KLERK TO MAKE SEVERAL MAJOR ANNOUNCEMENTS IN HIS FEBRUARY 2 SPEECH AT THE OPENING OF PARLIAMENT. DE KLERK WILL ANNOUNCE:")


@pytest.mark.parametrize("cable,line,number,marking", PARAGRAPH_LINES, ids=[row[0] for row in PARAGRAPH_LINES])
def test_paragraph_lines(cable: str, line: str, number: str, marking: str | None) -> None:
    (piece,) = classify_chunks(chunk_lines([line]))
    assert (piece.kind, piece.number, piece.marking) == ("paragraph", number, marking)


def test_a_header_run_into_one_line_behind_other_text_is_the_header() -> None:
    from cleansite.header import split_header

    # 10KAMPALA73: the database row's start, the classification line, E.O. and TAGS, all on one line
    line = "ID:248885 Cable dated:2010-02-16T06:54:00C O N F I D E N T I A L SECTION 01 OF 04 KAMPALA 000073SIPDISE.O. 12958: DECL: 2020/02/16TAGS: PGOV PHUM PREL KDEM UG"
    assert split_header([[line], ["¶1. (C) Summary: Under Secretary"]], lambda chunk: chunk[0].startswith("¶1.")) == 1
    assert read_tags(line) == ("PGOV", "PHUM", "PREL", "KDEM", "UG")


def test_a_number_wrapped_to_a_line_start_is_not_a_paragraph() -> None:
    # 08BUENOSAIRES235-like wrap: "... on April" / "27. The ..." after paragraph 3
    pieces = classify_chunks(chunk_lines(["3. (C) The minister met the ambassador on April", "", "27. The meeting was short."]))
    assert [(p.kind, p.number) for p in pieces] == [("paragraph", "3")]


def _scoop_lines(drop_page_breaks: bool, drop_de_line: bool = False) -> str:
    text = (PAGES_DIR / "scoop-text" / "10CHENGDU28.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    if drop_page_breaks:
        lines = [line for line in lines if "CHENGDU 00000028" not in line]
    if drop_de_line:
        lines = [line for line in lines if not line.startswith("DE RUEHCN")]
    return "\n".join(lines)


def test_a_single_section_cable_gets_its_id_from_the_de_line(tmp_path: Path) -> None:
    """No classification line, no page-break line: DE RUEHCN #0028 + O 040254Z FEB 10 -> 10CHENGDU28."""
    from cleansite.convert import convert_bytes

    page = tmp_path / "3f1e2a.txt"  # a name that says nothing
    page.write_text(_scoop_lines(drop_page_breaks=True), encoding="utf-8")
    document = convert_bytes(page, page.read_bytes())
    assert (document.id, document.origin, document.created) == ("10CHENGDU28", "Consulate Chengdu", "2010-02-04 02:54")


@pytest.mark.parametrize("year,expected", [("06", None), ("08", "08BOGOTA826")])
def test_a_de_line_serial_of_a_post_past_9999_that_year_gives_no_id(tmp_path: Path, year: str, expected: str | None) -> None:
    """06BOGOTA10826's DE line: 'DE RUEHBO #0826/01 3332229', 'O 292229Z NOV 06'; Bogota's 2006 serials ran past
    9,999 (ids.toml), so the four digits could be another cable's (06BOGOTA826): no ID, published untitled."""
    from cleansite.convert import convert_bytes

    text = _scoop_lines(drop_page_breaks=True).replace("DE RUEHCN #0028/01 0350254", "DE RUEHBO #0826/01 3332229")
    page = tmp_path / "3f1e2a.txt"
    page.write_text(text.replace("O 040254Z FEB 10", f"O 292229Z NOV {year}"), encoding="utf-8")
    document = convert_bytes(page, page.read_bytes())
    assert document.id == expected and document.origin == "Embassy Bogota"


def test_a_page_without_an_id_is_published_not_lost(tmp_path: Path) -> None:
    from cleansite.config import Config
    from cleansite.pipeline import convert

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(_scoop_lines(drop_page_breaks=True, drop_de_line=True), encoding="utf-8")
    report = convert(Config(pages=(pages,), docs_dir=tmp_path / "docs", cache_dir=tmp_path / "cache"))
    (document,) = report.documents
    assert document.id.startswith("untitled-") and not report.errors
    from cleansite.ids import DOCUMENT_NAME

    assert DOCUMENT_NAME.match(document.id)  # what the site build and its shards take for a document's page
    assert any("no reference ID found in the page; published as untitled-" in w for w in report.warnings)
    assert (tmp_path / "docs" / "cables" / f"{document.id}.md").is_file()


def test_garbled_viewer_id_gives_way_to_the_cables_own() -> None:
    from cleansite.convert import convert_bytes

    page = PROJECT_DIR / "tests" / "fidelity" / "08ECTION01OF02MANAMA492.html"
    document = convert_bytes(page, page.read_bytes())
    assert document.id == "08MANAMA492"
    assert document.notes == ("the site's ID 08ECTION01OF02MANAMA492 is garbled; the cable states 08MANAMA492",)


def test_another_cables_glued_table_row_is_removed() -> None:
    from cleansite.convert import convert_bytes
    from cleansite.records import plain_text

    page = PROJECT_DIR / "tests" / "fidelity" / "04THEHAGUE1915.html"
    document = convert_bytes(page, page.read_bytes())
    assert plain_text(document).rstrip().endswith("SOBEL")
    assert any(line.startswith("19285,7/30/2004 12:31,04THEHAGUE1916,") for line in document.removed)


def test_a_subject_cut_off_by_a_partial_extract_is_made_whole_from_the_full_record() -> None:
    """07THEHAGUE655's page: 'SUBJECT: ... NEW DEFENSE MINISTER / SETTLES IN / Cl...' then the full record again."""
    from cleansite.convert import convert_bytes

    page = PROJECT_DIR / "tests" / "fidelity" / "07THEHAGUE655.html"
    document = convert_bytes(page, page.read_bytes())
    assert document.subject == document.title == "NETHERLANDS/AFGHANISTAN/JSF: NEW DEFENSE MINISTER SETTLES IN"


@pytest.mark.parametrize(
    "page,cable",
    [("scoop-text/10CHENGDU28.txt", "10CHENGDU28"), ("body-fragment/06THEHAGUE1510.txt", "06THEHAGUE1510"), ("pdf-text/07KINGSTON382.txt", "07KINGSTON382")],
)
def test_a_header_is_found_after_junk_lines(tmp_path: Path, page: str, cable: str) -> None:
    """Issue 14's case: a line a browser or a person added above the page ("Saved from …", "---")."""
    from cleansite.convert import convert_bytes

    saved = tmp_path / "saved.txt"  # a name that says nothing
    saved.write_bytes(b"Saved from https://example.org/cable\n---\n" + (PAGES_DIR / page).read_bytes())
    assert convert_bytes(saved, saved.read_bytes()).id == cable


def test_every_removed_line_has_its_reason_in_the_record() -> None:
    """Issue 15: each removed line with why (a rule, outside the document, repeated on N pages, a page break)."""
    import json
    import subprocess
    import sys

    pages = [PAGES_DIR / "scoop-text" / "10CHENGDU28.txt", *sorted((PAGES_DIR / "wikileaks-viewer-text").glob("*.txt"))]
    done = subprocess.run([sys.executable, "-m", "cleansite", "parse", *map(str, pages)], capture_output=True, text=True, cwd=PROJECT_DIR)
    for line in done.stdout.splitlines():
        record = json.loads(line)
        assert len(record["removed_reasons"]) == len(record["removed"]) > 0
        assert all(reason for reason in record["removed_reasons"])
    assert "rule: page-break line" in json.loads(done.stdout.splitlines()[0])["removed_reasons"]


@pytest.mark.parametrize(
    "cable,header,expected",
    [
        ("09TRIPOLI320", "REF: STATE 00028885 (SBU) This is a response to reftel request", ["09STATE28885"]),
        ("09TRIPOLI483", "REF: 08TRIPOLI993 P 171259Z JUN 09FM AMEMBASSY TRIPOLITO SECSTATE WASHDC PRIORITY 4928INFO AMEMBASSY CAIRO UNCLAS TRIPOLI 000483", ["08TRIPOLI993"]),
        ("09BUENOSAIRES641", "REF: (A) BUENOS AIRES 0498 (B) BUENOS AIRES 0632 (C)  STATE 48493\nClassified By: Ambassador", ["09BUENOSAIRES498", "09BUENOSAIRES632", "09STATE48493"]),
    ],
)
def test_a_ref_field_run_on_into_the_header_or_the_body_ends_there(cable: str, header: str, expected: list[str]) -> None:
    references = parse_references(read_ref_text(header), "09")
    assert [r.id for r in references] == expected


def test_a_ref_serial_parted_from_its_post_by_a_blank_line_stays_in_the_header() -> None:
    from cleansite.header import split_header

    # 05MADRID4026: "(C) SECSTATE" / blank / "36633" / blank / the first paragraph
    chunks = [["SUBJECT: AMBASSADOR'S NOVEMBER 10 MEETING WITH CULTURE", "MINISTER CARMEN CALVO"],
              ["REF: REF (A) MADRID 3785 (B) MADRID 3566 (C) SECSTATE"], ["36633"], ["¶1. Summary: Ambassador's courtesy call"]]
    assert split_header(chunks, lambda chunk: chunk[0].startswith("¶1.")) == 3


def test_a_ref_list_cut_by_a_partial_extract_is_made_whole_from_the_full_record() -> None:
    """10THEHAGUE114's page: 'REF: A. THE HAGUE 109' / '...', the database row, then the whole header again."""
    from cleansite.header import whole_ref_text

    text = ("REF: A. THE HAGUE 109 \n   ...\n\n\n250450,2/24/2010 13:30,10THEHAGUE114,\"Embassy The\nHague\",SECRET//NOFORN,09THEHAGUE759|10THEHAGUE108\n"
            "SUBJECT: NETHERLANDS/AFGHANISTAN: A REDUCED ROLE LIKELY BUT\nDETAILS WILL NOT COME QUICKLY\nREF: A. THE HAGUE 109\n¶B. THE HAGUE 108\n"
            "¶C. THE HAGUE 097\n¶D. 09 THE HAGUE 759\nClassified By: Deputy Chief of Mission Edwin R. Nolan for reasons 1.4 (\nb) and (d).")
    whole = whole_ref_text(read_ref_text(text), text)
    assert [r.id for r in parse_references(whole, "10", "10THEHAGUE114")] == ["10THEHAGUE109", "10THEHAGUE108", "10THEHAGUE97", "09THEHAGUE759"]


def test_a_ref_field_written_refref_is_in_the_header() -> None:
    """10MANAMA55: 'REFREF: A. STATE 19631 B. U.S. DEPARTMENT OF LABOR ... C. 09 MANAMA 596'."""
    from cleansite.header import split_header

    chunks = [["SUBJECT: FTA LABOR MONITORING - BAHRAIN "],
              ["REFREF: A. STATE 19631 B. U.S. DEPARTMENT OF LABOR BAHRAIN LABOR RIGHTS REPORT 2005 C. 09 MANAMA 596"],
              ["1.(U) This cable provides responses requested in Ref A"]]
    assert split_header(chunks, lambda chunk: chunk[0].startswith("1.")) == 2
    references = parse_references(read_ref_text("\n\n".join(line for chunk in chunks[:2] for line in chunk)), "10", "10MANAMA55")
    assert [r.id for r in references if r.id] == ["10STATE19631", "09MANAMA596"]


def test_another_cables_row_as_the_2011_viewer_prints_it_is_cut() -> None:
    """07MANAMA1067's page: after the signature, 07MANAMA1070's numeric id alone, then its fields and text run together."""
    from cleansite.artefacts import cut_glued_record

    lines = ["6.(C) Comment: Al-Minbar usually acts in support of the government. ERELI", "", "131913", "",
             "11/28/2007 14:38 07MANAMA1070 Embassy Manama CONFIDENTIAL 07MANAMA922 VZCZCXRO8045PP RUEHBC RUEHDE",
             "C O N F I D E N T I A L MANAMA 001070 SIPDIS", "1.(C) Summary: Bahrain's gas MOU"]
    kept, removed = cut_glued_record(lines, "07MANAMA1067")
    assert kept == lines[:1] and removed[0] == "131913" and removed[-1] == "1.(C) Summary: Bahrain's gas MOU"
    assert cut_glued_record(lines, "07MANAMA1070") == (lines, [])  # its own row is kept
