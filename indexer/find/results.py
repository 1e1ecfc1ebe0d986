"""Ways to lay out a list of hits: grouped by meeting, counted per meeting date."""

from __future__ import annotations

from ..records import Hit

UNDATED = "undated"


def by_meeting(hits: list[Hit]) -> list[Hit]:
    """Newest meeting first; within a meeting, the hits keep their order (best first)."""
    return sorted(hits, key=lambda hit: hit.meeting_date or "", reverse=True)  # sorted() is stable


def per_meeting(hits: list[Hit]) -> dict[str, int]:
    """Hits per meeting date, oldest first ('undated' for papers without a date)."""
    counts: dict[str, int] = {}
    for hit in hits:
        counts[hit.meeting_date or UNDATED] = counts.get(hit.meeting_date or UNDATED, 0) + 1
    return dict(sorted(counts.items()))
