"""Extraction of targets from a plan's text: sentences worked out by hand, and the files plans come in."""

from __future__ import annotations

import io

import pytest

from shequ.plans.extract.numerals import normalize
from shequ.plans.extract.pipeline import extract
from shequ.plans.extract.reading import ExtractError, read_document
from shequ.plans.extract.structure import parse


def atoms(text: str) -> list[tuple]:
    """(kind, comparison, value, max, unit, period, months, deadline) of every requirement in ``text``."""
    out = []
    for t in extract(text).targets:
        for a in t.atoms():
            out.append((a.kind, a.comparison, a.value, a.max_value, a.unit, a.period, a.months, a.deadline))
    return out


# ---- numerals -----------------------------------------------------------------------------------


def test_chinese_numerals_that_are_quantities_become_digits():
    assert normalize("每月一次，全年不少于十二次").text == "每月1次,全年不少于12次"
    assert normalize("知晓率达到百分之九十七以上").text == "知晓率达到97%以上"
    assert normalize("覆盖率达到百分之百").text == "覆盖率达到100%"
    assert normalize("年内召开两次以上").text == "年内召开2次以上"
    assert normalize("今年五、六、七、八月份").text == "今年5、6、7、8月份"


def test_numerals_in_words_stay_words():
    for words in ("实行一票否决", "第一责任人", "进一步完善", "一一进行登记", "万无一失", "一岗两责", "三无创建"):
        assert normalize(words).text == words


def test_normalized_positions_lead_back_to_the_original():
    original = "全年不少于十二次"
    plain = normalize(original)
    start = plain.text.index("12")
    s, e = plain.span(start, start + 3)
    assert original[s:e] == "十二次"


# ---- counts --------------------------------------------------------------------------------------


def test_monthly_count_with_a_yearly_total_is_one_target_of_two_requirements():
    draft = extract("设立健康教育专栏要及时更换宣传内容，每月一次，全年不少于12次。")
    assert len(draft.targets) == 1
    target = draft.targets[0]
    assert (target.kind, target.period, target.value, target.min_per_year) == ("count", "month", "1", "12")
    assert atoms("设立健康教育专栏要及时更换宣传内容，每月一次，全年不少于12次。") == [
        ("count", ">=", "1", "", "次", "month", [], ""),
        ("count", ">=", "12", "", "次", "year", [], ""),
    ]
    assert target.match.code == "health/board"


def test_count_limited_to_months_per_half_month():
    assert atoms("5–8月每半月至少1期。") == [("count", ">=", "1", "", "期", "half_month", [5, 6, 7, 8], "")]
    assert atoms("今年5、6、7、8月份的宣传频率要至少每半月一次。") == [
        ("count", ">=", "1", "", "次", "half_month", [5, 6, 7, 8], "")
    ]


def test_each_of_two_occasions_a_term_counts_twice_a_term():
    assert atoms("每学期开学、期末各召开1次安全工作会议。") == [("count", ">=", "2", "", "次", "half_year", [], "")]


def test_count_without_a_period_in_an_annual_plan_is_per_year():
    assert atoms("年内必须召开两次以上专题研究健康教育工作办公会。") == [("count", ">=", "2", "", "次", "year", [], "")]


def test_every_period_with_an_activity_and_no_number_is_once_a_period():
    assert atoms("每月召开平安形势分析会，动态更新风险清单。") == [("count", ">=", "1", "", "次", "month", [], "")]


def test_count_range_keeps_both_ends():
    assert atoms("健康讲座：每月至少举办1-2场。") == [("count", "between", "1", "2", "场", "month", [], "")]


# ---- rates, changes, ranges, amounts --------------------------------------------------------------


def test_rates_with_their_comparison():
    assert atoms("年底社区居民健康知识知晓率要达到97%以上。") == [("rate", ">=", "97", "", "%", "", [], "")]
    assert atoms("健康行为形成率不低于80%。") == [("rate", ">=", "80", "", "%", "", [], "")]
    assert atoms("学生意外伤害发生率控制在0.5%以内。") == [("rate", "<=", "0.5", "", "%", "", [], "")]
    assert atoms("确保安全教育覆盖率达到百分之百。") == [("rate", ">=", "100", "", "%", "", [], "")]


