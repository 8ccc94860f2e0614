from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.cases import selectors, services, workflow
from shequ.cases.choices import CaseKind, CaseState
from shequ.cases.forms import ACTION_FORMS, BoardHideForm, BoardPublicForm, EntryForm, ReplyForm, action_form
from shequ.cases.services.common import limits_for
from shequ.cases.views.common import require_staff
from shequ.core import uploads
from shequ.core.forms import form_post
from shequ.core.versioning import VersionedForm

HISTORY_LABELS = {
    **workflow.ACTION_LABELS,
    "register": "登记",
    "transfer": "转办",
    "supervise_auto": "超时自动督办",
    "board_hide": "撤下交流栏",
    "board_show": "恢复交流栏展示",
}


def timeline(case) -> list[dict]:
    """History rows and handling entries, in time order (from the prefetched rows)."""
    items = [
        {
            "at": h.at,
            "type": "move",
            "label": HISTORY_LABELS.get(h.action, h.action)
            + (f":{h.detail.get('from', '')} → {h.detail.get('to', '')}" if h.action == "transfer" else ""),
            "actor": h.actor_name,
            "note": h.note,
            "state": CaseState(h.to_state).label if h.to_state else "",
            "org": h.org.name,
        }
        for h in case.history.all()
    ]
    said = {(h.at, h.note) for h in case.history.all() if h.note}
    items += [
        {
            "at": e.happened_at,
            "type": "entry",
            "label": e.get_kind_display(),
            "actor": e.actor_name,
            "note": e.text,
            "files": list(e.attachments.all()),
            "public": e.visible_to_reporter,
        }
        for e in case.entries.all()
        if (e.happened_at, e.text) not in said  # a return visit's note is already on its history row
    ]
    return sorted(items, key=lambda i: i["at"])


MEDIATION_FORMATS = [("docx", "人民调解受理登记表（Word）"), ("pdf", "（PDF）"), ("xlsx", "（Excel）")]


def _context(request, case, open_action: str = "", bound=None, extra=None) -> dict:
    user = request.user
    moves = workflow.available(user, case)
    actions = []
    for action, move in moves.items():
        form = bound if (bound is not None and action == open_action) else action_form(action, case, user)
        actions.append({"action": action, "move": move, "form": form, "open": action == open_action})
    can_handle = access.can(user, case.org, Perm.HANDLE_CASE, case.area_id)
    ctx = {
        "case": case,
        "names": selectors.case_names(user, case),  # before the timeline: it renames the rows outside scope
        "timeline": timeline(case),
        "actions": actions,
        "can_handle": can_handle,
        "show_phones": access.can(user, case.org, Perm.VIEW_SENSITIVE)
        or access.can(user, case.origin_org, Perm.VIEW_SENSITIVE),
        "can_entry": can_handle and case.state in workflow.ENTRY_STATES,
        "can_reply": can_handle and case.state in workflow.REPLY_STATES and (case.case_type.on_board or case.reporter),
        "can_board": can_handle and case.case_type.on_board,
        "entry_form": EntryForm(auto_id="id_entry_%s"),
        "reply_form": _reply_form(case),
        "board_form": BoardHideForm(auto_id="id_board_%s"),
        "public_form": BoardPublicForm(case=case),
        "today": timezone.localdate(),
        "overdue": case.is_overdue(timezone.localdate()),
        "limits": limits_for(case.case_type, case.org),
        "photos": [a for a in case.attachments.all() if a.is_image],
        "docs": [a for a in case.attachments.all() if not a.is_image],
        "kind": case.case_type.kind,
        "K": CaseKind,
        "can_mediation_form": case.case_type.kind == CaseKind.DISPUTE
        and access.can(user, case.origin_org, Perm.EXPORT, case.area_id),
        "mediation_formats": MEDIATION_FORMATS,
    }
    ctx.update(extra or {})
    return ctx


@login_required
def detail(request, pk: int):
    require_staff(request)
    case = selectors.case_detail(request.user, pk)
    return render(request, "cases/detail.html", _context(request, case))


def _back(pk: int):
    return redirect("cases:detail", pk=pk)


@login_required
@require_POST
def move(request, pk: int, action: str):
    require_staff(request)
    if action not in ACTION_FORMS:
        raise Http404
    case = selectors.case_get(request.user, pk)
    form = action_form(action, case, request.user, request.POST)
    posted = form_post(
        request,
        form,
        lambda d: services.case_move(actor=request.user, case=case, action=action, version=form.version, **d),
        refusals=workflow.TransitionError,
    )
    if posted:
        moved = posted.result
        if action == "transfer" and not selectors.visible_cases(request.user).filter(pk=pk).exists():
            messages.success(request, f"已转办至{moved.case_type.name} · {moved.area.name}，由该条线受理。")
            return redirect("cases:inbox")
        messages.success(request, f"已{workflow.ACTION_LABELS[action]}。")
        return _back(pk)
    if posted.refused:
        return _back(pk)
    case = selectors.case_detail(request.user, pk)
    return render(request, "cases/detail.html", _context(request, case, action, form))


