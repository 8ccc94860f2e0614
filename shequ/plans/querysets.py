"""The scope rules of plans, targets, tasks and import drafts: each model's ``objects.visible_to(actor, perm)``."""

from __future__ import annotations

from shequ.accounts.access import ScopedQuerySet
from shequ.accounts.roles import Perm
from shequ.core.versioning import VersionedQuerySet


class PlanQuerySet(VersionedQuerySet, ScopedQuerySet):
    """A plan is seen in the subtrees of the actor's grants, by a 专干 only in the areas they work on."""

    scope_area_field = "area"


class TargetQuerySet(VersionedQuerySet, ScopedQuerySet):
    """A target goes with its plan."""

    scope_field = "plan__org"
    scope_area_field = "plan__area"


class TaskQuerySet(VersionedQuerySet, ScopedQuerySet):
    """A task is seen in the subtree of the org it belongs to."""


class PlanImportQuerySet(ScopedQuerySet):
    """The scope rule of import drafts: working material of those who may edit the org's plans."""

    scope_perm = Perm.EDIT_PLANS
