"""Server-rendered charts (SVG drawn by ``templates/components/chart_*.html``): the geometry, no app's data.

People look at these rather than read them, so each chart is small and says its figures in text too
(titles and labels), and needs no script."""

from __future__ import annotations

from dataclasses import dataclass

# Tones that read apart on screen and in grey print; one per line of work, in order.
PALETTE = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b7791f", "#c53030", "#2c7a7b", "#4a5568"]


@dataclass
class Bar:
    """One horizontal bar: a label, a share (0–100) and what it says."""

    label: str
    pct: int
    text: str
    url: str = ""


def share_bars(rows: list[tuple[str, int, int, str]]) -> list[Bar]:
    """(label, part, whole, url) → bars of part/whole, in the given order."""
    return [
        Bar(label, round(100 * part / whole) if whole else 0, f"{part}/{whole}", url)
        for label, part, whole, url in rows
    ]


@dataclass
class Segment:
    y: float
    height: float
    color: str
    title: str


@dataclass
class Column:
    label: str
    x: float
    total: int
    segments: list[Segment]


def stacked_months(series: dict[str, list[int]], *, height: int = 120, width: int = 12 * 26) -> dict:
    """Twelve monthly columns stacked by series (``{name: [12 counts]}``), scaled to the highest month."""
    names = list(series)
    totals = [sum(series[n][m] for n in names) for m in range(12)]
    top = max(totals) or 1
    step = width / 12
    columns = []
    for m in range(12):
        y = float(height)
        segments = []
        for i, name in enumerate(names):
            n = series[name][m]
            if not n:
                continue
            h = height * n / top
            y -= h
            segments.append(Segment(round(y, 1), round(h, 1), PALETTE[i % len(PALETTE)], f"{m + 1}月 {name} {n}条"))
        columns.append(Column(f"{m + 1}", round(m * step + 3, 1), totals[m], segments))
    legend = [(name, PALETTE[i % len(PALETTE)]) for i, name in enumerate(names)]
    return {
        "columns": columns,
        "legend": legend,
        "height": height,
        "width": width,
        "bar": round(step - 6, 1),
        "top": top,
    }
