"""What a person sees on a page in a real browser: words left in English and content wider than the screen.

``english(page)`` lists the Latin words of the page's visible text that are not allowed there (user names, file
kinds, product and standard names); ``overflow(page)`` names the elements that stick out to the right of the
viewport, so that a phone would scroll sideways.
"""

from __future__ import annotations

import re

# Latin words a Chinese page may show: file kinds, standards, products and abbreviations people say as they are.
ALLOWED_WORDS = {
    "api",
    "bmi",
    "doc",
    "jpg",
    "json",
    "mmhg",
    "png",
    "txt",
    "wilson",
    "csv",
    "docx",
    "et",
    "excel",
    "gb",
    "http",
    "https",
    "id",
    "pdf",
    "qr",
    "shequ",
    "sms",
    "totp",
    "url",
    "wps",
    "word",
    "xls",
    "xlsx",
}
# A Latin word, or a code such as case.evaluate or m_grid_a2; a token with digits (户号 H10, a grid's number) is data.
WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.@-]*[A-Za-z0-9]")
ADDRESS = re.compile(r"(https?://|/)[\w./?=&%#:-]+")

_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!el || el.closest('script,style,textarea,code,kbd,samp,[translate=no]')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden' || !el.getClientRects().length) continue;
    if (node.textContent.trim()) out.push(node.textContent.trim());
  }
  for (const el of document.querySelectorAll('input[placeholder],textarea[placeholder]')) out.push(el.placeholder);
  out.push(document.title);
  return out;
}"""

_OVERFLOW = """(width) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    // Content inside a box that scrolls on its own (a wide table in its scroll wrapper) does not widen the page.
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) { clipped = true; break; }
      p = p.parentElement;
    }
    if (clipped) continue;
    const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
    out.push(`${name} (right edge ${Math.round(r.right)}px)`);
  }
  return {scroll: document.documentElement.scrollWidth, elements: out.slice(0, 5)};
}"""


def _foreign(word: str, allowed) -> bool:
    if len(word) < 3 or any(c.isdigit() for c in word) or word in allowed:
        return False
    if "." in word and word.rsplit(".", 1)[1].lower() in ALLOWED_WORDS:
        return False  # a file's name (报表.xlsx)
    return word.lower() not in ALLOWED_WORDS


def english(page, allowed: set[str] = frozenset()) -> list[str]:
    """The page's visible texts holding Latin words that are neither in ``ALLOWED_WORDS`` nor in ``allowed``
    (user names…); web addresses shown as text are left alone."""
    found = []
    for text in page.evaluate(_TEXT):
        words = [w for w in WORD.findall(ADDRESS.sub("", text)) if _foreign(w, allowed)]
        if words:
            found.append(f"{'、'.join(words)}：{text[:80]}")
    return sorted(set(found))


def overflow(page, width: int) -> list[str]:
    """The elements that make the page wider than ``width`` (empty when the page fits)."""
    found = page.evaluate(_OVERFLOW, width)
    if found["scroll"] <= width + 1:
        return []
    return found["elements"] or [f"the page is {found['scroll']}px wide"]
