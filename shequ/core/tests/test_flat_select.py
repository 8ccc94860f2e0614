"""The filter bars' lists are written in one pass: the same select as Django's own, labels escaped."""

from __future__ import annotations

from html.parser import HTMLParser

from django import forms

from shequ.core.filters import FlatSelect


def _parts(html: str) -> list[tuple]:
    """The tags (attributes in any order) and the texts of ``html``, in order."""
    out: list[tuple] = []

    class Parts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            out.append(("start", tag, sorted(attrs, key=lambda a: a[0])))

        def handle_endtag(self, tag):
            out.append(("end", tag))

        def handle_data(self, data):
            if data.strip():
                out.append(("text", data))

    Parts().feed(html)
    return out


def test_a_flat_select_draws_what_djangos_select_draws():
    choices = [("", "全部"), ("3", "和平街道 / 幸福社区"), ("12", "<b>第1网格</b> & 东")]
    for value in (None, "", "3", 12, "99"):
        attrs = {"id": "f-org", "class": "small"}
        flat = FlatSelect(choices=choices).render("org", value, attrs=attrs)
        django = forms.Select(choices=choices).render("org", value, attrs=attrs)
        assert _parts(flat) == _parts(django)
    html = FlatSelect(choices=choices).render("org", "12")
    assert '<option value="12" selected>&lt;b&gt;第1网格&lt;/b&gt; &amp; 东</option>' in html
    assert html.count(" selected") == 1
