"""One filter definition per list (django-filter): the list page, its htmx refresh and the API list build the same
:class:`ActorFilterSet` from the query string, for the acting user.

Each app declares its FilterSets in its ``filters.py``::

    f = RecordFilter(request.GET, queryset=Record.objects.visible_to(actor), actor=actor)
    page = paginate(request, f.rows)          # a page: no rows while a value is invalid, the form shows why
    return f.rows_or_error()                  # the API: a 400 in the one error shape (FilterError)

The form the FilterSet builds renders the filter bar: Chinese labels, the values as typed, Chinese errors.
An org or grid filter (:class:`SubtreeFilter`) takes the org ids of the subtree from the actor's resolved scope
(``actor.scope``, the door's ``access.Scope``) and writes them as constants, never a subquery over the tree; an org
outside the actor's scope filters to nothing, exactly as one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

MAX_ID = 2**31 - 1
ALL = "全部"

Choices = list[tuple[Any, str]]


class FilterError(ValidationError):
    """An invalid filter value in an API list: a 400 with the Chinese message of each field."""

    message_text = "筛选条件有误。"


class FlatSelect(forms.Select):
    """A list of plain options written in one pass. Django draws each option through two templates of its own (about
    a tenth of a millisecond each): a district's filter bar offers its 600 orgs and grids, which took 200 ms of
    every list page at any size of data. No option groups; the choices are (value, label) pairs."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((v, " selected" if str(v) in chosen else "", label) for v, label in self.choices),
        )
        final = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, final, options)


class ChoiceFilter(django_filters.Filter):
    """A choice among ``choices`` (a list, or a function of no argument read once per FilterSet, see
    :meth:`ActorFilterSet.choices`); an unknown value is an error. The first choice is the empty one (全部)."""

    field_class = forms.ChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FlatSelect)
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.Filter):
    """A whole number (a year, an object id)."""

    field_class = forms.IntegerField


class FlagFilter(django_filters.Filter):
    """A checkbox: on filters (``field_name`` is true), off filters nothing. A ``method`` is called either way (it
    gets False when off) and must let the rows through then."""

    field_class = forms.BooleanField

    def filter(self, qs, value):
        return super().filter(qs, value) if value else qs


class SubtreeFilter(django_filters.Filter):
    """An org (or grid) and everything below it, in the actor's scope: ``<field_name>__in`` the subtree's ids as
    constants from the scope door. Outside the scope (or not an org at all) the list is empty."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("widget", FlatSelect)
        kwargs.setdefault("error_messages", {"invalid": "请从列表中选择。", "min_value": "请从列表中选择。"})
        kwargs["error_messages"].setdefault("max_value", "请从列表中选择。")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        scope = getattr(self.parent.actor, "scope", None)
        ids = scope.subtree_ids(value) if scope is not None else []
        return qs.filter(**{f"{self.field_name}__in": ids})


class FilterForm(forms.Form):
    """The form of a FilterSet: its fields' ids start with ``auto_id`` of the FilterSet (``f-org``)."""

    auto_id_format = "f-%s"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", self.auto_id_format)
        super().__init__(*args, **kwargs)

    def shown_fields(self) -> list[forms.BoundField]:
        """The visible fields of the bar, less a list that offers nothing but 全部 (no grid in the scope)."""
        shown = []
        for bf in self.visible_fields():
            choices = getattr(bf.field.widget, "choices", None)
            if isinstance(bf.field.widget, forms.Select) and choices is not None and len(list(choices)) <= 1:
                continue
            shown.append(bf)
        return shown


class ActorFilterSet(django_filters.FilterSet):
    """A FilterSet for one actor (``actor=``): its org filters read the actor's scope, its choices may depend on
    the actor. ``rows`` serves a page, :meth:`rows_or_error` an API list."""

    auto_id = "f-%s"

    def __init__(self, data=None, queryset=None, *, actor, request=None, prefix=None):
        self.actor = actor
        self._choices: dict[str, Choices] = {}
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.setup()

    def setup(self) -> None:
        """Give the filters what depends on the actor (choices); called once the filters are copied."""

    def choices(self, name: str, read: Callable[[], Iterable[tuple[Any, str]]], *, empty: str | None = ALL) -> None:
        """Offer ``read()`` (with ``empty`` first) as the choices of filter ``name``: read at most once, when the
        value is checked or the bar is drawn, so an API call that does not use the filter reads nothing."""

        def cached() -> Choices:
            if name not in self._choices:
                head: Choices = [("", empty)] if empty is not None else []
                self._choices[name] = head + [(str(k), v) for k, v in read()]
            return self._choices[name]

        flt = self.filters[name]
        if issubclass(flt.field_class, forms.ChoiceField):
            flt.extra["choices"] = cached
        else:  # a number or an org picked from a list: checked as a number, drawn as a list
            # Django 5 reads callable choices when the widget is drawn (the stubs know only iterables)
            flt.extra["widget"] = FlatSelect(choices=cached)  # type: ignore[arg-type]

    def get_form_class(self):
        base = super().get_form_class()
        return type(str(f"{self.__class__.__name__}Form"), (FilterForm, base), {"auto_id_format": self.auto_id})

    @property
    def invalid(self) -> bool:
        return self.is_bound and not self.form.is_valid()

    @property
    def rows(self) -> QuerySet:
        """The filtered rows; none while a value is invalid (the page shows the form's errors and what was typed)."""
        if self.invalid:
            return self.queryset.none()
        return self.qs

    def rows_or_error(self) -> QuerySet:
        """The filtered rows, or :class:`FilterError` naming each invalid value in Chinese (the API's 400)."""
        if self.invalid:
            raise FilterError({name: [str(e) for e in errors] for name, errors in self.form.errors.items()})
        return self.qs

    @property
    def active(self) -> bool:
        """Whether any filter was given a value (the page says 已筛选)."""
        return any(self.data.get(self.form.add_prefix(name)) not in (None, "") for name in self.filters)

    def value(self, name: str, default: Any = None) -> Any:
        """The cleaned value of filter ``name`` (``default`` when empty or invalid)."""
        if not self.is_bound or not self.form.is_valid():
            return default
        value = self.form.cleaned_data.get(name)
        return default if value in (None, "") else value
