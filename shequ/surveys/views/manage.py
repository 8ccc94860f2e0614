"""Worker pages for building and running a survey: the list, a new survey, its page, sample and course."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shequ.accounts import access
from shequ.accounts.orgtree.selectors import area_list
from shequ.accounts.roles import Perm
from shequ.core.forms import add_service_errors
from shequ.core.paging import paginate
from shequ.core.qr import qr_svg
from shequ.orgs.models import Org, OrgKind
from shequ.surveys import selectors, services
from shequ.surveys.filters import SurveyFilter
from shequ.surveys.forms import QuestionForm, SampleForm, SurveyForm
from shequ.surveys.ledgers import export_year
from shequ.surveys.models import Audience, SurveyStatus


def _fail(request, exc: ValidationError) -> None:
    for m in exc.messages:
        messages.error(request, m)


@login_required
def survey_list(request):
    if not access.can_anywhere(request.user, Perm.VIEW):
        raise PermissionDenied("您没有查看问卷调查的权限。")
    flt = SurveyFilter(request.GET, queryset=selectors.survey_list(request.user), actor=request.user)
    page = paginate(request, flt.rows)
    status = flt.value("status", "")
    return render(
        request,
        "surveys/survey_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SurveyStatus.choices,
            "can_create": any(
                g.allows(Perm.RECORD_WORK) and g.kind != OrgKind.GRID for g in access.grants(request.user)
            ),
        },
    )


@login_required
def survey_create(request):
    ids = access.resolve(request.user).org_ids(Perm.RECORD_WORK)
    orgs = Org.objects.filter(pk__in=ids, is_active=True).exclude(kind=OrgKind.GRID).order_by("path")
    areas = area_list()
    if not orgs.exists():
        raise PermissionDenied("您没有新建问卷的权限。")
    form = SurveyForm(
        request.POST or None,
        orgs=orgs,
        areas=areas,
        banks=selectors.banks(request.user, areas),
        bank_questions=selectors.bank_questions(request.user, areas),
        initial={"area": areas.filter(code=request.GET.get("area", "health")).first(), "org": orgs.first()},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                actor=request.user,
                org=d["org"],
                area=d["area"],
                title=d["title"],
                audience=d["audience"],
                questions=d["picked"],
                intro=d["intro"],
                pass_mark=d["pass_mark"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("area", str(exc))
        else:
            messages.success(request, f"问卷已建立，共{survey.questions.count()}题。")
            return redirect("surveys:detail", survey.pk)
    groups: dict = {}
    for q in form.bank_questions:
        groups.setdefault(q.bank, []).append(q)
    return render(request, "surveys/survey_form.html", {"form": form, "groups": groups})


@login_required
def survey_detail(request, pk: int):
    survey = selectors.survey_get(request.user, pk)
    can_edit = selectors.can_edit(request.user, survey)
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.respondents(survey, q=query), per_page=50)
    draft = survey.status == SurveyStatus.DRAFT
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": list(survey.questions.all()),
            "page": page,
            "query": query,
            "can_edit": can_edit,
            "draft": draft,
            "running": survey.status == SurveyStatus.OPEN,
            "sample_form": SampleForm(survey=survey) if can_edit and draft else None,
            "question_form": QuestionForm() if can_edit and draft else None,
            "n_responses": survey.responses.count(),
            "can_export": access.can(request.user, survey.org, Perm.EXPORT, survey.area_id),
            "year": export_year(survey),
            "n_respondents": survey.respondents.count(),
            "open_url": request.build_absolute_uri(reverse("survey_public:open", args=[survey.public_token]))
            if survey.audience == Audience.OPEN and survey.public_token
            else "",
        },
    )


def _editable(request, pk: int):
    survey = selectors.survey_get(request.user, pk)
    access.check(request.user, survey.org, Perm.RECORD_WORK, survey.area_id)
    return survey


@login_required
@require_POST
def survey_sample(request, pk: int):
    survey = _editable(request, pk)
    form = SampleForm(request.POST, survey=survey)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for e in errors:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''}：{e}")
        return redirect("surveys:detail", pk)
    d = form.cleaned_data
    try:
        drawn = services.draw_sample(
            actor=request.user,
            survey=survey,
            size=d["size"],
            seed=d["seed"],
            age_min=d["age_min"],
            age_max=d["age_max"],
            grid=d["grid"],
            building=d["building"],
            per_household=d["per_household"],
        )
    except ValidationError as exc:
        _fail(request, exc)
    else:
        s = survey.sampling
        messages.success(request, f"已从{s['frame']}名符合条件的居民（{s['units']}户）中抽取{len(drawn)}人。")
    return redirect("surveys:detail", pk)


@login_required
@require_POST
def survey_staff(request, pk: int):
    survey = _editable(request, pk)
    try:
        drawn = services.add_staff(actor=request.user, survey=survey)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, f"已生成{len(drawn)}名工作人员调查对象。")
    return redirect("surveys:detail", pk)


@login_required
@require_POST
def survey_status(request, pk: int, action: str):
    survey = _editable(request, pk)
    move = {"open": services.survey_open, "close": services.survey_close}.get(action)
    if move is None:
        raise Http404
    try:
        move(actor=request.user, survey=survey)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, "问卷已开始调查。" if action == "open" else "调查已结束，结果计入本年指标。")
    return redirect("surveys:results" if action == "close" else "surveys:detail", pk)


@login_required
@require_POST
def question_add(request, pk: int):
    survey = _editable(request, pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.question_add(
                actor=request.user,
                survey=survey,
                kind=d["kind"],
                text=d["text"],
                options=d["option_list"],
                correct=d["correct_list"],
            )
        except ValidationError as exc:
            _fail(request, exc)
    else:
        messages.error(request, "请填写题型和题目。")
    return redirect(reverse("surveys:detail", args=[pk]) + "#questions")


@login_required
@require_POST
def question_remove(request, pk: int, number: int):
    survey = _editable(request, pk)
    question = survey.questions.filter(number=number).first()
    if question is None:
        raise Http404
    try:
        services.question_remove(actor=request.user, question=question)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("surveys:detail", args=[pk]) + "#questions")


@login_required
@require_POST
def respondent_mark(request, pk: int, number: int):
    survey = _editable(request, pk)
    respondent = selectors.respondent_get(survey, number)
    try:
        services.respondent_mark(actor=request.user, respondent=respondent, status=request.POST.get("status", ""))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("surveys:detail", args=[pk]) + f"?q={number}")


@login_required
def links(request, pk: int):
    """A printable sheet of personal links with QR codes, one slip per sampled respondent."""
    survey = _editable(request, pk)
    slips = []
    for r in survey.respondents.select_related("grid"):
        url = request.build_absolute_uri(reverse("survey_public:personal", args=[r.token]))
        slips.append((r, url, qr_svg(url, box_size=6)))
    return render(request, "surveys/links.html", {"survey": survey, "slips": slips})
