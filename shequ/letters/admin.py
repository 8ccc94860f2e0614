from django.contrib import admin

from shequ.audit.admin import AuditedAdmin
from shequ.letters.models import LetterKind


@admin.register(LetterKind)
class LetterKindAdmin(AuditedAdmin):
    """Letter kinds and their clauses are data an administrator keeps."""

    list_display = ("name", "area", "holders", "sort")
    list_filter = ("area", "holders")
