"""Reading a page's form as a browser would send it, for tests that post what a person saw (hidden fields too)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, wanted: str | None, action: str | None):
        super().__init__(convert_charrefs=True)
        self.wanted = wanted
        self.action = action
        self.forms: list[dict[str, list[str]]] = []
        self.current: dict[str, list[str]] | None = None
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: tuple[str, str] | None = None
        self.select_chosen = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            wanted = (self.wanted is None or a.get("id") == self.wanted) and (
                self.action is None or a.get("action") == self.action
            )
            self.current = {} if wanted else None
            return
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            self.current.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.current.setdefault(name, []).append("")
        elif tag == "select" and name:
            self.select, self.first_option, self.select_chosen = name, None, False
        elif tag == "option" and self.select:
            value = a.get("value", "")
            if self.first_option is None:
                self.first_option = (self.select, value)
            if "selected" in a:
                self.current.setdefault(self.select, []).append(value)
                self.select_chosen = True

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select" and self.current is not None and self.select:
            if not self.select_chosen and self.first_option is not None:
                self.current.setdefault(self.select, []).append(self.first_option[1])
            self.select = None
        elif tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None


def form_values(
    html: str, having: str = "version", *, form_id: str | None = None, action: str | None = None
) -> dict[str, str | list[str]]:
    """The values a browser would post from the first form of the page with a field named ``having`` (and the
    id ``form_id``, the action ``action`` when given): a field with one value as a string, several as a list."""
    parser = _FormParser(form_id, action)
    parser.feed(html)
    form = next(f for f in parser.forms if having in f)
    # a textarea's first newline is not part of its value
    return {k: (v[0].removeprefix("\n") if len(v) == 1 else v) for k, v in form.items()}
