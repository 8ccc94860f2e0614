"""Form widgets other lines of work embed to point at the registry."""

from __future__ import annotations

from django import forms


class PersonPicker(forms.Widget):
    """Pick one registry person by searching (htmx, ``residents:person_pick``); renders only the chosen
    person, never the whole registry. The form sets ``queryset`` to ``Person.objects.visible_to(actor)``."""

    template_name = "residents/widgets/person_picker.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = None

    def get_context(self, name, value, attrs):
        ctx = super().get_context(name, value, attrs)
        persons = []
        if value and str(value).isdigit() and self.queryset is not None:
            persons = list(self.queryset.filter(pk=value).select_related("org"))
        ctx["widget"]["persons"] = persons
        return ctx
