"""Who met, when, and what kind of paper this is.

Inferred from the file name, its folders and its first page, in that order of
trust; a sidecar `metadata.csv` in the corpus root (path, body, meeting_date,
doc_type, title) overrides any of it, and its source_url says where the paper was published.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..readers import SIDECAR
from .layout import Page

UNTYPED = "other"   # a paper of none of the types below
DOC_TYPES = (
    "agenda", "minutes", "report", "appendix", "strategy", "equality assessment",
    "presentation", "decision record", "reports pack", "action log", "board paper", "annual report",
    "budget", UNTYPED,
)

# First match wins: a "Public reports pack" holds minutes and reports but is a pack.
_TYPE_RULES = [
    ("reports pack", r"reports? pack|agenda pack|document pack|supplementary pack|public pack|agenda supplement"),
    ("equality assessment", r"\beq\s?ia\b|equalit(?:y|ies) (?:impact )?(?:analysis|assessment)"),
    ("decision record", r"\bpro?d\b|record of decision|decision (?:notice|record|sheet)"),
    ("action log", r"\baction (?:log|points|list|tracker|report)s?\b|\bactions? report\b|\bminute-actions\b"),
    ("minutes", r"\bminutes?\b"),
    ("agenda", r"\bagenda\b|front ?sheet|formal notice|notice of meeting|summons"),
    ("appendix", r"\bappendix\b|\bannex\b|\bschedules?\b"),
    ("presentation", r"\bpresentation\b|\bslides?\b"),
    ("annual report", r"\bannual (?:report|review|return)s?\b|\bstatement of accounts\b|\baccounts\b"),
    ("board paper", r"\b(?:board|panel|discussion|consultation) paper\b|\bTB\s?\(\d+\)|\bconsultation response\b"),
    ("strategy", r"\bstrategy\b|\bplan\b|\bpolicy\b"),
    ("report", r"\breport\b|\bpaper\b|\bupdate\b|\bbriefing\b|\breview\b"),
    ("budget", r"\bbudget\b|\bprecept\b|\bestimates\b"),   # a report on the budget is a report
]

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_DATE_PATTERNS = [
    (re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)"), ("y", "m", "d")),
    (re.compile(r"(?<!\d)(\d{1,2})[-_./](\d{1,2})[-_./](\d{4})(?!\d)"), ("d", "m", "y")),
    (re.compile(r"(?<![A-Za-z\d])(\d{1,2})(?:st|nd|rd|th)?[\s\-_]+(?:of\s+)?" + _MONTH + r"[a-z]*[\s\-_,]+(\d{4})", re.I), ("d", "M", "y")),
    (re.compile(_MONTH + r"[a-z]*\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", re.I), ("M", "d", "y")),
]

_DAY_FIRST = ("d", "m", "y")   # 03/10/2026: the one way of writing a date that reads two ways
_WORDED = [(pattern, order) for pattern, order in _DATE_PATTERNS if "M" in order]   # the month in words
_HEAD_LINES = 6   # the lines of a paper's head, where minutes name the meeting they record
_OPENING_LINES = 12   # its opening, where its kind and (below a stamp or a letterhead) its date are written out

_GENERIC_DIRS = re.compile(
    r"^(originals?|public_?packs?|documents?|files?|docs?|pdfs?|papers?|minutes|agendas?|"
    r"meetings?|archive|data|tests?|test|corpus|reports?|accounts|budgets?|downloads?|_?posts|\d[\d\-_]*)$",
    re.I,
)
# A folder named for one meeting ('26-Full Meeting of Limerick City and County Council', '04-Virtual Joint
# Policing Committee Meeting', a web post's 'minutes-of-stoke-ferry-parish-council-meeting-6') names the body
# that met: its day, the kind of meeting, the paper, its purpose and a post's counter go.
_MEETING_FOLDER = [
    re.compile(r"^\d{1,2}(?:st|nd|rd|th)?\s+(?=[A-Za-z])", re.I),
    re.compile(r"^(?:minutes|agenda|notes)\s+of\s+(?:the\s+)?", re.I),
    re.compile(r"^(?:(?:full|ordinary|special|annual|extraordinary|virtual|" + _MONTH + r")\s+)*meeting\s+of\s+"
               r"(?:the\s+)?", re.I),
    re.compile(r"^virtual\s+", re.I),
    re.compile(r"\s+(?:minutes|agenda|notes)\b.*$", re.I),
    re.compile(r"\s+to\s+(?:elect|discuss|consider|approve|adopt|agree)\b.*$", re.I),
    re.compile(r"(?:\s+(?:\d{1,4}(?:st|nd|rd|th)?|meeting|full|special|annual|ordinary|" + _MONTH + r"))+$", re.I),
]
_MEETING_NAME = re.compile(r"\b(?:minutes|meeting)\b", re.I)
# A heading's clause after the body's name: 'Local Public Data Panel – Terms of Reference'.
_AFTER_NAME = re.compile(r"\s+[–-]\s+.*$|:\s.*$|\s*\([^)]*\)\s*$")
_NAME_LINES = 3   # the lines at the head of minutes where the body that met is named
_GENERIC_BODY_WORDS = {"council", "committee", "board", "panel", "meeting", "of", "the", "and", "minutes"}
_PUNCT = " .,:;()\"'‘’“”*–-"
_DATE_TAIL = re.compile(r"[\s–-]*\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}\s*$")   # '... – 29 October 2024'
_SMALL_WORDS = {"of", "and", "the", "for", "in", "on", "to"}
_JOINING = _SMALL_WORDS | {"&"}   # words inside a body's name
_PLACE_KIND_WORDS = {"community", "parish", "town", "city", "county", "district", "borough", "village"}
_NAME_WORD = re.compile(r"^[(\"'‘“]?[A-Z]")   # a word of a name starts with a capital
_WHEN = re.compile(_MONTH + r"\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.I)
_PERSON_TITLES = {"minister", "mr", "mrs", "ms", "miss", "dr", "cllr", "councillor", "sir", "dame", "lord", "lady"}
_BODY_WORDS = re.compile(
    r"\b(council|board|committee|cabinet|panel|partnership|trust|authority|group|forum|"
    r"commission|assembly|together)\b", re.I,
)
# A body is named, not described: "Cabinet is asked to:" is a sentence about one.
_VERB = re.compile(r"\b(?:is|are|was|were|be|been|will|shall|has|have|had|asked|agreed|resolved)\b", re.I)
_MEETING_OF = re.compile(r"meeting of (?!(?:the )?above\b)(?:the )?(.{3,80}?)(?: held| on |,|\(| at | to order|$)", re.I)
_JUNK_TITLE = re.compile(
    r"^(microsoft (word|powerpoint)|untitled|document\d*$|slide \d+$)|\.(docx?|pdf|pptx?|indd)\b|\bA4\b|\bv\d+\b", re.I)


@dataclass
class DocumentMeta:
    body: str | None
    meeting_date: str | None  # ISO date
    doc_type: str
    title: str
    source_url: str | None = None   # where it was published, from a metadata.csv (fetch writes one)
    item: str | None = None         # the agenda item the whole paper belongs to, from a metadata.csv


def infer_metadata(rel_path: str, pages: list[Page], declared_title: str | None = None,
                   declared_date: str | None = None, title_chosen: bool = False) -> DocumentMeta:
    """declared_title, declared_date: what the file says of itself (PDF title, <title>, front matter);
    title_chosen: that title was written by a person (a web page's), not by the program that made a PDF."""
    path = Path(rel_path)
    first_text = "\n".join(p.text for p in pages[:2] if p.text)
    first_lines = [line for line in first_text.splitlines() if line.strip()][:40]
    title = _title(path, declared_title, first_lines, trust_declared=title_chosen)
    doc_type = _doc_type(f"{path.stem} {title}", path.parent.parts, "\n".join(first_lines[:_OPENING_LINES]))
    body = _body_from_dirs(path) or _body_from_text(first_lines) or _title_body(title)
    meeting_date = _meeting_date(path, title, first_lines, declared_date, doc_type == "minutes")
    if meeting_date and not re.search(r"[A-Za-z]{3,}", title):
        kind = doc_type.capitalize() if doc_type != UNTYPED else "Paper"
        title = f"{kind}, {long_date(meeting_date)}"   # '20230731' -> 'Minutes, 31 July 2023'
    return DocumentMeta(
        body=_minutes_body(body, first_lines) if doc_type == "minutes" else body,
        meeting_date=meeting_date,
        doc_type=doc_type,
        title=title,
    )


# A web post's file name starts with the day it was posted ('2017-01-01-minutes-8th-june-2011.md').
_POSTED = re.compile(r"^\d{4}-\d{2}-\d{2}-(?=.*[A-Za-z])")


def _meeting_date(path: Path, title: str, first_lines: list[str], declared: str | None,
                  minutes: bool = False) -> str | None:
    """The file name, then its folders, then its opening lines. Minutes name the meeting they record at
    their head, which comes before a folder's date (minutes are filed with the later meeting that
    receives them). A page that declares its own date (front matter) is a web post: its name and
    declared date say when it was posted, so the title and the opening lines come first."""
    opening = find_date("\n".join(first_lines))
    if declared is None:
        head = _minutes_head_date(first_lines) if minutes else None
        return _day_month_order(find_date(path.name) or head or find_date(str(path.parent)), opening) or opening
    return (find_date(title) or find_date(_POSTED.sub("", path.name)) or find_date(str(path.parent))
            or find_date("\n".join(first_lines[:_OPENING_LINES])) or find_date(declared) or find_date(path.name))


def find_sidecars(corpus_dir: Path) -> list[Path]:
    """Every metadata.csv under corpus_dir, in a stable order."""
    return sorted(Path(folder) / SIDECAR for folder, _, names in os.walk(corpus_dir, followlinks=True)
                  if SIDECAR in names)


def load_sidecar(corpus_dir: Path) -> dict[str, dict[str, str]]:
    """Rows of every metadata.csv under corpus_dir, keyed by path relative to corpus_dir.

    A row's path is relative to the folder its metadata.csv sits in; empty cells are dropped.
    """
    corpus_dir = Path(corpus_dir)
    rows: dict[str, dict[str, str]] = {}
    for sidecar in find_sidecars(corpus_dir):
        prefix = sidecar.parent.relative_to(corpus_dir)
        with open(sidecar, newline="", encoding="utf-8-sig") as handle:
            for row in csv.DictReader(handle):
                if row.get("path"):
                    key = (prefix / row["path"].strip()).as_posix()
                    rows[key] = {k: v.strip() for k, v in row.items() if k != "path" and v and v.strip()}
    return rows


def sidecar_fingerprint(rows: dict[str, dict[str, str]]) -> str:
    """Identifies what the sidecars say (not how the files are laid out): for noticing an edit."""
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def apply_sidecar(meta: DocumentMeta, overrides: dict[str, str] | None) -> DocumentMeta:
    if not overrides:
        return meta
    fields = {k: overrides[k] for k in ("body", "meeting_date", "doc_type", "title", "source_url", "item")
              if k in overrides}
    return replace(meta, **fields)


def find_date(text: str) -> str | None:
    """The first calendar date written in text, as ISO, or None."""
    found = _first_date(text, _DATE_PATTERNS)
    return found[1] if found else None


def _first_date(text: str, patterns) -> tuple[tuple[str, ...], str] | None:
    """(how it was written: the pattern's order, the date as ISO) of the first date of these patterns in text."""
    best = None
    for pattern, order in patterns:
        for match in pattern.finditer(text):
            iso = _to_iso(dict(zip(order, match.groups())))
            if iso and (best is None or match.start() < best[0]):
                best = (match.start(), order, iso)
                break
    return best[1:] if best else None


def _minutes_head_date(lines: list[str]) -> str | None:
    """The date minutes give at their head. One in figures read day first ('03/10/2026') is as often a
    stamp of when they were approved or printed, in another country's order, as the meeting's date: where
    the head also writes a date with its month in words ('February 24, 2026'), that one is the meeting's."""
    first = _first_date("\n".join(lines[:_HEAD_LINES]), _DATE_PATTERNS)
    if first and first[0] == _DAY_FIRST:
        worded = _first_date("\n".join(lines[:_OPENING_LINES]), _WORDED)
        return worded[1] if worded else first[1]
    return first[1] if first else None


MONTH_NAME = _MONTH   # a month's name or its abbreviation, as one group ('Sept', 'March')
MONTH_YEAR = r"\b" + _MONTH + r"[a-z]*,?\s+((?:19|20)\d{2})\b"   # 'July 2020', 'March, 2025'; case-insensitive
_MONTH_YEAR = re.compile(MONTH_YEAR, re.I)


def month_number(name: str) -> int:
    """1-12 for a month's name or abbreviation ('Sept' -> 9)."""
    return _MONTHS[name[:3].lower()]


def named_month(text: str) -> str | None:
    """'at the July 2020 meeting' -> '2020-07' (the first month and year the text names)."""
    return next(named_months(text), None)


def named_months(text: str) -> Iterator[str]:
    """Each month and year the text names, in order: 'from July 2020 to March, 2021' -> '2020-07', '2021-03'."""
    for match in _MONTH_YEAR.finditer(text):
        yield f"{match.group(2)}-{month_number(match.group(1)):02d}"


def long_date(iso: str | None) -> str:
    """'2016-12-15' -> '15 December 2016', as minutes and people write it."""
    try:
        day = date.fromisoformat(iso or "")
    except ValueError:
        return ""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def long_month(month: str) -> str:
    """'2023-12' -> 'December 2023'."""
    year, number = month.split("-")
    return f"{calendar.month_name[int(number)]} {year}"


def _day_month_order(numeric: str | None, written: str | None) -> str | None:
    """A date like 01-8-2018 reads as 1 August or (in the US) January 8: when the paper itself writes
    the other reading out ('January 8, 2018'), that is the one meant."""
    if not numeric or not written or numeric == written:
        return numeric
    year, month, day = numeric.split("-")
    return written if int(day) <= 12 and f"{year}-{day}-{month}" == written else numeric


def _to_iso(parts: dict[str, str]) -> str | None:
    try:
        month = month_number(parts["M"]) if "M" in parts else int(parts["m"])
        return date(int(parts["y"]), month, int(parts["d"])).isoformat()
    except (ValueError, KeyError):
        return None


def _title(path: Path, pdf_title: str | None, first_lines: list[str], trust_declared: bool = False) -> str:
    """A descriptive file name, else the PDF's own title, else the first line of text.

    trust_declared: the title is a web page's own (front matter), chosen by a person: it comes first."""
    if trust_declared and pdf_title and len(pdf_title.split()) >= 2:
        return pdf_title.strip()[:160]
    stem = re.sub(r"\s+", " ", path.stem.replace("_", " ")).strip()
    if " " not in stem:
        stem = re.sub(r"(?<!\d)-|-(?!\d)", " ", stem)  # board-meeting-minutes-2014-09-25
    if len(re.findall(r"[A-Za-z]{3,}", stem)) >= 3:
        return stem[:1].upper() + stem[1:]
    if pdf_title and not _JUNK_TITLE.search(pdf_title) and len(pdf_title.split()) >= 3:
        return re.sub(r"^\(public pack\)\s*", "", pdf_title, flags=re.I)
    for n, line in enumerate(first_lines):
        if _PARTICULARS.match(line):
            break   # the heading above the meeting's particulars is the title; with none above, there is none
        if _ENTRY.match(line) and any(_ENTRY.match(later) for later in first_lines[n + 1:n + 3]):
            break   # a paper opening on its numbered items ('3079.Police Report', '3080.Apologies') has no title
        if len(re.findall(r"[A-Za-z]{3,}", line)) >= 2:
            return _shortened(line, _TITLE_CHARS)
    return stem


_TITLE_CHARS = 120
_ENTRY = re.compile(r"^\d{1,4}\.\s*[A-Z]")   # a numbered item or minute: '3079.Police Report', '2. Apologies'
# A meeting's particulars, written where a heading would be: 'Present: Cllrs Evans, ...', 'Venue: Room 215'.
_PARTICULARS = re.compile(r"^(?:present|attendees|in attendance|apologies|venue|location)\s*[:\-–]", re.I)


def _shortened(line: str, most: int) -> str:
    """The line whole when it is short enough, else cut after its last whole word within `most`
    characters, with an ellipsis."""
    if len(line) <= most:
        return line.strip()
    cut = line[:most + 1].rsplit(" ", 1)[0] if " " in line[:most + 1] else line[:most]
    return cut.rstrip(" ,;:-–") + "…"


def _doc_type(name_and_title: str, folders: tuple[str, ...], opening: str) -> str:
    """The kind of paper its name or title says; else the folder it is filed in, where named for a kind
    alone ('agenda/20210524.txt', 'Minutes/'; not a meeting's folder '...Strategic Policy Committee');
    else its opening lines."""
    filed = next(filter(None, map(_folder_kind, reversed(folders))), None)
    return _typed(name_and_title) or filed or _typed(opening) or UNTYPED


def _typed(text: str) -> str | None:
    return next((doc_type for doc_type, pattern in _TYPE_RULES if re.search(pattern, text, re.I)), None)


def _folder_kind(folder: str) -> str | None:
    """The kind of paper a folder is named for, alone or in the plural ('agenda', 'Agendas', 'minutes')."""
    name = " ".join(folder.lower().replace("_", " ").split())
    return next((kind for kind in DOC_TYPES if kind != UNTYPED and name in (kind, kind + "s")), None)


def _body_from_dirs(path: Path) -> str | None:
    """'kent_county_council/cabinet/...' -> 'Kent County Council - Cabinet'; a folder named for one
    meeting names the body it is of."""
    names = [
        _folder_body(part) for part in path.parent.parts
        if part not in ("", ".") and "__" not in part and not _GENERIC_DIRS.match(part)
    ][-2:]
    if len(names) == 2 and names[0].lower() in names[1].lower():
        names = names[1:]  # 'Suffolk / Suffolk Libraries' says it once
    return " - ".join(names) or None


def _folder_body(part: str) -> str:
    """A folder's body as written; of a folder named for one meeting, the name without the meeting's
    subject ('28-Special Meeting of Limerick City and County Council_ Limerick_Foynes Road Improvements
    Scheme' -> 'Limerick City and County Council')."""
    name = _pretty(_body_of_folder(part))
    if _MEETING_NAME.search(" ".join(re.split(r"[_\-\s]+", part))):
        return _name_only(name) or name
    return name


def _body_of_folder(name: str) -> str:
    """'23-Full Meeting of Limerick City and County Council' -> 'Limerick City and County Council'."""
    spaced = " ".join(re.split(r"[_\-\s]+", name))
    if not (_BODY_WORDS.search(spaced) or _MEETING_NAME.search(spaced)):
        return name   # 'chi_ssa_21', 'kent_county_council': a name, kept whole
    for pattern in _MEETING_FOLDER:
        spaced = pattern.sub("", spaced)
    return spaced or name


def _pretty(name: str) -> str:
    """'home_and_social_development' -> 'Home and Social Development'; an acronym stays as it is."""
    words = [w for w in re.split(r"[_\-\s]+", name) if w]
    return " ".join(w if w.isupper() else w.lower() if n and w.lower() in _SMALL_WORDS else w.capitalize()
                    for n, w in enumerate(words))


def _body_name(line: str) -> str | None:
    """A body named in a heading, without what the heading says of the paper, in the case it is usually
    written in ('19th LOCAL PUBLIC DATA PANEL MEETING' -> 'Local Public Data Panel', as another paper
    heads it); None where the line names none."""
    name = _body_of_folder(_AFTER_NAME.sub("", line.strip(" .,:*"))).strip(" .,:–-*")
    if not _BODY_WORDS.search(name):
        name = line.strip(" .,:")
    if name.isupper() and len(name.split()) > 1:
        name = " ".join(w.lower() if n and w.lower() in _SMALL_WORDS else w.capitalize()
                        for n, w in enumerate(name.lower().split()))
    return _name_only(name)


def _name_only(text: str) -> str | None:
    """The body's name in a line that runs on past it, or None where the line names no body.

    A name is a run of capitalised words, joined by small words ('Crime and Justice Sector Panel'), that
    ends with its last body's word or a clause that word governs ('Senior Officials' Group on
    Transparency'): what follows is the paper or a sentence ('Transparency Board Tom Steinberg will be
    leading ...' -> 'Transparency Board', 'Tintern Community Council Tangible Assets' -> 'Tintern
    Community Council'). A body's word in lower case, with generic words only, or after a person's
    title names none ('that committee or', 'Community Council', 'Minister for the Cabinet'), nor does
    one in a line that runs on ('Cabinet Office Update'); a heading that is one alone does ('CABINET')."""
    words = text.split()
    bodies = [n for n, word in enumerate(words) if _capitalised(word) and _BODY_WORDS.fullmatch(word.strip(_PUNCT))]
    if not bodies:
        return None
    start = bodies[0]
    while start > 0 and _in_name(words[start - 1]) and not words[start - 1].endswith(","):
        start -= 1
    while words[start].lower() in _JOINING:
        start += 1
    end = n = bodies[0] + 1
    while n < len(words) and _in_name(words[n]) and not words[n - 1].endswith(","):
        n += 1
        if n - 1 in bodies:
            end = n   # 'Limerick City and County Council': the name runs to its last body's word
    if (end < len(words) - 1 and words[end].lower() in _JOINING and _capitalised(words[end + 1])
            and not _WHEN.match(words[end + 1])):
        end += 2      # 'Board of Education', but not 'Board on Tuesday'
    name = " ".join(words[start:end]).strip(_PUNCT)
    if len(words) == 1:
        return name   # a heading that is a body's word alone: 'CABINET'
    kinds = {word.lower() for word in _BODY_WORDS.findall(name)}
    own = set(_words(name)) - _GENERIC_BODY_WORDS - _JOINING - _PLACE_KIND_WORDS - kinds
    return name if own and words[start].lower().strip(_PUNCT) not in _PERSON_TITLES else None


def _capitalised(word: str) -> bool:
    return bool(_NAME_WORD.match(word)) and not re.search(r"\d", word)


def _in_name(word: str) -> bool:
    return word.lower() in _JOINING or _capitalised(word)


def _minutes_body(body: str | None, lines: list[str]) -> str | None:
    """Minutes are of the body their head names: a panel's minutes filed in its council's meeting folder
    ('CORPORATE PARENTING PANEL – 29 October 2024' under 'Kent County Council - Full Council') are the
    panel's, of the same council. A head naming the folder's own body, or no body, leaves it as it is."""
    council, _, committee = (body or "").rpartition(" - ")
    if not council:
        return body
    for line in lines[:_NAME_LINES]:
        named = _DATE_TAIL.sub("", line).strip(" .,:–-*")
        if (_BODY_WORDS.search(named) and len(named.split()) <= 6 and not re.search(r"\d", named)
                and not _VERB.search(named) and not _MEETING_OF.search(named)):
            own = set(_words(named)) - _GENERIC_BODY_WORDS
            if own and not own & set(_words(f"{council} {committee}")) and (name := _body_name(named)):
                return f"{council} - {name}"
            return body
    return body


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", text.lower())


# What a title may say before the body it opens with: a date or number, and the kind of paper.
_TITLE_HEAD = re.compile(r"^(?:[\d.\-_/]+\s+)?(?:(?:minutes|agenda|notes)\b(?:\s+of)?(?:\s+the)?[\s:–-]*)?", re.I)


def _title_body(title: str) -> str | None:
    """The body a title opens with ('Local Public Data Panel – seventh meeting 9th February 2011', 'Minutes of
    Open Data User Group 29 August 2012'), for a paper whose folders and opening lines name none. A title
    naming a body further on is about it ('Business case: Open Data User Group ...'), not of it."""
    rest = _TITLE_HEAD.sub("", title.strip(), count=1)
    name = _body_name(rest)
    return name if name and rest.casefold().startswith(name.casefold()) else None


def _body_from_text(lines: list[str]) -> str | None:
    for line in lines[:15]:
        match = _MEETING_OF.search(line)
        if match and _BODY_WORDS.search(match.group(1)) and (name := _body_name(match.group(1))):
            return name
    for line in lines[:6]:
        if (_BODY_WORDS.search(line) and len(line.split()) <= 8 and not re.search(r"\d{4}", line)
                and not _VERB.search(line) and (name := _body_name(line))):
            return name
    return None
