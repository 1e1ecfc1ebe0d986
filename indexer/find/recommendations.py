"""Recommendation against resolution: what the report asked the meeting to decide, set beside what it resolved.

A resolution is paired with a recommendation made to a meeting of the same date: the one whose
report or item title and wording come closest (a decision reference such as 24/00115 printed in
both settles it; so does the same wording, word for word, under titles that share no word).
The two are then compared word by word, leaving out the lead-ins ("Cabinet is asked to:",
"RESOLVED that Cabinet agree to:") and verb forms ("Note"/"notes"): the same words are
adopted as recommended, close ones amended, with the words added and dropped.

A recommendation is not taken when the minutes of its meeting list the report's item and record no
resolution under it. Where the minutes do not list the item, or resolve something under it that
cannot be paired, nothing is said: an absence is reported only where the minutes show it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ..records import DecisionRecord, Filters, MinutesItem, RecommendationRecord
from .decisions import resolution_text, whole
from .index import Index

ADOPTED, AMENDED, DEFERRED, DIFFERENT = "adopted as recommended", "amended", "deferred", "worded differently"
NOT_TAKEN = "not taken"
# Words whose coming or going changes nothing decided: the recommendation adopted as it stood.
_LINKING = {"", "the", "a", "an", "and", "to", "of", "that", "be", "is", "are", "it", "its", "this", "these", "by"}
_CLOSE = 0.5        # at or above which it is the recommendation amended
_PAIRED = 0.45      # the least combined likeness of titles and wording for a pair
_TITLED = 0.5       # and the least share of the shorter title's words found in the other,
_WORDED = 0.8       # unless the wording alone is this alike (a report titled 'GAC TOR Update', resolved word for word)
_WORDED_LENGTH = 8  # over this many words at least ('note the report' is alike everywhere)
_REFERENCE = re.compile(r"\b(\d{2})[/-](\d{4,5})\b")
_ASKED = re.compile(r"^.*?\b(?:is|are|be)\s+(?:asked|recommended|invited|requested)\s+to\s*:?\s*", re.I | re.S)
_RESOLVED = re.compile(r"^.*?\bresolved\b\s*(?:that\s+)?(?:[–-]\s*)?(?:the\s+)?(?:(?-i:[A-Z][\w ]{0,40})(?=:)|(?-i:[A-Z][\w ]{0,40}?)\s+)?"
                       r"(?:agrees?\s+to|resolves?|to)?\s*:?\s*", re.I | re.S)
_MARKER = re.compile(r"^(?:\(?(?:\d{1,2}(?:\.\d{1,2})?|[a-z]|[ivx]{1,4})[.)]\)?|[•▪◦●*–-])$", re.I)


@dataclass
class Comparison:
    status: str                          # adopted as recommended, amended, deferred, worded differently
    recommendation: RecommendationRecord
    likeness: float                      # 0..1, the word sequences' likeness
    added: list[str]                     # runs of words in the resolution, not the recommendation
    dropped: list[str]                   # runs of words recommended, not resolved


def compare(index: Index, parts: list[DecisionRecord]) -> Comparison | None:
    """The recommendation behind a resolution, and how the resolution differs; None when none is indexed."""
    if not parts or not parts[0].meeting_date:
        return None
    candidates = index.recommendations(parts[0].meeting_date)
    if not candidates:
        return None
    resolved = resolution_text(parts)
    scored = [(_pair_score(parts[0], resolved, r), r) for r in candidates]
    score, best = max(scored, key=lambda pair: pair[0])
    if score < _PAIRED:
        return None
    likeness = _likeness(_words(best.text, _ASKED), _words(resolved, _RESOLVED))
    runs = word_diff(best.text, resolved)
    added = [text for op, text in runs if op == "+"]
    dropped = [text for op, text in runs if op == "-"]
    changed = [w for run in added + dropped for w in run.split() if _stem(w) not in _LINKING]
    if any(p.outcome == "deferred" for p in parts):
        status = DEFERRED
    elif not changed:
        status = ADOPTED
    elif likeness >= _CLOSE:
        status = AMENDED
    else:
        status = DIFFERENT
    return Comparison(status, best, round(likeness, 3), added, dropped)


@dataclass
class NotTaken:
    """A report's recommendation to a meeting whose minutes list its item without resolving anything under it."""
    recommendation: RecommendationRecord
    minutes: MinutesItem                 # the item in the minutes, where it starts
    status: str = NOT_TAKEN


