"""Personal details in public text: what the public board must never show."""

from __future__ import annotations

import pytest

from shequ.core.masking import mask_public, public_name


@pytest.mark.parametrize(
    ("text", "gone", "kept"),
    [
        ("电话13812345678，打不通", ["12345678", "1381234"], ["电话138********，打不通"]),
        ("手机 139-1234-5678 或 +86 137 0000 1111", ["1234", "5678", "0000 1111"], ["139********"]),
        ("社区电话027-88886666转102", ["88886666"], ["027-********"]),
        ("座机(027)8888-6666，或直接拨 88886666", ["8888", "6666"], ["027-********"]),
        ("身份证420102198905171234，请核实", ["420102", "1234"], ["身份证******************，请核实"]),
        ("末位X的也算：42010219890517123X", ["4201", "123X"], ["******************"]),
        ("老身份证 420102890517123 还能用吗", ["420102890517123"], ["***************"]),
        ("我住幸福小区3栋2单元501室，漏水", ["501", "3栋", "2单元"], ["幸福小区*栋*单元***室，漏水"]),
        ("楼上3-2-601一直漏水到3-2-501", ["601", "501"], ["*-*-***"]),
        ("12号院1号楼门口的路灯坏了", ["12号院", "1号楼"], ["**号院*号楼门口的路灯坏了"]),
        ("文化路88号门口垃圾堆放", ["88号"], ["文化路**号门口"]),
        ("有事请发邮件 wang.li@qq.com", ["wang.li"], ["***@qq.com"]),
    ],
)
def test_personal_details_are_masked(text, gone, kept):
    masked = mask_public(text)
    for part in gone:
        assert part not in masked
    for part in kept:
        assert part in masked


@pytest.mark.parametrize(
    "text",
    [
        "5月12号下午，第5期宣传栏换了控烟内容",
        "2025-03-05的活动有120人参加，花费300元",
        "建议增加健身器材，老年人需要",
        "",
    ],
)
def test_text_without_personal_details_is_left_as_it_is(text):
    assert mask_public(text) == text


@pytest.mark.parametrize(
    ("name", "gender", "shown"),
    [
        ("王秀兰", "F", "王女士"),
        ("李建国", "M", "李先生"),
        ("欧阳娜娜", "F", "欧阳女士"),
        ("张伟", "", "张姓居民"),
        ("", "", "居民"),
        ("Tom", "M", "居民"),
    ],
)
def test_public_name_shows_the_surname_only(name, gender, shown):
    assert public_name(name, gender) == shown
