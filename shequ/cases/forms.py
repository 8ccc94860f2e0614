"""Forms of the worker side: registration (common + type fields + parties), action forms, entries."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from shequ.cases.choices import (
    CATEGORY_LABEL,
    CaseKind,
    EntryKind,
    MediationOutcome,
    PartyRole,
    Supervision,
)
from shequ.cases.models import AccidentDetail, DisputeDetail, HazardDetail, ReferralDetail
from shequ.core.forms import MultipleFileField
from shequ.core.versioning import VersionedForm
from shequ.orgs.fields import OrgPathChoiceField
from shequ.residents.widgets import PersonPicker

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def person_field(label: str) -> forms.ModelChoiceField:
    from shequ.residents.models import Person

    return forms.ModelChoiceField(
        label=label, queryset=Person.objects.none(), required=False, widget=PersonPicker(),
        error_messages={"invalid_choice": "所选居民不在您的管辖范围内。"},
    )  # fmt: skip


def scope_person_field(form: forms.Form, name: str, persons) -> None:
    if name in form.fields and persons is not None:
        form.fields[name].queryset = persons
        form.fields[name].widget.queryset = persons


class CaseForm(forms.Form):
    """The fields every case has."""

    org = OrgPathChoiceField(label="登记组织", queryset=None, empty_label=None)
    area = forms.ModelChoiceField(label="条线", queryset=None, empty_label=None)
    title = forms.CharField(label="标题", max_length=200)
    category = forms.ChoiceField(label="类别")
    registered_on = forms.DateField(label="登记日期", widget=DATE, help_text="排查或接报的日期，决定归入哪一年度")
    place = forms.CharField(label="地点", max_length=200, required=False)
    description = forms.CharField(label="情况描述", widget=forms.Textarea(attrs={"rows": 5}))
    reporter_person = person_field("反映人（居民档案）")
    reporter_name = forms.CharField(label="反映人", max_length=50, required=False, help_text="选了居民档案可不填")
    reporter_phone = forms.CharField(label="反映人电话", max_length=30, required=False)
    files = MultipleFileField(
        label="照片/附件", help_text="可多选；照片会压缩并去除位置信息。表单有误时需重新选择文件。"
    )

    def __init__(self, *args, case_type, orgs, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_type = case_type
        scope_person_field(self, "reporter_person", persons)
        self.fields["org"].queryset = orgs
        self.fields["area"].queryset = case_type.areas.all()
        if len(case_type.areas.all()) == 1:
            del self.fields["area"]  # the service files it under the type's only area
        cats = case_type.categories
        self.fields["category"].choices = [("", "请选择")] + [(c, c) for c in cats]
        self.fields["category"].label = CATEGORY_LABEL.get(case_type.kind, "类别")
        self.fields["category"].required = bool(cats)
        if not cats:
            del self.fields["category"]
        self.fields["registered_on"].initial = timezone.localdate()

    def clean_registered_on(self):
        d = self.cleaned_data["registered_on"]
        if d > timezone.localdate():
            raise forms.ValidationError("登记日期不能晚于今天。")
        return d


class DisputeForm(forms.ModelForm):
    class Meta:
        model = DisputeDetail
        fields = ["source", "people_count", "amount", "risk_level", "is_major"]


class HazardForm(forms.ModelForm):
    class Meta:
        model = HazardDetail
        fields = [
            "place_type",
            "level",
            "found_by",
            "temporary_measures",
            "rectification_measures",
            "rectifier",
            "rectify_deadline",
        ]
        widgets = {"rectify_deadline": DATE, "temporary_measures": TEXTAREA, "rectification_measures": TEXTAREA}


class ReferralForm(forms.ModelForm):
    person = person_field("转介对象（居民档案）")

    class Meta:
        model = ReferralDetail
        fields = ["person", "person_name", "institution"]

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_person_field(self, "person", persons)
        self.fields["person_name"].required = False
        self.fields["person_name"].help_text = "选了居民档案可不填"

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("person_name") or "").strip():
            self.add_error("person_name", "请选择居民档案或填写转介对象姓名。")
        return data


class AccidentForm(forms.ModelForm):
    class Meta:
        model = AccidentDetail
        fields = [
            "occurred_at",
            "level",
            "liable",
            "injured_count",
            "death_count",
            "injuries",
            "cause",
            "reported_to",
            "reported_at",
        ]
        widgets = {"occurred_at": DATETIME, "reported_at": DATETIME, "cause": TEXTAREA}


DETAIL_FORMS = {
    CaseKind.DISPUTE: DisputeForm,
    CaseKind.HAZARD: HazardForm,
    CaseKind.REFERRAL: ReferralForm,
    CaseKind.ACCIDENT: AccidentForm,
}


class PartyForm(forms.Form):
    role = forms.ChoiceField(label="身份", choices=PartyRole.choices, initial=PartyRole.PARTY)
    person = person_field("居民档案")
    name = forms.CharField(label="姓名/名称", max_length=100, required=False)
    phone = forms.CharField(label="电话", max_length=30, required=False)
    address = forms.CharField(label="单位或住址", max_length=200, required=False)

    def __init__(self, *args, persons=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope_person_field(self, "person", persons)


PartyFormSet = forms.formset_factory(PartyForm, extra=3, max_num=20)


# --- action forms: one per action of the map that needs more than a note --------------------------


class MoveForm(VersionedForm, forms.Form):
    note = forms.CharField(label="说明", widget=TEXTAREA, required=False)

    def __init__(self, *args, case=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.actor = actor


class NoteRequiredForm(MoveForm):
    note = forms.CharField(label="理由", widget=TEXTAREA)


class AssignForm(MoveForm):
    owner = forms.ModelChoiceField(label="承办人", queryset=None)
    leader = forms.ModelChoiceField(label="包案领导", queryset=None, required=False, help_text="重大事项由领导包案")
    deadline = forms.DateField(label="办理期限", widget=DATE, required=False, help_text="不填则按时限自动计算")

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        from shequ.cases import selectors

        self.fields["owner"].queryset = owners = selectors.assignable_users(case, self.actor)
        self.fields["leader"].queryset = selectors.case_leaders(case, self.actor)
        for f in ("owner", "leader"):
            self.fields[f].label_from_instance = lambda u: u.display_name
        # The one who accepts usually handles it: they are the default owner where they may own the case.
        if self.actor is not None and not self.is_bound and owners.filter(pk=self.actor.pk).exists():
            self.fields["owner"].initial = self.actor.pk


class ReassignForm(AssignForm):
    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        del self.fields["deadline"]


class TransferForm(MoveForm):
    """转办: pick another case type and line of work (and the category the new type asks for)."""

    target = forms.ChoiceField(label="转办到")
    category = forms.ChoiceField(label="类别", required=False, help_text="按新类型选择；不填则沿用原类别")
    note = forms.CharField(label="转办理由", widget=TEXTAREA)
    field_order = ["target", "category", "note"]

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        from shequ.cases.models import CaseType

        types = list(CaseType.objects.filter(is_active=True).prefetch_related("areas"))
        self.targets = {
            f"{t.code}:{a.code}": (t, a)
            for t in types
            for a in sorted(t.areas.all(), key=lambda a: (a.sort, a.pk))
            if (t.pk, a.pk) != (case.case_type_id, case.area_id)
        }
        self.fields["target"].choices = [("", "请选择")] + [
            (k, f"{t.name} · {a.name}") for k, (t, a) in self.targets.items()
        ]
        self.fields["category"].choices = [("", "沿用原类别")] + [
            (t.name, [(c, c) for c in t.categories]) for t in types if t.categories
        ]

    def clean(self):
        data = super().clean()
        key = data.pop("target", None)
        if key:
            data["to_type"], data["to_area"] = self.targets[key]
        return data


class ResolveForm(MoveForm):
    result = forms.CharField(label="办理结果", widget=forms.Textarea(attrs={"rows": 4}))
    public_reply = forms.CharField(
        label="答复反映人", widget=TEXTAREA, required=False, help_text="民情民意的答复会在交流栏公开"
    )
    outcome = forms.ChoiceField(label="调解结果", choices=MediationOutcome.choices[1:], required=False)
    agreement_no = forms.CharField(label="协议书编号", max_length=50, required=False)
    agreement_text = forms.CharField(label="协议内容", widget=TEXTAREA, required=False)
    failed_to = forms.CharField(label="调解不成去向", max_length=100, required=False)
    rectified_on = forms.DateField(label="整改完成日期", widget=DATE, required=False)
    rectification_measures = forms.CharField(label="整改措施", widget=TEXTAREA, required=False)

    KIND_FIELDS = {
        CaseKind.DISPUTE: {"outcome", "agreement_no", "agreement_text", "failed_to"},
        CaseKind.HAZARD: {"rectified_on", "rectification_measures"},
    }

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        del self.fields["note"]
        mine = self.KIND_FIELDS.get(case.case_type.kind, set())
        for kind_fields in self.KIND_FIELDS.values():
            for f in kind_fields - mine:
                del self.fields[f]
        if not (case.case_type.on_board or case.reporter_id):
            del self.fields["public_reply"]
        if case.case_type.kind == CaseKind.HAZARD:
            self.fields["rectification_measures"].initial = case.hazard.rectification_measures


class EvaluateForm(MoveForm):
    rating = forms.TypedChoiceField(
        label="满意度",
        choices=[("", "未评价")] + [(i, "★" * i) for i in range(5, 0, -1)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    comment = forms.CharField(label="回访意见", max_length=500, required=False)
    checker = forms.CharField(label="验收人", max_length=50, required=False)
    check_conclusion = forms.CharField(label="验收结论", max_length=200, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        if case.case_type.kind != CaseKind.HAZARD:
            del self.fields["checker"], self.fields["check_conclusion"]
        else:
            self.fields["checker"].required = self.fields["check_conclusion"].required = True
            if self.actor is not None:  # the one who checks on site is usually the one signing it off
                self.fields["checker"].initial = self.actor.display_name


class ExtensionForm(MoveForm):
    new_deadline = forms.DateField(label="申请延至", widget=DATE)
    note = forms.CharField(label="延期理由", widget=TEXTAREA)


class SuperviseForm(MoveForm):
    level = forms.ChoiceField(label="督办级别", choices=Supervision.choices[1:])


class ReferForm(MoveForm):
    institution = forms.CharField(label="转介机构", max_length=100)
    referred_on = forms.DateField(label="转介日期", widget=DATE, required=False)


class ReceiveForm(MoveForm):
    received_on = forms.DateField(label="接收日期", widget=DATE, required=False)


class CompleteForm(MoveForm):
    completed_on = forms.DateField(label="完成日期", widget=DATE, required=False)
    feedback = forms.CharField(label="服务反馈", widget=TEXTAREA, required=False)


ACTION_FORMS: dict[str, type[MoveForm]] = {
    "accept": AssignForm,
    "reassign": ReassignForm,
    "reject": NoteRequiredForm,
    "send_back": NoteRequiredForm,
    "escalate": NoteRequiredForm,
    "transfer": TransferForm,
    "resolve": ResolveForm,
    "evaluate": EvaluateForm,
    "reopen": NoteRequiredForm,
    "archive": MoveForm,
    "request_extension": ExtensionForm,
    "approve_extension": MoveForm,
    "reject_extension": NoteRequiredForm,
    "supervise": SuperviseForm,
    "refer": ReferForm,
    "receive": ReceiveForm,
    "refuse": NoteRequiredForm,
    "complete": CompleteForm,
}


def action_form(action: str, case, actor, data=None) -> MoveForm:
    """The form of one action on the case page; its element ids carry the action (one page holds them all)."""
    form = ACTION_FORMS[action](data, case=case, actor=actor, auto_id=f"id_{action}_%s")
    form.carry_version(case)
    return form


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", choices=[(k, v) for k, v in EntryKind.choices if k != EntryKind.RETURN_VISIT]
    )
    happened_at = forms.DateTimeField(label="时间", widget=DATETIME, required=False, help_text="不填为现在")
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 4}))
    visible_to_reporter = forms.BooleanField(label="反映人可见", required=False)
    files = MultipleFileField(label="照片/附件")


class ReplyForm(VersionedForm, forms.Form):
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 4}))


class BoardPublicForm(VersionedForm, forms.Form):
    """The public version of a board post: what the public reads; personal details are masked to begin with."""

    title = forms.CharField(label="公开标题", max_length=200)
    text = forms.CharField(label="公开内容", widget=forms.Textarea(attrs={"rows": 4}))
    reply = forms.CharField(label="公开答复", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    salutation = forms.ChoiceField(
        label="称呼", choices=[("", "不显示（某姓居民）"), ("M", "先生"), ("F", "女士")], required=False
    )

    def __init__(self, *args, case, **kwargs):
        kwargs.setdefault("auto_id", "id_public_%s")
        initial = {
            "title": case.public_title,
            "text": case.public_text,
            "reply": case.public_reply_text,
            "salutation": case.board_salutation,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.carry_version(case, ["board_title", "board_text", "board_reply", "board_salutation", "public_reply"])


class BoardHideForm(forms.Form):
    reason = forms.CharField(label="不在交流栏展示的原因", max_length=200)


class TimeLimitForm(forms.Form):
    case_type = forms.ModelChoiceField(label="事项类型", queryset=None, empty_label=None)
    org = OrgPathChoiceField(label="适用组织（含下级）", queryset=None, empty_label=None)
    accept_hours = forms.IntegerField(label="受理时限（小时）", min_value=1, max_value=24 * 60)
    handle_days = forms.IntegerField(label="办理时限（天）", min_value=1, max_value=365)
    yellow_days = forms.IntegerField(label="超期几天黄牌", min_value=0, max_value=365)
    red_days = forms.IntegerField(label="超期几天红牌", min_value=1, max_value=365)

    def __init__(self, *args, types, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].queryset = types
        self.fields["org"].queryset = orgs

    def clean(self):
        data = super().clean()
        red, yellow = data.get("red_days"), data.get("yellow_days")
        if red is not None and yellow is not None and red <= yellow:
            self.add_error("red_days", "红牌天数应大于黄牌天数。")
        return data


class CaseEditForm(VersionedForm, forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    category = forms.ChoiceField(label="类别")
    place = forms.CharField(label="地点", max_length=200, required=False)
    description = forms.CharField(label="情况描述", widget=forms.Textarea(attrs={"rows": 5}))
    reporter_name = forms.CharField(label="反映人", max_length=50, required=False)
    reporter_phone = forms.CharField(label="反映人电话", max_length=30, required=False)

    def __init__(self, *args, case_type, **kwargs):
        super().__init__(*args, **kwargs)
        cats = case_type.categories
        if cats:
            self.fields["category"].choices = [(c, c) for c in cats]
            self.fields["category"].label = CATEGORY_LABEL.get(case_type.kind, "类别")
        else:
            del self.fields["category"]
