"""The indicator catalogue: every noun and indicator the apps declare on their ``AppConfig``, checked once.

``nouns()`` and ``indicators()`` read ``apps.get_app_configs()`` (see :mod:`shequ.core.indicators`); the
system check :func:`check_catalogue` refuses a catalogue in which an indicator names a noun, a condition,
a sum or a distinct field nobody declared, or in which two declarations share a code.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

from django.apps import apps
from django.core import checks

from shequ.core.indicators import Indicator, Measure, Noun


def _declared(attr: str) -> list:
    return [item for config in apps.get_app_configs() for item in getattr(config, attr, ())]


def nouns() -> dict[str, Noun]:
    """Every declared noun, with the conditions other apps add to it (read once: the declarations are fixed
    when the apps are loaded; the dict is shared, not to be changed)."""
    return _nouns() if apps.ready else _read_nouns()


def indicators() -> dict[str, Indicator]:
    """Every declared indicator by code (read once, as :func:`nouns`)."""
    return _indicators() if apps.ready else _read_indicators()


def _read_nouns() -> dict[str, Noun]:
    out: dict[str, Noun] = {}
    for noun in _declared("nouns"):
        out.setdefault(noun.code, noun)
    for extension in _declared("noun_conditions"):
        noun = out.get(extension.noun)
        if noun is not None:
            out[noun.code] = dataclasses.replace(noun, conditions={**noun.conditions, **extension.conditions})
    return out


def _read_indicators() -> dict[str, Indicator]:
    out: dict[str, Indicator] = {}
    for indicator in _declared("indicators"):
        out.setdefault(indicator.code, indicator)
    return out


_nouns = functools.cache(_read_nouns)
_indicators = functools.cache(_read_indicators)


def get(code: str) -> Indicator | None:
    return indicators().get(code)


def choices() -> list[tuple[str, str]]:
    """(code, "条线 · 名称") of every indicator, for forms."""
    return [(i.code, i.name) for i in sorted(indicators().values(), key=lambda i: (i.area, i.code))]


def _measure_problems(where: str, m: Measure, known: dict[str, Noun]) -> Iterable[str]:
    noun = known.get(m.noun)
    if noun is None:
        yield f"{where}: no noun {m.noun!r}"
        return
    for name in m.where:
        if name not in noun.conditions:
            yield f"{where}: noun {m.noun!r} has no condition {name!r}"
    if m.sum and m.sum not in noun.sums:
        yield f"{where}: noun {m.noun!r} has no sum {m.sum!r}"
    if m.count.startswith("distinct:") and m.count.removeprefix("distinct:") not in noun.distinct:
        yield f"{where}: noun {m.noun!r} has no distinct field {m.count!r}"


def problems() -> list[str]:
    """What is wrong with the declared catalogue (empty when all is well)."""
    out: list[str] = []
    seen_nouns: set[str] = set()
    for noun in _declared("nouns"):
        if noun.code in seen_nouns:
            out.append(f"noun {noun.code!r} is declared twice")
        seen_nouns.add(noun.code)
    for extension in _declared("noun_conditions"):
        if extension.noun not in seen_nouns:
            out.append(f"conditions for an undeclared noun {extension.noun!r}")
    known = nouns()
    seen: set[str] = set()
    for ind in _declared("indicators"):
        if ind.code in seen:
            out.append(f"indicator {ind.code!r} is declared twice")
        seen.add(ind.code)
        if ind.period != "year":
            out.append(f"indicator {ind.code!r}: only yearly indicators are computed")
        keys = list(ind.populations) or [""]
        for key in keys:
            num, den = ind.sides(key)
            out += _measure_problems(f"{ind.code} numerator", num, known)
            if den is not None:
                out += _measure_problems(f"{ind.code} denominator", den, known)
        if ind.sample is not None:
            out += _measure_problems(f"{ind.code} sample", ind.sample, known)
    return out


def check_catalogue(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    hint = "shequ/core/indicators.py explains the declarations"
    return [checks.Error(p, id="plans.E101", hint=hint) for p in problems()]
