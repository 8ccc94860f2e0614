"""Small statistics that know no app: the Wilson score interval of a proportion."""

from __future__ import annotations

import math

Z95 = 1.959963984540054


def wilson(successes: float, n: float, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval (95% by default) of ``successes`` out of ``n``, as proportions in [0, 1];
    None when ``n`` is zero. Better than the normal approximation for small samples and rates near 0 or 1
    (a 知晓率 of 98% on 50 answers)."""
    if n <= 0:
        return None
    p = successes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denom = 1 + z2 / n
    return max(0.0, (centre - spread) / denom), min(1.0, (centre + spread) / denom)