def _reply_form(case, data=None) -> ReplyForm:
    form = ReplyForm(data, initial={"text": case.public_reply}, auto_id="id_reply_%s")
    form.carry_version(case, ["public_reply"])
    return form


def _post_case_form(request, pk: int, form, form_key: str, write, done: str):
    """Validate ``form`` (built from the case by ``form(case)``), run ``write(case, cleaned_data)``, and go back
    to the case; on an error render the case page again with the form as typed."""
    require_staff(request)
    case = selectors.case_get(request.user, pk)
    form = form(case)
    if form_post(
        request,
        form,
        lambda d: write(case, {**d, "version": form.version} if isinstance(form, VersionedForm) else d),
        success=done,
        refusals=workflow.TransitionError,
    ).done_or_refused:
        return _back(pk)
    case = selectors.case_detail(request.user, pk)
    return render(request, "cases/detail.html", _context(request, case, extra={form_key: form}))


@login_required
@require_POST
def entry(request, pk: int):
    return _post_case_form(
        request,
        pk,
        lambda case: EntryForm(request.POST, request.FILES, auto_id="id_entry_%s"),
        "entry_form",
        lambda case, data: services.entry_add(actor=request.user, case=case, **data),
        "已添加办理记录。",
    )


@login_required
@require_POST
def reply(request, pk: int):
    return _post_case_form(
        request,
        pk,
        lambda case: _reply_form(case, request.POST),
        "reply_form",
        lambda case, data: services.reply_set(
            actor=request.user, case=case, text=data["text"], version=data["version"]
        ),
        "已答复。",
    )


@login_required
@require_POST
def board(request, pk: int):
    require_staff(request)
    case = selectors.case_get(request.user, pk)
    if request.POST.get("show") == "1":
        services.board_show(actor=request.user, case=case)
        messages.success(request, "已恢复在交流栏展示。")
        return _back(pk)
    form = BoardHideForm(request.POST, auto_id="id_board_%s")
    if form_post(
        request,
        form,
        lambda d: services.board_hide(actor=request.user, case=case, reason=d["reason"]),
        success="已从交流栏撤下（未删除）。",
    ):
        return _back(pk)
    case = selectors.case_detail(request.user, pk)
    return render(request, "cases/detail.html", _context(request, case, extra={"board_form": form}))


@login_required
@require_POST
def board_public(request, pk: int):
    """The public version of a board post: the worker sees the masked text and may correct it before it shows."""
    return _post_case_form(
        request,
        pk,
        lambda case: BoardPublicForm(request.POST, case=case),
        "public_form",
        lambda case, data: services.board_public_set(
            actor=request.user,
            case=case,
            title=data["title"],
            text=data["text"],
            reply=data["reply"],
            salutation=data["salutation"],
            version=data["version"],
        ),
        "已保存交流栏公开内容。",
    )


@login_required
def attachment(request, pk: int):
    """A case's photo or file, for those who may see the case (never a public media URL)."""
    require_staff(request)
    att = selectors.attachment_get(request.user, pk)
    return uploads.serve(att.file, name=att.name, inline_images=att.is_image)


@login_required
def edit(request, pk: int):
    """Correct the registration: common fields, the type's own fields and a dispute's parties."""
    from shequ.cases.forms import DETAIL_FORMS, CaseEditForm, PartyFormSet
    from shequ.residents.selectors import person_base

    require_staff(request)
    case = selectors.case_detail(request.user, pk)
    access.check(request.user, case.org, Perm.HANDLE_CASE, case.area_id)
    kind = case.case_type.kind
    initial = {f: getattr(case, f) for f in CaseEditForm.base_fields}
    form = CaseEditForm(request.POST or None, initial=initial, case_type=case.case_type)
    form.carry_version(case)
    persons = person_base(request.user)
    detail_cls = DETAIL_FORMS.get(kind)
    detail_obj = getattr(case, kind, None) if detail_cls else None
    detail_kw = {"persons": persons} if kind == CaseKind.REFERRAL else {}
    detail_form = detail_cls(request.POST or None, instance=detail_obj, prefix="d", **detail_kw) if detail_cls else None
    parties = None
    if kind == CaseKind.DISPUTE:
        rows = [
            {"role": p.role, "person": p.person_id, "name": p.name, "phone": p.phone, "address": p.address}
            for p in case.parties.all()
        ]
        parties = PartyFormSet(request.POST or None, prefix="p", initial=rows, form_kwargs={"persons": persons})
    if form_post(
        request,
        form,
        lambda d: services.details_update(
            actor=request.user,
            case=case,
            detail={f: detail_form.cleaned_data[f] for f in detail_form.Meta.fields} if detail_form else None,
            parties=[p for p in parties.cleaned_data if p] if parties is not None else None,
            version=form.version,
            **d,
        ),
        success="已保存。",
        refusals=workflow.TransitionError,
        also=(detail_form, parties),
    ).done_or_refused:
        return _back(pk)
    return render(
        request,
        "cases/edit.html",
        {"case": case, "form": form, "detail_form": detail_form, "parties": parties},
    )
