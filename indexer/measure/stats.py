"""The one percentile every measurement reports (eval, bench and load alike)."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float | None:
    """The p-th percentile (0-100), interpolated between the two nearest ranks; None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * p / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (position - low), 2)
