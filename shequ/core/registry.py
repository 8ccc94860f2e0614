"""What an app adds to the site around it: navigation entries, dashboard cards, demo steps, ledgers, indicators,
panels on a person's page and sections of the residents' public board.

Each app's ``AppConfig`` subclasses :class:`ShequAppConfig` and declares its own contributions:
navigation entries as a class attribute, dashboard cards and demo steps in ``ready()`` (their
functions import models, which are not loaded when ``apps.py`` is). The site shell
(``shequ.site``) reads them through :func:`nav_entries`, :func:`dashboard_sources` and
:func:`demo_steps`, sorted by ``order``: no app imports the shell, and the shell names no app.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.apps import AppConfig, apps


@dataclass(frozen=True)
class NavEntry:
    """One link of the worker side's navigation, shown to users with ``perm`` somewhere (None: everyone).

    A line of work that only some roles use names them (``roles``: role codes), and one that exists only at some
    kinds of org names those (``kinds``: org kind codes, e.g. no residents' registry at a school; a unit of one type
    as ``"unit:school"``): the link is shown when one of the user's memberships has such a role, at such an org,
    with ``perm``."""

    order: int
    label: str
    url_name: str
    perm: str | None = None
    roles: frozenset[str] = frozenset()
    kinds: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DashboardCards:
    """A provider of the workbench's cards: ``cards(user)`` returns quick actions (``{"label", "action"}``), lists of
    what needs doing (``{"label", "value", "items": [{"text", "note", "url", "tone"}]}``), charts (``{"label",
    "chart", …}``) or figures (``{"label", "value", "url"?, "hint"?, "tone"?}``), every count from a scoped selector."""

    order: int
    cards: Callable[[Any], list[dict]]


@dataclass(frozen=True)
class DemoStep:
    """A step of ``manage.py demo``: ``run(ctx, options)`` must be idempotent; ``add_arguments(parser)``
    adds the step's command-line options."""

    order: int
    run: Callable[[Any, dict], None]
    add_arguments: Callable[[ArgumentParser], None] | None = None


@contextmanager
def demo_clock(at: datetime) -> Iterator[None]:
    """The demo's steps write a past year's work at the time it was done (time-machine, loaded here and only by
    ``manage.py demo``: every process imports the apps' demo modules, and the library brings pytest with it)."""
    import time_machine

    with time_machine.travel(at, tick=False):
        yield


@dataclass(frozen=True)
class PersonPanel:
    """A panel on a person's page (and, per member, on their household's page), declared by a line of work that
    knows something about persons (the groups a person serves in) so that the registry need not import it.

    ``rows(actor, person_ids)`` returns ``{person_id: [{"text", "url"?, "note"?}]}`` read through the line's own
    scope door, in a fixed number of queries whatever the number of persons."""

    order: int
    title: str
    rows: Callable[[Any, list[int]], dict[int, list[dict]]]


@dataclass(frozen=True)
class BoardSection:
    """A section of a community's public board on the residents' side (公开栏): ``items(community)`` returns
    ``[{"title", "text", "note"?, "progress"?}]``, only what the community has made public, in a fixed number of
    queries."""

    order: int
    title: str
    items: Callable[[Any], list[dict]]


class ShequAppConfig(AppConfig):
    """An app of Shequ, with what it adds to the site shell (nothing by default).

    Apps subclass it through the module (``registry.ShequAppConfig``): a class imported by name into
    ``apps.py`` would be one more candidate for Django's choice of the app's configuration.
    """

    nav: tuple[NavEntry, ...] = ()
    dashboard_cards: tuple[DashboardCards, ...] = ()
    demo_steps: tuple[DemoStep, ...] = ()
    # The Chinese names of the audit actions the app writes ("case.register": "登记事项"), read by shequ.audit.
    audit_actions: dict[str, str] = {}
    ledgers: tuple[Any, ...] = ()  # the app's ledgers (shequ.ledgers.declare.Ledger), read by shequ.ledgers.registry
    # The indicator catalogue (shequ.core.indicators), read by shequ.plans.indicators.
    nouns: tuple[Any, ...] = ()
    noun_conditions: tuple[Any, ...] = ()
    indicators: tuple[Any, ...] = ()
    person_panels: tuple[PersonPanel, ...] = ()  # read by the residents' person and household pages
    # Links on the residents' side for users with the entry's right somewhere (a helper's own page), read by the shell.
    portal_links: tuple[NavEntry, ...] = ()
    board_sections: tuple[BoardSection, ...] = ()  # read by the portal's public board
    # fn(today) -> the app's reminders (shequ.plans.models.Reminder, unsaved), read by shequ.plans.reminders.
    reminders: tuple[Callable[[Any], list], ...] = ()
    # fn(actor, record, person_ids): called by shequ.records' record_update, in its transaction, when a record's
    # sign-in list (Record.persons) is replaced, so that what hangs from a record (a meeting's sign-in) follows it.
    signin_followers: tuple[Callable[[Any, Any, list[int]], None], ...] = ()


def _declared(attr: str) -> list:
    items = [item for config in apps.get_app_configs() for item in getattr(config, attr, ())]
    return sorted(items, key=lambda item: item.order)


def nav_entries() -> list[NavEntry]:
    return _declared("nav")


def dashboard_sources() -> list[DashboardCards]:
    return _declared("dashboard_cards")


def demo_steps() -> list[DemoStep]:
    return _declared("demo_steps")


def person_panels() -> list[PersonPanel]:
    return _declared("person_panels")


def portal_links() -> list[NavEntry]:
    return _declared("portal_links")


def board_sections() -> list[BoardSection]:
    return _declared("board_sections")


def signin_followers() -> list[Callable[[Any, Any, list[int]], None]]:
    return [fn for config in apps.get_app_configs() for fn in getattr(config, "signin_followers", ())]
