"""The care lists' one filter definition (本月未走访, 即将到期): over the persons under care the actor sees, by
community, grid, helper and group of people."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from shequ.accounts.models import User
from shequ.care.models import Category, HelperPair
from shequ.core.filters import ActorFilterSet, ChoiceFilter, IntegerFilter, SubtreeFilter
from shequ.orgs.fields import path_choices
from shequ.residents import selectors as residents
from shequ.residents.models import Person

LISTS = [("due", "本月未走访"), ("soon", "即将到期"), ("all", "全部帮扶对象")]


class DueFilter(ActorFilterSet):
    show = ChoiceFilter(label="名单", choices=LISTS, method="keep")
    org = SubtreeFilter(field_name="org_id", label="社区/村")
    grid = SubtreeFilter(field_name="grid_id", label="网格")
    helper = IntegerFilter(label="帮扶人", method="filter_helper")
    category = ChoiceFilter(label="人群", choices=[("", "全部"), *Category.choices], method="keep")

    class Meta:
        model = Person
        fields: list[str] = []

    def setup(self) -> None:
        self.choices("org", lambda: path_choices(residents.communities_for(self.actor)))
        self.choices("grid", lambda: path_choices(residents.grids_for(self.actor).order_by("path")))
        self.choices("helper", self._helpers)

    def _helpers(self):
        today = timezone.localdate()
        pairs = HelperPair.objects.visible_to(self.actor).active_on(today).values("helper_id")
        return [(u.pk, u.name or u.username) for u in User.objects.filter(pk__in=pairs).order_by("name", "username")]

    def keep(self, qs, name, value):
        return qs  # read by the view: which list, which group of people

    def filter_helper(self, qs, name, value):
        today = timezone.localdate()
        pairs = HelperPair.objects.visible_to(self.actor).active_on(today).filter(helper_id=value)
        return qs.filter(Q(pk__in=pairs.values("person_id")))
