"""Form helpers of the ground floor: the one way a page posts a form to a service, and a multi-file field."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from shequ.core import phones
from shequ.core.versioning import StaleEdit, VersionedForm

T = TypeVar("T")


def add_service_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where the field exists."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@dataclass(frozen=True)
class Posted(Generic[T]):
    """What became of a post: true when the service did its work (``result`` is what it returned).

    ``error`` is the service's refusal when there was one (a caller may read more from it, e.g. the duplicate it
    found); ``refused`` is true when that refusal was one of the kinds the caller asked to see as a message."""

    ok: bool
    result: T | None = None
    error: ValidationError | None = None
    refused: bool = False

    def __bool__(self) -> bool:
        return self.ok

    @property
    def done_or_refused(self) -> bool:
        """True when the page should go back where it came from: the work is done, or it was refused outright
        (the refusal is already a message); false when the form should be shown again with its errors."""
        return self.ok or self.refused


def joined(texts: Iterable[str]) -> str:
    """Several Chinese messages as one line: a sentence that ends with its own stop needs no separator."""
    out = ""
    for text in texts:
        if out and not out.endswith(("。", "！", "？", "；")):
            out += "；"
        out += text
    return out


Success = str | Callable[[Any], str]
Refusals = type[ValidationError] | tuple[type[ValidationError], ...]


def _flash(request: HttpRequest, success: Success, result: Any) -> None:
    text = success(result) if callable(success) else success
    if text:
        messages.success(request, text)


def form_post(
    request: HttpRequest,
    form: forms.BaseForm,
    call: Callable[[dict[str, Any]], T],
    *,
    success: Success = "",
    refusals: Refusals = (),
    also: Iterable[forms.BaseForm | forms.BaseFormSet | None] = (),
) -> Posted[T]:
    """Call the service with the form's cleaned data, once the form was posted and is valid.

    The service's ValidationError goes onto the form (by field where the field exists), so the page renders
    again with its Chinese message and with what was typed; a refusal of a kind in ``refusals`` (a move the
    workflow does not allow) becomes an error message instead. Forms or formsets posted with it (``also``; None
    stands for one the page does not show) are all validated, and the service is called only when every one is
    valid. On success ``success`` (a text, or a function of
    the result) is flashed. Typical use::

        posted = form_post(request, form, lambda d: services.plan_create(actor=request.user, **d), success="已新建。")
        if posted:
            return redirect("plans:detail", pk=posted.result.pk)
        return render(request, "plans/form.html", {"form": form})
    """
    if request.method != "POST":
        return Posted(ok=False)
    valid = form.is_valid()
    for other in also:
        valid = (other is None or other.is_valid()) and valid
    if not valid:
        return Posted(ok=False)
    try:
        result = call(form.cleaned_data)
    except refusals as exc:
        messages.error(request, joined(exc.messages))
        return Posted(ok=False, error=exc, refused=True)
    except StaleEdit as exc:
        # Someone saved the row after this form was opened: say what changed, keep what was typed.
        versioned = [f for f in (form, *also) if isinstance(f, VersionedForm) and f.versioned_model is exc.model]
        stale = versioned[0] if versioned else None
        if stale is not None:
            stale.stale(exc)
            if stale is not form:
                form.add_error(None, joined(stale.non_field_errors()))
        else:
            add_service_errors(form, exc)
        return Posted(ok=False, error=exc)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return Posted(ok=False, error=exc)
    _flash(request, success, result)
    return Posted(ok=True, result=result)


def action_post(request: HttpRequest, call: Callable[[], T], *, success: Success = "") -> Posted[T]:
    """Call a service for a button without a form (delete, retire, close): its refusal becomes an error message."""
    try:
        result = call()
    except ValidationError as exc:
        messages.error(request, joined(exc.messages))
        return Posted(ok=False, error=exc, refused=True)
    _flash(request, success, result)
    return Posted(ok=True, result=result)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (photos from a phone), cleaned to a list; services check each
    again (images by content)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class PhoneField(forms.CharField):
    """A phone number typed into a form (the model keeps it encrypted): 7 to 16 digits once separators, a +86 prefix
    and an extension are set aside; blank allowed."""

    def __init__(self, label: str = "联系电话", **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("required", False)
        super().__init__(label=label, **kwargs)
        self.widget.attrs.update({"type": "tel", "inputmode": "tel"})

    def clean(self, value: Any) -> str:
        text = (super().clean(value) or "").strip()
        if text and not 7 <= len(phones.digits(text)) <= 16:
            raise ValidationError("请填写有效的电话号码（手机11位，座机请带区号，如 010-12345678）。")
        return text


class EncryptedPhonesForm(forms.ModelForm):
    """A ModelForm whose model keeps phone numbers encrypted (``EncryptedPhone``): declare each as a
    :class:`PhoneField` of the same name; an instance's plain number is its initial value, and the typed number is
    set on the instance (saving it writes the cipher and the hashes)."""

    def _phone_names(self) -> list[str]:
        model = self._meta.model
        return [n for n in self.fields if isinstance(getattr(model, n, None), phones.EncryptedPhone)]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self._phone_names():
            if self.instance.pk is not None and name not in self.initial:
                self.initial[name] = getattr(self.instance, name)

    def _post_clean(self) -> None:
        super()._post_clean()
        for name in self._phone_names():
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
