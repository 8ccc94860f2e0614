"""Survey forms: building a survey from the banks, drawing a sample, and the two ways of entering answers —
the phone form (one tap per option) and the paper form (letters or digits, keyboard only)."""

from __future__ import annotations

from django import forms

from shequ.orgs.models import Area, Org, OrgKind
from shequ.surveys.entry import Given, letter
from shequ.surveys.models import RATING_SCALE, RATING_WORDS, Audience, Bank, Question, QuestionKind

GENDER_CHOICES = [("", "—"), ("M", "男"), ("F", "女")]


class SurveyForm(forms.Form):
    org = forms.ModelChoiceField(label="调查单位", queryset=Org.objects.none())
    area = forms.ModelChoiceField(label="条线", queryset=Area.objects.none())
    title = forms.CharField(label="问卷名称", max_length=100)
    audience = forms.ChoiceField(label="调查对象", choices=Audience.choices)
    pass_mark = forms.IntegerField(
        label="合格线（%）", min_value=1, max_value=100, initial=80, help_text="按人计算：答对比例达到合格线的人数"
    )
    intro = forms.CharField(label="问卷说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    banks = forms.ModelMultipleChoiceField(
        label="选用整个题库", queryset=Bank.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    questions = forms.MultipleChoiceField(label="或逐题选用", required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, orgs, areas, banks, bank_questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["area"].queryset = areas
        self.fields["banks"].queryset = banks
        self.bank_questions = bank_questions
        self.fields["questions"].choices = [(str(q.pk), q.text) for q in bank_questions]

    def clean(self):
        data = super().clean()
        chosen = {int(pk) for pk in data.get("questions", [])}
        bank_ids = {b.pk for b in data.get("banks", [])}
        picked = [q for q in self.bank_questions if q.pk in chosen or q.bank_id in bank_ids]
        if not picked:
            raise forms.ValidationError("请至少选用一个题库或一道题目。")
        data["picked"] = picked
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=300)
    options = forms.CharField(
        label="选项", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一个选项"
    )
    correct = forms.CharField(label="正确/健康选项", required=False, max_length=20, help_text="如 A 或 AC")

    def clean(self):
        data = super().clean()
        data["option_list"] = [o for o in (data.get("options") or "").splitlines() if o.strip()]
        picked = []
        for ch in (data.get("correct") or "").upper():
            if ch.isalpha():
                picked.append(ord(ch) - ord("A"))
        data["correct_list"] = picked
        return data


class SampleForm(forms.Form):
    size = forms.IntegerField(label="样本量（人）", min_value=1, max_value=5000, initial=100)
    seed = forms.IntegerField(label="随机种子", min_value=0, initial=2026, help_text="同一种子同一名册，抽出同一样本")
    age_min = forms.IntegerField(label="年龄自", min_value=0, max_value=120, initial=15)
    age_max = forms.IntegerField(label="年龄至", min_value=0, max_value=120, initial=69)
    grid = forms.ModelChoiceField(label="网格", queryset=Org.objects.none(), required=False, empty_label="全部网格")
    building = forms.CharField(label="楼栋", max_length=40, required=False, help_text="空白为全部楼栋")
    per_household = forms.BooleanField(label="每户抽一人", required=False, initial=True)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Org.objects.filter(parent=survey.org, kind=OrgKind.GRID, is_active=True)


def _option_choices(q: Question) -> list[tuple[str, str]]:
    return [(str(i), f"{letter(i)}. {text}") for i, text in enumerate(q.options)]


class AnswerForm(forms.Form):
    """One field per question: radios or ticks on a phone (``paper=False``), or a letters box on paper."""

    def __init__(self, *args, questions: list[Question], paper: bool = False, respondents=None, profile=False, **kw):
        super().__init__(*args, **kw)
        self.questions = questions
        self.paper = paper
        if respondents is not None:
            self.fields["number"] = forms.IntegerField(
                label="问卷编号", min_value=1, widget=forms.TextInput(attrs={"inputmode": "numeric", "autofocus": True})
            )
        if profile:
            self.fields["gender"] = forms.ChoiceField(label="性别", choices=GENDER_CHOICES, required=False)
            self.fields["age"] = forms.IntegerField(label="年龄", min_value=1, max_value=120, required=False)
        for q in questions:
            name = f"q{q.number}"
            label = f"{q.number}. {q.text}"
            if paper:
                hint = self._paper_hint(q)
                attrs = {"autocomplete": "off", "class": "paper-cell", "enterkeyhint": "next"}
                if q.kind != QuestionKind.TEXT:
                    attrs["inputmode"] = "numeric" if q.kind == QuestionKind.RATING else "text"
                self.fields[name] = forms.CharField(
                    label=label, required=False, max_length=500, help_text=hint, widget=forms.TextInput(attrs=attrs)
                )
            elif q.kind == QuestionKind.TEXT:
                self.fields[name] = forms.CharField(
                    label=label, required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
                )
            elif q.kind == QuestionKind.RATING:
                self.fields[name] = forms.TypedChoiceField(
                    label=label,
                    required=False,
                    coerce=int,
                    choices=[(v, f"{v} {RATING_WORDS[v]}") for v in RATING_SCALE],
                    widget=forms.RadioSelect,
                )
            elif q.multiple:
                self.fields[name] = forms.MultipleChoiceField(
                    label=label, required=False, choices=_option_choices(q), widget=forms.CheckboxSelectMultiple
                )
            else:
                self.fields[name] = forms.ChoiceField(
                    label=label, required=False, choices=_option_choices(q), widget=forms.RadioSelect
                )

    @staticmethod
    def _paper_hint(q: Question) -> str:
        if q.kind == QuestionKind.TEXT:
            return "照录文字"
        if q.kind == QuestionKind.RATING:
            return "1–5分"
        opts = "  ".join(f"{letter(i)}.{t}" for i, t in enumerate(q.options))
        return ("可多选  " if q.multiple else "") + opts

    def cells(self) -> dict[int, str]:
        return {q.number: self.cleaned_data.get(f"q{q.number}") or "" for q in self.questions}

    def given(self) -> dict[int, Given]:
        """The phone form's answers (the paper form goes through ``entry.parse_paper``)."""
        out = {}
        for q in self.questions:
            v = self.cleaned_data.get(f"q{q.number}")
            if q.kind == QuestionKind.TEXT:
                out[q.number] = Given(text=(v or "").strip())
            elif q.kind == QuestionKind.RATING:
                out[q.number] = Given(rating=v or None)
            elif isinstance(v, list):
                out[q.number] = Given(choices=sorted(int(i) for i in v))
            else:
                out[q.number] = Given(choices=[int(v)] if v not in (None, "") else [])
        return out


class ImportForm(forms.Form):
    file = forms.FileField(label="答卷表格（xlsx或csv）")
