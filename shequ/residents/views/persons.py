from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.roles import Perm
from shequ.core.forms import form_post
from shequ.core.paging import paginate, paginate_branches, paginate_capped
from shequ.orgs.models import Org
from shequ.residents import linking, search, selectors, services
from shequ.residents.filters import PersonFilter
from shequ.residents.forms import (
    PERSON_FIELDS,
    PROFILE_FORMS,
    PROFILE_TITLES,
    LinkAccountForm,
    MoveForm,
    PersonForm,
)
from shequ.residents.views.common import can_register, form_orgs
from shequ.residents.visibility import can_edit_profile, can_person


def _export_links(request, flt: PersonFilter) -> dict:
    """The roster export of the org the list is filtered to (else the org the user acts in)."""
    org = None
    if flt.value("org"):
        org = Org.objects.visible_to(request.user, Perm.VIEW).filter(pk=flt.value("org")).first()
    membership = getattr(request, "membership", None)
    if org is None and membership is not None:
        org = membership.org
    can_export = org is not None and access.can(request.user, org, Perm.EXPORT)
    return {
        "export_org": org,
        "can_export": can_export,
        "can_whole": can_export and access.can(request.user, org, Perm.VIEW_SENSITIVE),
    }


@login_required
def person_list(request):
    """The registry's list. Its search form is posted, so that a whole phone or ID number typed into it never
    stands in an address: the page's address (and its pages and export links) carries it sealed."""
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看居民档案的权限。")
    posted = request.method == "POST"
    raw = request.POST if posted else request.GET
    params = search.address_params(request.user, raw)
    address = reverse("residents:list") + (f"?{params.urlencode()}" if params else "")
    if posted and not request.htmx:
        return redirect(address)
    if not posted and search.is_whole_number(request.GET.get("q")):
        return redirect(address)  # an old link with the number in it: the history keeps the sealed one
    data = raw if posted else search.form_params(request.user, request.GET)
    flt = PersonFilter(data, queryset=selectors.person_list(request.user), actor=request.user)
    # The page's ids first (from the index, count capped), then what the page shows of those rows.
    page = _page_ids(request, flt)
    page.object_list = selectors.person_rows(request.user, list(page.object_list))
    context = {
        "form": flt.form,
        "page": page,
        "query": params.urlencode(),
        "pager_query": params.urlencode(),
        "can_edit": access.can_anywhere(request.user, Perm.EDIT_RESIDENTS),
        "can_register": can_register(request.user),
        "can_import": access.can_anywhere(request.user, Perm.IMPORT_DATA),
        **_export_links(request, flt),
    }
    if request.htmx and request.htmx.target == "person-results":
        response = render(request, "residents/partials/person_results.html", context)
        if posted:
            response["HX-Push-Url"] = address
        return response
    return render(request, "residents/person_list.html", context)


def _page_ids(request, flt: PersonFilter):
    """The page's person ids. A 网格员's persons are those of the grid's subtree and those filed under the grid
    (``org IN … OR grid IN …``): each half is read through its own index (``BranchPaginator``)."""
    ids = flt.rows.values_list("pk", flat=True)
    scope = access.resolve(request.user)
    grid_ids = scope.grid_ids()
    if not grid_ids or flt.invalid:
        return paginate_capped(request, ids)
    branches = [*scope.branches(within=flt.form.cleaned_data.get("org") or None), Q(grid_id__in=grid_ids)]
    return paginate_branches(request, ids, branches)


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get(request.user, pk)
    return _detail(request, person, LinkAccountForm())


def _detail(request, person, link_form: LinkAccountForm):
    profiles = selectors.person_profiles(request.user, person)
    services.person_viewed(actor=request.user, person=person, profiles=profiles)
    return render(
        request,
        "residents/person_detail.html",
        {
            "person": person,
            "link_form": link_form,
            "profiles": profiles,
            "moves": selectors.person_moves(request.user, person),
            "panels": selectors.person_panels(request.user, [person]),
            "can_edit": can_person(request.user, person, Perm.EDIT_RESIDENTS),
            "can_whole": access.can(request.user, person.org, Perm.VIEW_SENSITIVE) and bool(person.id_cipher),
            "editable_kinds": [
                (k, PROFILE_TITLES[k]) for k in PROFILE_FORMS if can_edit_profile(request.user, person, k)
            ],
        },
    )


@login_required
@require_POST
def person_link(request, pk: int):
    """Link the resident's portal account (found by the phone it logs in with) to this person."""
    person = selectors.person_get(request.user, pk)
    if not can_person(request.user, person, Perm.EDIT_RESIDENTS):
        raise PermissionDenied("您没有维护此居民档案的权限。")
    form = LinkAccountForm(request.POST)
    if form_post(
        request,
        form,
        lambda d: linking.link_by_worker(actor=request.user, person=person, phone=d["phone"]),
        success=lambda account: f"已关联居民端账号“{account.display_name}”，居民可在居民端“我的信息”查阅本人档案。",
    ):
        return redirect("residents:detail", pk=person.pk)
    return _detail(request, person, form)


@login_required
@require_POST
def person_unlink(request, pk: int):
    person = selectors.person_get(request.user, pk)
    if not can_person(request.user, person, Perm.EDIT_RESIDENTS):
        raise PermissionDenied("您没有维护此居民档案的权限。")
    if person.account_id is not None:
        linking.unlink(actor=request.user, person=person)
        messages.success(request, "已解除与居民端账号的关联。")
    return redirect("residents:detail", pk=person.pk)


