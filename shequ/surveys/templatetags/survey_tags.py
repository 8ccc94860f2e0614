from django import template

from shequ.surveys.entry import letter

register = template.Library()


@register.filter
def option_letter(i: int) -> str:
    """0 → A, 1 → B …"""
    return letter(int(i))
