"""Optimistic locking (编辑冲突) for what people edit in forms: a version on the row.

Every save of a :class:`Versioned` row is a conditional UPDATE (``WHERE pk = … AND version = …``) that moves the
version on by one, and every ``QuerySet.update`` of its rows moves it on too (:class:`VersionedQuerySet`), so a
change made anywhere — a form, a status move, a flag set in the background — makes the forms opened before it
stale. An edit form carries the version it was opened on and what it showed (:class:`VersionedForm`, hidden
fields); the service hands that version to :func:`expect`, and a stale save raises :class:`StaleEdit` instead of
silently reverting the other person's change. The form then shows what changed (label: 旧值 → 新值, as the other
person saved it), keeps what was typed and takes the current version, so saving again is a decision.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import F

from shequ.core import phones

SEAL_SALT = "shequ.core.versioning.seen"
SHOWN_TEXT = 40  # characters of a long text that a message shows


class VersionedQuerySet(models.QuerySet):
    """Bulk updates move the version of every row they change (unless they set it themselves)."""

    def update(self, **kwargs):
        kwargs.setdefault("version", F("version") + 1)
        return super().update(**kwargs)


class Versioned(models.Model):
    """A row people edit in forms: ``version`` moves on with every change (see the module)."""

    version = models.PositiveIntegerField("版本", default=1, editable=False)

    # Fields a stale edit's message names besides those of the form (a state a move changed, say).
    version_shown: tuple[str, ...] = ()
    # Plain values that are not columns (a number kept encrypted), by name, with their label: tracked like fields.
    version_values: dict[str, str] = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs) -> None:
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        rows = type(self)._base_manager.using(using)
        expected = self.version
        with transaction.atomic(using=using, savepoint=False):
            # The claim: only the writer that read the current version moves it on (a concurrent one waits for
            # the row and then finds no row of its version: it is refused, not silently overwriting).
            claimed = rows.filter(pk=self.pk, version=expected).update(version=expected + 1)
            if claimed:
                self.version = expected + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
                super().save(*args, **kwargs)
        if not claimed:
            raise StaleEdit(rows.filter(pk=self.pk).first(), model=type(self))


def expect(instance: Versioned, version: int | None) -> None:
    """The version the person's form was opened on (``None``: a caller without one expects the version the
    instance was read with). Refused at once when the row read in this request is already past it; else the
    save's conditional UPDATE refuses if someone saves in between."""
    if version is None:
        return
    if instance.version != version:
        model = type(instance)
        raise StaleEdit(model._base_manager.filter(pk=instance.pk).first(), model=model, sent=version)
    instance.version = version


def _noun(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name)


class StaleEdit(ValidationError):
    """The row changed after the form was opened; ``current`` is the row as it is now (None: deleted)."""

    def __init__(self, current: Versioned | None, *, model: type[models.Model], sent: int | None = None):
        self.current = current
        self.model = model
        self.version = current.version if current is not None else None
        if current is None:
            message = f"保存未成功：此{_noun(model)}已被他人删除。"
        else:
            sent_text = f"您提交的是第{sent}版，" if sent is not None else ""
            message = (
                f"保存未成功：您打开此{_noun(model)}后，他人已修改并保存（{sent_text}现为第{current.version}版）。"
                "请重新打开后再修改。"
            )
        super().__init__(message, code="stale")


# --- what a form showed, and what changed since ------------------------------------------------------


def _tracked(model: type[models.Model], names: Iterable[str]) -> list[models.Field]:
    wanted = {*names, *getattr(model, "version_shown", ())}
    out = []
    for field in model._meta.concrete_fields:
        if field.name == "version" or field.primary_key:
            continue
        if field.name in wanted or field.attname in wanted:
            out.append(field)
    return out


def _long(field: models.Field) -> bool:
    return isinstance(field, models.TextField | models.JSONField)


def _raw(instance: models.Model, field: models.Field) -> str:
    value = getattr(instance, field.attname)
    if value is None:
        return ""
    if _long(field):
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
        if not text:
            return ""
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        shown = text[:SHOWN_TEXT] + ("…" if len(text) > SHOWN_TEXT else "")
        return f"{digest}|{shown}"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _values(model: type[models.Model], names: Iterable[str]) -> dict[str, str]:
    declared = {
        **{n: v.label for n, v in vars(model).items() if isinstance(v, phones.EncryptedPhone)},
        **getattr(model, "version_values", {}),
    }
    return {name: declared[name] for name in names if name in declared}