@login_required
@require_POST
def person_reveal(request, pk: int):
    person = selectors.person_get(request.user, pk)
    number = services.person_reveal_id(actor=request.user, person=person)
    return render(request, "residents/partials/id_whole.html", {"person": person, "number": number})


@login_required
def person_create(request):
    communities, grids = form_orgs(request.user)
    if not communities.exists():
        raise PermissionDenied("您没有登记居民的权限。")
    form = PersonForm(request.POST or None, communities=communities, grids=grids)
    posted = form_post(
        request, form, lambda d: services.person_create(actor=request.user, org=d["org"], **form.service_kwargs())
    )
    if posted:
        person = posted.result
        if person.possible_duplicate:
            messages.warning(request, "已登记。本社区有同名且出生日期相同的居民，已标记为疑似重复，请核实。")
        else:
            messages.success(request, f"已登记“{person.name}”。")
        return redirect("residents:detail", pk=person.pk)
    existing = getattr(posted.error, "existing", None)
    return render(request, "residents/person_form.html", {"form": form, "title": "登记居民", "existing": existing})


@login_required
def person_edit(request, pk: int):
    person = selectors.person_get(request.user, pk)
    if not can_person(request.user, person, Perm.EDIT_RESIDENTS):
        raise PermissionDenied("您没有修改此居民档案的权限。")
    communities, grids = form_orgs(request.user)
    grids = grids.filter(parent=person.org)
    initial = {name: getattr(person, name) for name in PERSON_FIELDS}
    initial.update(
        {
            "grid": person.grid_id,
            "id_type": person.id_type,
            "household_number": person.household.number if person.household_id else "",
        }
    )
    form = PersonForm(request.POST or None, initial=initial, communities=communities, grids=grids, editing=True)
    form.carry_version(person)
    posted = form_post(
        request,
        form,
        lambda _: services.person_update(
            actor=request.user, person=person, version=form.version, **form.service_kwargs()
        ),
        success="已保存。",
    )
    if posted:
        return redirect("residents:detail", pk=person.pk)
    existing = getattr(posted.error, "existing", None)
    return render(
        request,
        "residents/person_form.html",
        {"form": form, "title": f"修改“{person.name}”", "person": person, "existing": existing},
    )


@login_required
def person_move(request, pk: int):
    person = selectors.person_get(request.user, pk)
    if not can_person(request.user, person, Perm.EDIT_RESIDENTS):
        raise PermissionDenied("您没有迁移此居民的权限。")
    communities = selectors.communities_for(request.user, Perm.VIEW).exclude(pk=person.org_id)
    form = MoveForm(request.POST or None, communities=communities, initial={"moved_on": timezone.localdate()})
    if form_post(
        request,
        form,
        lambda d: services.person_move(actor=request.user, person=person, **d),
        success=lambda _: f"已将“{person.name}”迁往{form.cleaned_data['to_org'].name}，原社区保留迁出记录。",
    ):
        return redirect("residents:list")
    return render(request, "residents/person_form.html", {"form": form, "title": f"迁移“{person.name}”"})


@login_required
@require_POST
def person_not_duplicate(request, pk: int):
    person = selectors.person_get(request.user, pk)
    services.person_clear_duplicate_flag(actor=request.user, person=person)
    messages.success(request, "已取消疑似重复标记。")
    return redirect("residents:detail", pk=person.pk)


def _profile_instance(request, person, kind: str, profile_pk: int | None):
    model = services.PROFILE_MODELS[kind]
    if kind not in PROFILE_FORMS:
        raise Http404
    if not can_edit_profile(request.user, person, kind):
        # Not the actor's line of work: as if the profile did not exist for them.
        if kind not in selectors.person_profiles(request.user, person).visible:
            raise Http404
        raise PermissionDenied("您没有维护此类档案的权限。")
    if profile_pk is not None:
        return get_object_or_404(model, pk=profile_pk, person=person)
    if kind == "special":
        return None
    return model.objects.filter(person=person).first()


@login_required
def profile_edit(request, pk: int, kind: str, profile_pk: int | None = None):
    person = selectors.person_get(request.user, pk)
    if kind not in PROFILE_FORMS:
        raise Http404
    instance = _profile_instance(request, person, kind, profile_pk)
    form_class = PROFILE_FORMS[kind]
    form = form_class(request.POST or None, instance=instance)
    form.carry_version(instance if instance is not None else services.PROFILE_MODELS[kind](person=person))
    if form_post(
        request,
        form,
        lambda d: services.profile_save(
            actor=request.user, person=person, kind=kind, instance=instance, version=form.version, **d
        ),
        success=f"{PROFILE_TITLES[kind]}已保存。",
    ):
        return redirect("residents:detail", pk=person.pk)
    return render(
        request,
        "residents/person_form.html",
        {
            "form": form,
            "title": f"{person.name} · {PROFILE_TITLES[kind]}",
            "person": person,
            "delete_url": reverse("residents:profile_delete", args=[person.pk, kind, instance.pk])
            if instance is not None and instance.pk
            else "",
        },
    )


@login_required
@require_POST
def profile_delete(request, pk: int, kind: str, profile_pk: int):
    person = selectors.person_get(request.user, pk)
    if kind not in PROFILE_FORMS:
        raise Http404
    instance = _profile_instance(request, person, kind, profile_pk)
    services.profile_delete(actor=request.user, person=person, kind=kind, instance=instance)
    messages.success(request, f"已删除{PROFILE_TITLES[kind]}。")
    return redirect("residents:detail", pk=person.pk)


@login_required
def moves_out(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看居民档案的权限。")
    page = paginate(request, selectors.moves_out(request.user))
    return render(request, "residents/moves.html", {"page": page})
