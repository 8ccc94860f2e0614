"""Cell values as people write them: each form a roster brings is read into the stored value."""

from datetime import date, datetime

import pytest

from shequ.residents.imports.values import id_text, parse_address, parse_date, parse_phones, parse_relation


@pytest.mark.parametrize(
    "cell",
    [
        date(1990, 1, 1),
        datetime(1990, 1, 1, 8, 30),
        32874,  # a date cell that lost its format
        32874.0,
        "32874",
        "1990-01-01",
        "1990/1/1",
        "1990.1.1",
        "1990年1月1日",
        "19900101",
        19900101,
        "1990-01-01 00:00:00",
        "1990/1/1 8:00",
        "1990年1月1日 08:00:00",
        " 1990-1-1 ",
    ],
)
def test_every_date_form_reads_as_the_day(cell):
    assert parse_date(cell) == date(1990, 1, 1)


@pytest.mark.parametrize("cell", ["1990-02-30", "明年", "1990-13-01", "12"])
def test_impossible_dates_are_refused_in_chinese(cell):
    with pytest.raises(ValueError, match="日期"):
        parse_date(cell)


@pytest.mark.parametrize(
    "cell",
    [
        "'11010519491231002X",
        "11010519491231002x",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105 19491231 002X",
        "110105\u00a019491231002X",
        "\u200b11010519491231002X\ufeff",
        "\t11010519491231002X\n",
    ],
)
def test_id_numbers_in_dirty_forms_are_made_canonical(cell):
    assert id_text(cell) == "11010519491231002X"


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("138 0000 0000", ["13800000000"]),
        ("138-0000-0000", ["13800000000"]),
        ("+86 138 0000 0000", ["13800000000"]),
        ("+86-13800000000", ["13800000000"]),
        ("１３８００００００００", ["13800000000"]),
        (13800000000, ["13800000000"]),
        (13800000000.0, ["13800000000"]),
        ("010-12345678", ["010-12345678"]),
        ("(0571)88886666", ["0571-88886666"]),
        ("（0571）8888 6666", ["0571-88886666"]),
        ("0755-8888888转123", ["0755-8888888-123"]),
        ("13800000000/13900000000", ["13800000000", "13900000000"]),
    ],
)
def test_phones_with_spaces_dashes_country_code_and_area_codes(cell, stored):
    assert parse_phones(cell) == stored


@pytest.mark.parametrize("cell", ["12ab", "1380000", "12345678901234"])
def test_a_wrong_phone_is_explained(cell):
    with pytest.raises(ValueError, match="不是有效的电话号码"):
        parse_phones(cell)


@pytest.mark.parametrize(
    ("cell", "gender", "code"),
    [
        ("户主", "", "02"),
        ("本人", "", "02"),
        ("配偶", "", "10"),
        ("老伴", "", "10"),
        ("妻", "F", "12"),
        ("长子", "M", "22"),
        ("儿子", "M", "20"),
        ("女儿", "F", "30"),
        ("长女", "F", "32"),
        ("孙子", "M", "41"),
        ("孙女儿", "F", "42"),
        ("外孙女", "F", "44"),
        ("儿媳", "F", "38"),
        ("女婿", "M", "28"),
        ("公公", "M", "53"),
        ("婆婆", "F", "54"),
        ("岳父", "M", "55"),
        ("祖母", "F", "62"),
        ("弟", "M", "73"),
        ("姐姐", "F", "75"),
        ("子女", "M", "20"),
        ("子女", "F", "30"),
        ("02", "", "02"),
        (2, "", "02"),
        ("非亲属", "", "99"),
    ],
)
def test_relations_as_codes_labels_and_everyday_words(cell, gender, code):
    assert parse_relation(cell, gender) == code


def test_an_unknown_relation_gets_the_nearest_code_not_the_whole_list():
    with pytest.raises(ValueError) as caught:
        parse_relation("户住")
    message = str(caught.value)
    assert "您是不是要填“户主”" in message and "外曾孙" not in message
    with pytest.raises(ValueError, match="请填户主、配偶、子、女"):
        parse_relation("阿斯顿")


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("幸福小区3栋2单元501室", {"estate": "幸福小区", "building": "3", "unit_no": "2", "room": "501"}),
        ("3-2-501", {"building": "3", "unit_no": "2", "room": "501"}),
        ("和平路12号院1号楼", {"estate": "和平路12号院", "building": "1号楼"}),
        ("第三村民小组18号", {"village_group": "第三村民小组", "house_no": "18"}),
        ("张家村5组12号", {"village_group": "张家村5组", "house_no": "12"}),
        ("湖北省武汉市江岸区解放大道1000号", {"address_line": "湖北省武汉市江岸区解放大道1000号"}),
    ],
)
def test_addresses_are_split_into_parts_or_kept_whole(cell, parts):
    assert parse_address(cell) == parts
