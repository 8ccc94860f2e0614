"""The ledgers every app declares, by code.

Each app sets ``ledgers`` on its ``AppConfig`` in ``ready()`` (a tuple of
:class:`~shequ.ledgers.declare.Ledger`), as it declares its navigation and dashboard cards
(``shequ.core.registry``); the export view and the ledger pages read them here. Nothing is imported
by name at run time.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps

from shequ.ledgers.declare import Ledger


def _declared() -> dict[str, Ledger]:
    by_code: dict[str, Ledger] = {}
    for config in apps.get_app_configs():
        for ledger in getattr(config, "ledgers", ()):
            if by_code.get(ledger.code, ledger) is not ledger:
                raise ValueError(f"ledger code {ledger.code!r} is declared twice")
            by_code[ledger.code] = ledger
    return by_code


class LedgerRegistry:
    """Read-only view of the declared ledgers."""

    def get(self, code: str) -> Ledger | None:
        return _declared().get(code)

    def __iter__(self) -> Iterator[Ledger]:
        return iter(sorted(_declared().values(), key=lambda ledger: ledger.code))

    def __contains__(self, code: object) -> bool:
        return code in _declared()


ledgers = LedgerRegistry()