def not_taken(index: Index, meeting_date: str) -> list[NotTaken]:
    """The reports to the meetings of that date whose items the minutes list with no resolution under them."""
    recommendations = index.recommendations(meeting_date)
    items = index.minutes_items(meeting_date)
    if not recommendations or not items:
        return []
    day = Filters(date_from=meeting_date, date_to=meeting_date)
    groups = whole(index, index.decisions(None, day))
    paired = {_report(r) for r in recommendations
              if any(_pair_score(parts[0], resolution_text(parts), r) >= _PAIRED for parts in groups)}
    resolved = {(parts[0].doc_path, parts[0].item) for parts in groups}
    found: dict[tuple[str, str | None], NotTaken] = {}
    for recommendation in recommendations:
        report = _report(recommendation)
        if report in paired or report in found:
            continue
        item = _listed(recommendation, items)
        if item is not None and (item.doc_path, item.item) not in resolved:
            found[report] = NotTaken(recommendation, item)
    return list(found.values())


def _report(recommendation: RecommendationRecord) -> tuple[str, str | None]:
    """A report states its recommendations more than once (front sheet, closing section): one key for all."""
    return recommendation.doc_path, recommendation.item


def _listed(recommendation: RecommendationRecord, items: list[MinutesItem]) -> MinutesItem | None:
    """The minutes item of the same body that the report is for: the same decision number, else the title
    whose words the report's title shares most (at least _TITLED of the shorter)."""
    title = f"{recommendation.item or ''} {recommendation.doc_title}"
    same_body = [item for item in items if not recommendation.body or item.body == recommendation.body]
    numbered = [item for item in same_body if _references(item.item) & _references(title)]
    if numbered:
        return numbered[0]
    scored = [(_overlap(_content(item.item), _content(title)), item) for item in same_body
              if len(_content(item.item)) >= 2]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= _TITLED else None


def word_diff(recommended: str, resolved: str) -> list[tuple[str, str]]:
    """Runs of words: ('=', same), ('-', recommended only), ('+', resolved only), lead-ins left out."""
    a, b = _words(recommended, _ASKED), _words(resolved, _RESOLVED)
    runs = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=[_stem(w) for w in a], b=[_stem(w) for w in b],
                                                      autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            runs.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            runs.append(("+", " ".join(b[j1:j2])))
    return runs


def _pair_score(first: DecisionRecord, resolved: str, recommendation: RecommendationRecord) -> float:
    title = f"{recommendation.item or ''} {recommendation.doc_title}"
    recommended, resolution = _words(recommendation.text, _ASKED), _words(resolved, _RESOLVED)
    wording = _likeness(recommended, resolution)
    if _references(first.item or "") & _references(title):
        return 1.0 + wording   # the same decision number: the closer of its statements wins
    if wording >= _WORDED and min(len(recommended), len(resolution)) >= _WORDED_LENGTH:
        return wording
    item_words = _content(first.item or "")
    titles = _overlap(item_words, _content(title))
    if len(item_words) < 2 or titles < _TITLED:
        return 0.0
    return 0.5 * titles + 0.5 * wording


def _references(text: str) -> set[str]:
    return {f"{a}/{b}" for a, b in _REFERENCE.findall(text)}


def _words(text: str, lead_in: re.Pattern) -> list[str]:
    body = lead_in.sub("", " ".join(text.split()), count=1)
    return [w for w in body.split() if not _MARKER.match(w)]


def _likeness(a: list[str], b: list[str]) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(a=[_stem(w) for w in a], b=[_stem(w) for w in b], autojunk=False).ratio()


def _stem(word: str) -> str:
    """'Notes', 'noted', 'NOTE' -> 'note': a resolution words the recommendation's verbs in another form."""
    word = word.lower().strip(".,;:()[]\"'“”‘’")
    if word.endswith("ed") and len(word) > 4:
        word = word[:-1] if word[:-1].endswith("e") and word[-3] not in "e" else word[:-2]
    elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        word = word[:-1]
    return word


def _content(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]{3,}", text.lower())
            if w not in {"the", "and", "for", "item", "report", "minutes", "meeting", "cabinet", "council", "with"}}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0
