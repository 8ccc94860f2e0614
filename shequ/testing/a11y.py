"""axe-core in browser tests: the vendored ``axe`` (static/vendor) run on the page as it is."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "static" / "vendor" / "axe-4.14.1.min.js"
BLOCKING = ("critical", "serious")

_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length,
    where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


def violations(page, impacts=BLOCKING) -> list[dict]:
    """The page's axe violations of the given impacts (evaluated through the devtools: no CSP applies)."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(_RUN) if v["impact"] in impacts]


def count(found: list[dict]) -> int:
    """Violating elements (axe's own count: one rule on three elements is three)."""
    return sum(v["nodes"] for v in found)