def snapshot(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """The values of the form's fields (and the model's ``version_shown``) as the form showed them."""
    names = list(names)
    out = {f.name: _raw(instance, f) for f in _tracked(type(instance), names)}
    for name in _values(type(instance), names):
        out[name] = str(getattr(instance, name) or "")
    return out


def _display(field: models.Field, raw: str) -> str:
    if raw == "":
        return "（空）"
    if _long(field):
        return raw.split("|", 1)[1]
    if isinstance(field, models.BooleanField):
        return "是" if raw == "True" else "否"
    if field.choices:
        return str({str(k): v for k, v in field.flatchoices}.get(raw, raw))
    if field.is_relation and field.related_model is not None:
        related = field.related_model._base_manager.filter(pk=raw).first()
        return str(related) if related is not None else "（已删除）"
    return raw


def changes(model: type[models.Model], seen: dict[str, str], current: models.Model) -> list[tuple[str, str, str]]:
    """(label, value the form showed, value now) for each field that changed since."""
    out = []
    for field in _tracked(model, seen):
        if field.name not in seen:
            continue
        now = _raw(current, field)
        if now != seen[field.name]:
            label = str(field.verbose_name)
            out.append((label, _display(field, seen[field.name]), _display(field, now)))
    for name, label in _values(model, seen).items():
        now = str(getattr(current, name) or "")
        if now != seen[name]:
            out.append((label, seen[name] or "（空）", now or "（空）"))
    return out


def stale_message(model: type[models.Model], listed: list[tuple[str, str, str]]) -> str:
    noun = _noun(model)
    what = "；".join(f"{label}：{old} → {new}" for label, old, new in listed)
    changed = f"（{what}）" if what else ""
    return (
        f"保存未成功：您打开此{noun}后，他人已修改并保存{changed}。"
        "您填写的内容仍在下面，请核对；再次保存将以您填写的为准。"
    )


def seal(data: dict[str, str]) -> str:
    return signing.dumps(data, salt=SEAL_SALT, compress=True)


def unseal(token: str) -> dict[str, str] | None:
    try:
        data = signing.loads(token or "", salt=SEAL_SALT)
    except signing.BadSignature:
        return None
    return data if isinstance(data, dict) else None


class VersionedForm(forms.BaseForm):
    """A form that edits a :class:`Versioned` row: call ``carry_version(instance)`` after building it.

    Two hidden fields travel with it: the version it was opened on and (signed) what it showed. After
    ``is_valid()`` the version is ``form.version`` (and is not in ``cleaned_data``); ``form_post`` calls
    ``stale(exc)`` on a :class:`StaleEdit`, which puts the changes on the form and takes the current version."""

    version: int | None = None
    versioned_model: type[models.Model] | None = None

    def carry_version(self, instance: Versioned, names: Iterable[str] | None = None) -> None:
        self.versioned_model = type(instance)
        shown = list(names) if names is not None else list(self.fields)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
        self.fields["seen"] = forms.CharField(widget=forms.HiddenInput, required=False)
        # A form for a row not yet made says 0: if someone made it meanwhile, that save is stale too.
        self.initial["version"] = instance.version if instance.pk else 0
        self.initial["seen"] = seal(snapshot(instance, shown))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data is not None:
            self.version = data.pop("version", None)
            data.pop("seen", None)
        return data if data is not None else self.cleaned_data

    def stale(self, exc: StaleEdit) -> None:
        model = self.versioned_model or exc.model
        if exc.current is None:
            self.add_error(None, exc.messages[0])
            return
        seen = unseal(self.data.get(self.add_prefix("seen"), "")) if self.is_bound else None
        listed = changes(model, seen, exc.current) if seen else []
        self.add_error(None, stale_message(model, listed))
        names = list(seen) if seen else [n for n in self.fields if n not in ("version", "seen")]
        data = self.data.copy()
        data[self.add_prefix("version")] = str(exc.current.version)
        data[self.add_prefix("seen")] = seal(snapshot(exc.current, names))
        self.data = data