def test_rate_names_its_indicator():
    target = extract("年底社区居民健康知识知晓率要达到97%以上。").targets[0]
    assert target.match.label == "社区居民健康知识知晓率"


def test_changes_up_and_down():
    assert atoms("逐步提高社区居民的教育培训率，力争每年提高五个百分点以上。") == [
        ("change", "+", "5", "", "%", "", [], "")
    ]
    assert atoms("使社区内盗窃、诈骗等刑事案件发生率较去年下降20%。") == [("change", "-", "20", "", "%", "", [], "")]


def test_ranges_of_staff():
    assert atoms("各机构安排专职健康教育宣传人员社卫中心2-3人、社卫站1-2人。") == [
        ("range", "between", "2", "3", "人", "", [], ""),
        ("range", "between", "1", "2", "人", "", [], ""),
    ]


def test_amount_per_head():
    assert atoms("按照社区常住人口人均不少于1元的标准，落实社区教育经费。") == [
        ("per_head", ">=", "1", "", "元/人", "", [], "")
    ]
    assert atoms("按常住人口每人每年不少于1元安排经费。") == [("per_head", ">=", "1", "", "元/人", "", [], "")]


def test_a_number_of_places_to_equip():
    assert atoms("社区预计在辖区8个居民工作组内安装民情、民意交流栏。") == [("rate", ">=", "8", "", "个", "", [], "")]


# ---- deadlines, vetoes, groups ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        ("6月底前完成辖区残疾人康复需求调查。", "06-30"),
        ("年底前建成社区学校。", "12-31"),
        ("5月31日前报送半年工作总结。", "05-31"),
        ("上半年完成社区监督员的聘请。", "06-30"),
        ("第三季度末完成安全隐患整改。", "09-30"),
        ("十一月十五日前完成年度考核自查。", "11-15"),
    ],
)
def test_deadlines(sentence, due):
    assert atoms(sentence) == [("deadline", "", "", "", "", "", [], due)]


def test_a_date_inside_a_frequency_is_not_a_deadline():
    assert [a[0] for a in atoms("每月5日前汇总上月线上诉求。")] == ["count"]


def test_one_vote_veto():
    assert atoms("凡发生安全责任事故，在年度考核中实行“一票否决”。") == [("veto", "", "", "", "", "", [], "")]


def test_absence_goals_are_vetoes_one_per_clause():
    kinds = [a[0] for a in atoms("实现全年不发生师生伤亡责任事故，不发生刑事案件和重大治安灾害事故。")]
    assert kinds == ["veto", "veto"]


def test_a_conditional_absence_is_not_a_goal():
    assert atoms("对发现问题的单位及时通报。") == []


def test_groups_to_be_formed():
    draft = extract("学校要成立安全工作领导小组，加强对学校安全工作的领导。")
    assert [t.kind for t in draft.targets] == ["group"]
    assert draft.targets[0].match.code == "school/group_meeting"


def test_improving_an_existing_group_is_not_forming_one():
    assert atoms("进一步完善残疾人康复工作领导小组。") == []


# ---- responsibility, obligations, structure --------------------------------------------------------


def test_responsibility_lines_apply_to_the_targets_of_their_section():
    text = (
        "一、开展矛盾纠纷排查\n"
        "每月开展1次矛盾纠纷大排查。\n"
        "牵头单位：社区综治中心；配合单位：辖区派出所、司法所；责任人：王明；分管领导：李华；完成时限：12月31日\n"
        "二、加强宣传\n"
        "每季度出1期法治宣传专栏。\n"
    )
    draft = extract(text)
    first, second = draft.targets
    assert first.responsibility.lead == "社区综治中心"
    assert first.responsibility.partners == "辖区派出所、司法所"
    assert first.responsibility.owner == "王明"
    assert first.responsibility.leader == "李华"
    assert first.responsibility.due == "12-31"
    assert not second.responsibility.any()


def test_inline_lead_unit():
    draft = extract("由社区卫生服务站牵头，每季度开展1次健康讲座。")
    assert draft.targets[0].responsibility.lead == "社区卫生服务站"


def test_obligations_without_a_number_are_listed():
    draft = extract("要加大平安建设宣传力度，切实提高群众的知晓率。每月开展1次法治宣传。")
    assert [o.text for o in draft.obligations] == ["要加大平安建设宣传力度,切实提高群众的知晓率。".replace(",", "，")]
    assert len(draft.targets) == 1


