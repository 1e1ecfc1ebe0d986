"""A minuted decision as a record, and what it says about itself: its outcome, the vote, who moved and
seconded it, who acts.

Each reader takes the text of one decision (and, for the vote, the lines minuted
around it) and returns None where the minutes say nothing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

OUTCOMES = ("resolved", "agreed", "approved", "noted", "endorsed", "deferred", "refused", "action", "elected", "other")

_REFUSAL = r"\b(?:refuse[ds]?|reject\w*|declined?)\b"
# The verb that settles the outcome: the earliest one in the decision's text wins.
_OUTCOME_VERBS = (
    ("elected", r"\b(?:duly\s+)?(?:elected|re-elected|voted in|appointed)\b(?!\s+(?:members?|representatives?))"),
    ("deferred", r"\b(?:defer\w*|re-?\s?agenda\w*|postpone\w*|adjourn\w*)\b"),
    ("refused", _REFUSAL),
    ("noted", r"\b(?:note[sd]?|noting)\b"),
    ("endorsed", r"\b(?:endorse[sd]?|ratif\w+)\b"),
    ("approved", r"\b(?:approv\w+|adopt\w*|accept\w*|signed as correct|correct record|authori[sz]\w*|all paid)\b"),
    ("agreed", r"\b(?:agree\w*|decided|carried|in agreement|no objections?)\b"),
)

_COUNTED = r"\s*(?:\((\d{1,3})\)|[:–-]\s*(\d{1,3})\b)"   # 'For (51)', 'Against: 12'
_COUNT = {
    "for": re.compile(rf"\b(?:for|in favour|ayes?){_COUNTED}", re.I),
    "against": re.compile(rf"\b(?:against|noes?|nays?){_COUNTED}", re.I),
    "abstained": re.compile(rf"\b(?:abstain\w*|abstentions?){_COUNTED}", re.I),
}
_ROLL = re.compile(r"([A-Z][\w'’-]+)\s*[–—-]\s*(aye|yes|no|nay|abstain(?:ed)?|absent)\b", re.I)
_CARRIED = re.compile(r"\b(?:motion|amendment|resolution|proposal|recommendation)s?\s+(?:was\s+|were\s+|is\s+)?"
                      r"(carried|passed|lost|defeated|fell|failed)\b|(?:^|[.:]\s+)(carried|lost)\b", re.I)
# A roll call: 'Aye: Haynes, Johnson, Jones  No: None  Abstain: Ortiz'.
_ROLL_CALL = re.compile(r"\b(ayes?|noes|nays?|no|abstain\w*|absent)\s*:\s*", re.I)
# Where the names of one way end: a list mark ('No: None • Absent: ...') or the next line's label ('Absent: None
# Student Trustee: Aye').
_NEXT_LINE = re.compile(r"\s*[•▪●◦·]|(?:^|\s+)(?!(?i:none)\b)[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,2}[ \t]*:")
_WAYS = ("for", "against", "abstained", "absent")   # the ways of a vote, in the order they are shown
_ROLL_WAYS = {"ay": "for", "ye": "for", "no": "against", "na": "against", "abst": "abstained", "abse": "absent"}
# 'MOTION CARRIED 4-0-1-2': the figures for and against (what follows them is read from the names, as bodies
# order abstentions and absences differently).
_FIGURES = re.compile(r"\b(?:carried|passed|lost|failed|defeated)\s*(?:by\s+)?\(?(\d{1,3})\s*[-–]\s*(\d{1,3})\b",
                      re.I)
_UNANIMOUS = re.compile(r"\bunanimous(?:ly)?\b|\bnem\.?\s*con\b", re.I)
_NAME = r"((?:the\s+)?(?-i:(?:[A-Z][\w.'’-]*\s*(?:\([A-Z]\)\s*)?){1,5}))"
_MOVED = (
    re.compile(rf"\b(?:moved|proposed|motion (?:was )?made)\s+by\s*:?\s*{_NAME}", re.I),
    re.compile(rf"\bon the proposal of\s+{_NAME}", re.I),
    re.compile(rf"{_NAME}\s*,?\s+(?:proposed|moved)\b"),
    re.compile(rf"\bpropos(?:ed|er)\s*(?:by)?\s*[:–-]?\s*{_NAME}"),
)
_SECONDED = (
    re.compile(rf"\bseconded\s+by\s+{_NAME}", re.I),
    re.compile(rf"\band\s+{_NAME}\s*,?\s+seconded\b"),
    re.compile(rf"{_NAME}\s+seconded\b"),
    re.compile(rf"\bseconde[dr]\s*[:–-]\s*{_NAME}"),
)
_OWNER = (
    re.compile(r"^actions?\s*(?:by\s+\w+\s*)?[:–-]\s*(?:upon [^,]+,\s*)?(.{1,60}?)\s+(?:to|will)\s+[a-z]", re.I),
    re.compile(r"\b(?:directed|instructed)\s+(?:the\s+)?([\w ]{2,40}?)\s+to\b", re.I),
    re.compile(r"\b(?:the\s+)?(clerk|secretary|officers?|staff|chief executive|\w+ manager)\s+(?:was|were)\s+"
               r"(?:also\s+)?(?:asked|advised|instructed|requested)\s+to\b", re.I),
    re.compile(r"^(?:also\s+)?(?:the\s+)?(.{1,50}?)\s+(?:asked\s+)?to\s+[a-z]", re.I),
)
# 'RESOLVED the Leader to:', 'RESOLVED to ask the General Counsel to:'; the body itself ('Members', 'the Panel') acts on nothing.
_RESOLUTION_OWNER = re.compile(r"\bresolved\s+(?:that\s+)?(?:to\s+ask\s+)?(?:the\s+)?(?-i:([A-Z][\w]*(?:\s+[A-Z][\w]*){0,4}))"
                               r"\s+to\b", re.I)
_THE_BODY = re.compile(r"^(?:members?|panel|board|committee|council|county council|cabinet|it)$", re.I)


@dataclass
class Vote:
    result: str | None = None          # carried or lost
    unanimous: bool = False
    counts: dict[str, int] = field(default_factory=dict)          # for / against / abstained
    names: dict[str, list[str]] = field(default_factory=dict)     # a recorded vote: way -> members

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Decision:
    text: str
    item: str | None        # the minute or agenda item it was taken under
    meeting_date: str | None
    pdf_page: int
    outcome: str = "other"  # outcomes.OUTCOMES
    part: int = 0           # its place in a resolution of several parts: 0 for the first (or only)
    vote: Vote | None = None
    moved_by: str | None = None
    seconded_by: str | None = None
    owner: str | None = None            # who is to act on an action



def outcome_of(text: str, action: bool = False) -> str:
    """The decision's outcome (OUTCOMES): its earliest verb of decision, a plain 'agreed' giving way to
    what was agreed to ('approved', 'deferred', 'noted' ...)."""
    if action:
        return "action"
    body = re.sub(r"^.*?\bresolved\b\s*(?:that\s*)?[:–—-]?", "", text, count=1, flags=re.I | re.S)
    found = {}
    for outcome, pattern in _OUTCOME_VERBS:
        match = re.search(pattern, body, re.I)
        if match:
            found[outcome] = match.start()
    specific = {outcome: at for outcome, at in found.items() if outcome != "agreed"}
    if specific:   # 'it was agreed that the item be deferred' is a deferral
        return min(specific, key=specific.get)
    if found:
        return "agreed"
    return "resolved" if re.search(r"\bresolved\b", text, re.I) else "other"


def refuses(text: str) -> bool:
    """Whether the text refuses something ('the application was refused', 'rejected the proposal')."""
    return bool(re.search(_REFUSAL, text, re.I))


def vote_of(text: str) -> Vote | None:
    """The vote as minuted in the text of a decision and the lines around it; None when there is none."""
    vote = Vote()
    carried = [(m.group(1) or m.group(2)).lower() for m in _CARRIED.finditer(text)]
    if carried:
        vote.result = "carried" if carried[-1] in ("carried", "passed") else "lost"
    vote.unanimous = bool(_UNANIMOUS.search(text))
    for way, pattern in _COUNT.items():
        found = pattern.search(text)
        if found:
            vote.counts[way] = int(found.group(1) or found.group(2))
    figures = _FIGURES.search(text)
    if figures:
        vote.counts.setdefault("for", int(figures.group(1)))
        vote.counts.setdefault("against", int(figures.group(2)))
    vote.names = _recorded_names(text)
    for way, people in vote.names.items():
        vote.counts.setdefault(way, len(people))
    roll = _ROLL.findall(text)
    if len(roll) >= 2:
        for name, way in roll:
            vote.names.setdefault(_roll_way(way), []).append(name)
        vote.counts = {key: len(names) for key, names in vote.names.items()} | vote.counts
    if vote.unanimous and not vote.result:
        vote.result = "carried"
    vote.counts = {way: vote.counts[way] for way in _WAYS if way in vote.counts}
    vote.names = {way: vote.names[way] for way in _WAYS if way in vote.names}
    if not (vote.result or vote.counts or vote.names):
        return None
    return vote


def _recorded_names(text: str) -> dict[str, list[str]]:
    """A recorded vote: 'For (51) Mr Baker, Mrs Bell ... Against (12) ...' -> way -> the members named."""
    marks = sorted([(m.start(), m.end(), way) for way, pattern in _COUNT.items() for m in pattern.finditer(text)
                    if "(" in m.group(0)] + [(m.start(), m.end(), _roll_way(m.group(1)))
                                             for m in _ROLL_CALL.finditer(text)])
    names: dict[str, list[str]] = {}
    for n, (_, end, way) in enumerate(marks):
        segment = text[end:marks[n + 1][0] if n + 1 < len(marks) else len(text)]
        segment = re.split(r"(?<=[a-z)])\.\s|\n\n|\]|\b(?:motion|resolved|there were)\b", segment, maxsplit=1,
                           flags=re.I)[0]
        segment = _NEXT_LINE.split(segment, maxsplit=1)[0]
        people = [p.strip().strip(".;:").strip() for p in re.split(r",|\band\b", segment)]
        people = [p for p in people if p]
        if [p.lower() for p in people] == ["none"]:
            names[way] = []
        elif people and all(len(p.split()) <= 4 and p[:1].isupper() for p in people):
            names[way] = people
    return names


def _roll_way(word: str) -> str:
    """'Ayes', 'yes' -> for; 'NOES', 'nay' -> against; 'Abstain' -> abstained; 'Absent' -> absent."""
    word = word.lower()
    return _ROLL_WAYS.get(word[:4]) or _ROLL_WAYS[word[:2]]


def moved_by(text: str) -> str | None:
    return _first_name(_MOVED, text)


def seconded_by(text: str) -> str | None:
    return _first_name(_SECONDED, text)


def owner_of(text: str) -> str | None:
    """Who is to act on an action ('Action: WM to circulate ...' -> 'WM'; 'Clerk to chase him.' -> 'Clerk')."""
    for pattern in _OWNER:
        found = pattern.search(text.strip())
        if found:
            owner = found.group(1).strip(" ,:")
            owner = re.sub(r"^(?:the|also)\s+", "", owner, flags=re.I) if len(owner.split()) > 1 else owner
            if owner and len(owner.split()) <= 6:
                return owner
    return None


def resolution_owner(text: str) -> str | None:
    """Who a resolution tells to act, where it names someone other than the body itself."""
    found = _RESOLUTION_OWNER.search(text)
    if found and not _THE_BODY.match(found.group(1)):
        return found.group(1)
    return None


def _first_name(patterns: tuple[re.Pattern, ...], text: str) -> str | None:
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            name = found.group(1).strip(" ,.")
            if name and name.lower() not in ("the", "it", "this", "that", "and"):
                return name
    return None
