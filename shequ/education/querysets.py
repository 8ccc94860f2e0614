"""The scope rules of courses and what hangs from them: each model's ``objects.visible_to(actor, perm)``.

A course belongs to an org (a 社区学院, 社区学校, 教学点 or a community) and the education line of work: staff see
it in the subtrees of their grants. A teacher (``Perm.TEACH``) sees only the courses they teach, and through them
their learners and sessions.
"""

from __future__ import annotations

from django.db.models import Q

from shequ.accounts.access import ScopedQuerySet, resolve
from shequ.accounts.roles import Perm


class _TeachingScope(ScopedQuerySet):
    scope_area_field = "area"
    teacher_field = "teacher__user"

    def visible_to(self, actor, perm: str | None = None):
        perm = perm or self.scope_perm
        q = resolve(actor).rows_q(perm, field=self.scope_field, area_field=self.scope_area_field)
        if perm == Perm.TEACH:
            q &= Q(**{self.teacher_field: getattr(actor, "pk", None)})
        return self.filter(q)

    def taught_or_visible(self, actor):
        """What the actor sees as staff (``Perm.VIEW``) or teaches."""
        scope = resolve(actor)
        staff = scope.rows_q(Perm.VIEW, field=self.scope_field, area_field=self.scope_area_field)
        teach = scope.rows_q(Perm.TEACH, field=self.scope_field, area_field=self.scope_area_field)
        return self.filter(staff | (teach & Q(**{self.teacher_field: getattr(actor, "pk", None)})))


class LecturerQuerySet(ScopedQuerySet):
    """The lecturer pool of an org: seen as the org's other education data."""

    scope_area_field = "area"


class CourseQuerySet(_TeachingScope):
    pass


class CoursePartQuerySet(_TeachingScope):
    """Sessions and enrolments go with their course."""

    scope_field = "course__org"
    scope_area_field = "course__area"
    teacher_field = "course__teacher__user"


class CalendarQuerySet(ScopedQuerySet):
    """A calendar is seen by whoever sees its school or district."""
