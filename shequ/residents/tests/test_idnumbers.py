from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from shequ.residents.idnumbers import (
    check_char,
    make_resident_id,
    mask,
    parse_disability_card,
    parse_resident_id,
    tail_key,
)

PUBLISHED = ["11010519491231002X", "440524188001010014", "34052419800101001X", "370101190102039973"]


@pytest.mark.parametrize("number", PUBLISHED)
def test_published_examples_are_valid(number):
    assert parse_resident_id(number).number == number


def test_gender_and_birth_date_come_from_the_number():
    parsed = parse_resident_id("11010519491231002X")
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "F"  # 17th digit 2 is even
    assert parse_resident_id("34052419800101001X").gender == "M"


def test_lower_case_x_and_full_width_digits_are_normalised():
    assert parse_resident_id(" １１０１０５１９４９１２３１００２x ").number == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "says"),
    [
        ("11010519491231002", "应为18位，现在是17位"),
        ("110105491231002", "15位旧号码"),
        ("11010519491231A02X", "前17位只能是数字"),
        ("1101051949123１²02X", "前17位只能是数字"),  # a superscript two is a digit to str.isdigit
        ("11010519490231002X", "不是真实的日期"),
        ("11010520991231002X", "晚于今天"),
        ("00010519491231002X", "地区代码"),
        ("110105194912310021", "校验位"),
        ("", "请填写"),
    ],
)
def test_wrong_numbers_get_a_message_saying_what_is_wrong(number, says):
    with pytest.raises(ValidationError) as exc:
        parse_resident_id(number)
    assert says in exc.value.messages[0]


first17 = st.builds(
    lambda d, seq: f"420199{d:%Y%m%d}{seq:03d}",
    st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(first17)
def test_the_computed_check_character_always_validates(prefix):
    assert parse_resident_id(prefix + check_char(prefix)).number.startswith(prefix)


@given(first17, st.sampled_from("0123456789X"))
def test_any_other_check_character_is_refused(prefix, char):
    if char == check_char(prefix):
        return
    with pytest.raises(ValidationError, match="校验位"):
        parse_resident_id(prefix + char)


@given(first17, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_a_single_digit_typo_is_caught(prefix, position, delta):
    number = prefix + check_char(prefix)
    typo = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    with pytest.raises(ValidationError):
        parse_resident_id(typo)


def test_disability_card_is_the_id_number_plus_category_and_grade():
    idn = make_resident_id("360121", date(1970, 11, 21), 1)
    assert parse_disability_card(idn + "43", id_number=idn, category="4", grade="3") == (idn, "4", "3")


@pytest.mark.parametrize(
    ("suffix", "says"),
    [("4", "应为20位"), ("83", "第19位是残疾类别"), ("45", "第20位是残疾等级"), ("43X", "应为20位")],
)
def test_bad_disability_cards_are_refused(suffix, says):
    idn = make_resident_id("360121", date(1970, 11, 21), 1)
    with pytest.raises(ValidationError) as exc:
        parse_disability_card(idn + suffix)
    assert says in exc.value.messages[0]


def test_disability_card_must_agree_with_the_person_and_the_chosen_category():
    idn = make_resident_id("360121", date(1970, 11, 21), 1)
    other = make_resident_id("360121", date(1971, 11, 21), 1)
    with pytest.raises(ValidationError, match="前18位与此人"):
        parse_disability_card(other + "43", id_number=idn)
    with pytest.raises(ValidationError, match="所选残疾类别"):
        parse_disability_card(idn + "43", category="1")


@given(first17)
def test_disability_card_check_digit_is_checked_too(prefix):
    good = prefix + check_char(prefix)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError):
        parse_disability_card(bad + "11")


def test_mask_keeps_first_six_and_last_four():
    assert mask("11010519491231002X") == "110105********002X"
    assert tail_key("11010519491231002X") == "X20013"
