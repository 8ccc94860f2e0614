"""The task list's one filter definition: the task page, its htmx refresh and ``GET /api/plans/tasks``."""

from __future__ import annotations

from django import forms

from shequ.core.filters import ActorFilterSet, ChoiceFilter, FlagFilter, IntegerFilter
from shequ.plans.models import Task, TaskStatus

OPEN = "open"


class TaskFilter(ActorFilterSet):
    """``status`` is a state, ``open`` (未完成: 待办 or 进行中) or empty (全部); the task page asks for ``open``
    when the address names no status (:meth:`page_data`), the API for every task."""

    status = ChoiceFilter(
        label="状态", choices=[(OPEN, "未完成"), ("", "全部"), *TaskStatus.choices], method="filter_status"
    )
    year = IntegerFilter(
        label="年度",
        min_value=1990,
        max_value=2100,
        widget=forms.NumberInput,
        error_messages={"min_value": "年度应在1990年至2100年之间。", "max_value": "年度应在1990年至2100年之间。"},
    )
    mine = FlagFilter(label="只看我负责的", method="filter_mine")

    class Meta:
        model = Task
        fields: list[str] = []

    @staticmethod
    def page_data(params):
        """The page's query: 未完成 unless the address names a status (an empty one is 全部)."""
        if "status" in params:
            return params
        data = params.copy()
        data["status"] = OPEN
        return data

    def filter_status(self, qs, name, value):
        if value == OPEN:
            return qs.filter(status__in=[TaskStatus.TODO, TaskStatus.DOING])
        return qs.filter(status=value)

    def filter_mine(self, qs, name, value):
        return qs.filter(owner=self.actor) if value else qs
