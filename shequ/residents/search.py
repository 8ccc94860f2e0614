"""Search terms that must not travel in addresses: a whole phone or ID number typed into the registry's search.

The list's search form is posted; what goes into the address afterwards (the page's own URL, its pages, the
export links) carries such a term only sealed (``qk``: authenticated encryption bound to the user, so the
access log, the browser's history and a copied link never hold the number, and another account cannot open
it). Short terms — names, pinyin initials, the last 4–6 digits of an ID number — stay as they are (``q``).
"""

from __future__ import annotations

from django.http import QueryDict

from shequ.core import crypto
from shequ.residents import idnumbers

CONTEXT = "residents.search"
SEALED = "qk"
NOT_IN_ADDRESS = {"csrfmiddlewaretoken", "page"}


def is_whole_number(text: str | None) -> bool:
    """A term with seven digits or more: a phone number or (most of) an ID number."""
    return sum(ch.isdigit() for ch in idnumbers.normalize(text or "")) >= 7


def _context(user) -> str:
    return f"{CONTEXT}:{user.pk}"


def seal(user, term: str) -> str:
    return crypto.encrypt(term, context=_context(user))


def open_sealed(user, token: str) -> str:
    """The term of a sealed token made for this user; "" for anything else (another's link, a broken one)."""
    try:
        return crypto.decrypt(token, context=_context(user))[:100]
    except crypto.DecryptionError:
        return ""


def address_params(user, data: QueryDict) -> QueryDict:
    """The filters as the address may carry them: a whole number sealed, no page, no CSRF token."""
    out = QueryDict(mutable=True)
    for key, values in data.lists():
        if key in NOT_IN_ADDRESS or key == SEALED:
            continue
        values = [v for v in values if v != ""]
        if key == "q" and values and is_whole_number(values[0]):
            out[SEALED] = seal(user, values[0].strip())
            continue
        if values:
            out.setlist(key, values)
    if SEALED not in out and data.get(SEALED) and not data.get("q"):
        out[SEALED] = data[SEALED]
    return out


def form_params(user, data: QueryDict) -> QueryDict:
    """The filters as the search form reads them: a sealed term opened into ``q``."""
    out = data.copy()
    token = out.pop(SEALED, None)
    if token and not out.get("q"):
        out["q"] = open_sealed(user, token[0])
    return out
