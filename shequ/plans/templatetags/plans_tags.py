"""``{% load plans_tags %}{% reminder_bell %}``: the bell with the unread reminder count (one query)."""

from __future__ import annotations

from django import template

from shequ.plans.selectors import unread_reminder_count

register = template.Library()


@register.inclusion_tag("plans/partials/bell.html", takes_context=True)
def reminder_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"count": unread_reminder_count(user) if user is not None else 0}


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "") if mapping else ""
