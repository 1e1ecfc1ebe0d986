"""Whose papers they are that never name their body: the series they were filed in.

Minutes typed into a template often open "Minutes of a meeting of the above Council": the letterhead
that named the council was lost on the way to text. Papers filed together (the folders of one
collection, such as a council's `minutes/` and `agenda/`) are one body's series when those of them
that name their body name one at a time, in date order. A council renamed once (Tintern Community
Council until September 2022, then Wye Valley Community Council) is still a series; a folder of
several boards' papers side by side is not. A dated paper of a series that names no body takes the
body named by the latest paper on or before its date (before any, the first named).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import PurePosixPath

MIN_RUN = 3   # papers naming one body before another takes over; fewer, and the folder is not one series


@dataclass(frozen=True)
class Filed:
    """A paper as the series reads it: where it is filed, its meeting date and the body it names."""
    id: int
    path: str
    meeting_date: str | None
    body: str | None


def series_of(path: str) -> str:
    """The collection a paper is filed in: the folder above its own ('council/minutes/x.txt' -> 'council')."""
    return PurePosixPath(path).parent.parent.as_posix()


def series_bodies(papers: list[Filed]) -> dict[int, str]:
    """The body of each dated paper that names none, where its series says it; keyed by the paper's id."""
    found: dict[int, str] = {}
    for _, filed in groupby(sorted(papers, key=lambda p: series_of(p.path)), key=lambda p: series_of(p.path)):
        filed = list(filed)
        named = sorted((p.meeting_date, p.body) for p in filed if p.body and p.meeting_date)
        if not _one_at_a_time(named):
            continue
        for paper in filed:
            if paper.body or not paper.meeting_date:
                continue
            before = [body for when, body in named if when <= paper.meeting_date]
            found[paper.id] = before[-1] if before else named[0][1]
    return found


def _one_at_a_time(named: list[tuple[str, str]]) -> bool:
    """Whether bodies named in date order follow one another, each but the latest for MIN_RUN papers or
    more, and none comes back after another."""
    runs = [(body, len(list(run))) for body, run in groupby(body for _, body in named)]
    return (len(named) >= MIN_RUN and len({body for body, _ in runs}) == len(runs)
            and all(count >= MIN_RUN for _, count in runs[:-1]))