def test_headings_at_four_levels_make_the_structure():
    st = parse("某社区2024年平安建设工作计划\n一、目标任务\n(一)化解矛盾\n1. 排查\n(1)每月排查1次。\n二、保障措施\n")
    assert st.title == "某社区2024年平安建设工作计划"
    assert [(s.level, s.title) for s in st.sections] == [
        (1, "目标任务"),
        (2, "化解矛盾"),
        (3, "排查"),
        (4, "每月排查1次"),
        (1, "保障措施"),
    ]
    target = extract("一、目标任务\n(一)化解矛盾\n每月排查1次。\n").targets[0]
    assert target.section == "一、目标任务 › (一)化解矛盾"


def test_target_points_at_its_words_in_the_document():
    text = "一、宣传\n健康教育宣传栏每月更换一次，全年不少于十二次。"
    target = extract(text).targets[0]
    assert text[target.start : target.end] == "健康教育宣传栏每月更换一次，全年不少于十二次。"
    assert "一次" in text[target.quote_start : target.quote_end]


def test_line_of_work_from_title_and_content():
    draft = extract("阳光社区2024年残疾人康复工作计划\n做好残疾人康复需求调查，为残疾人提供康复服务。")
    assert draft.area == "disability"
    assert extract("某小学安全工作计划\n学校每学期组织2次应急疏散演练。").area == "school"


# ---- files -------------------------------------------------------------------------------------------


def test_docx_paragraphs_and_tables_are_read():
    import docx

    document = docx.Document()
    document.add_paragraph("幸福社区2024年健康教育工作计划")
    document.add_paragraph("一、宣传栏每月更换1次。")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "健康讲座"
    table.cell(0, 1).text = "每季度1次"
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_document("计划.docx", buffer.getvalue())
    assert "一、宣传栏每月更换1次。" in text
    assert "健康讲座;每季度1次" in text


def test_gbk_text_file_is_read():
    assert read_document("plan.txt", "每月更换1次宣传栏。".encode("gbk")) == "每月更换1次宣传栏。"
    assert read_document("plan.txt", "每月更换1次宣传栏。".encode()) == "每月更换1次宣传栏。"


@pytest.mark.parametrize("name", ["计划.doc", "计划.wps"])
def test_old_word_and_wps_files_are_refused_with_advice(name):
    with pytest.raises(ExtractError, match="docx"):
        read_document(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)


def test_scanned_pdf_without_text_is_refused_with_advice():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ExtractError, match="扫描件"):
        read_document("扫描件.pdf", buffer.getvalue())


def test_pdf_text_layer_is_read():
    weasyprint = pytest.importorskip("weasyprint")
    pdf = weasyprint.HTML(string="<p>Plan 2024: board 12 times a year, awareness 97%.</p>").write_pdf()
    assert "awareness 97%" in read_document("plan.pdf", pdf)


def test_unknown_file_type_is_refused():
    with pytest.raises(ExtractError, match="只支持"):
        read_document("计划.xlsx", b"PK\x03\x04")


def test_a_phase_of_months_leading_a_step_is_its_deadline():
    assert atoms("第二阶段(3-4月):组织全体教师进行安全知识培训。") == [("deadline", "", "", "", "", "", [], "04-30")]
    assert atoms("2026年1-2月，由社区残协牵头，完成辖区残疾人的康复需求评估。")[-1][-1] == "02-28"


def test_monthly_records_by_month():
    assert atoms("及时做好康复服务记录表，并按表里的要求分月进行记录。") == [
        ("count", ">=", "1", "", "次", "month", [], "")
    ]


def test_a_group_named_twice_in_a_sentence_is_one_group():
    kinds = [
        t.kind for t in extract("建立社区助残志愿者队伍，广泛吸收居民参加，建立相对稳定的助残志愿者队伍。").targets
    ]
    assert kinds == ["group"]


def test_a_working_mechanism_is_not_a_group():
    assert atoms("坚持建立以社区居民委员会为核心、社区残疾人协会为纽带、社区服务机构为基础的工作机制。") == []


def test_one_as_an_article_is_no_amount():
    assert atoms("通过增强全体师生的安全意识，创建一个安全、和谐的学习环境。") == []
    assert atoms("社区配备一名专职联络员。") == [("rate", ">=", "1", "", "人", "", [], "")]
