"""Realistic generated residents for the demo, the benchmark and tests: valid ID numbers,
common Chinese names with their pinyin, addresses, households of one to five people.

Generation is deterministic for a seed and cheap (no pypinyin call per name: every character
below carries its reading), so a million rows take seconds.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from shequ.residents.idnumbers import make_resident_id

# (surname, pinyin), weighted roughly by frequency.
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"), ("黄", "huang"),
    ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"), ("马", "ma"), ("朱", "zhu"),
    ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"), ("罗", "luo"), ("郑", "zheng"),
    ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"),
    ("邓", "deng"), ("曹", "cao"), ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"),
    ("袁", "yuan"), ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
    ("叶", "ye"), ("程", "cheng"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"), ("沈", "shen"), ("任", "ren"),
    ("姚", "yao"), ("卢", "lu"), ("钟", "zhong"), ("姜", "jiang"), ("崔", "cui"), ("谭", "tan"), ("陆", "lu"),
    ("范", "fan"), ("汪", "wang"), ("廖", "liao"), ("石", "shi"), ("金", "jin"), ("韦", "wei"), ("贾", "jia"),
    ("夏", "xia"), ("付", "fu"), ("方", "fang"), ("邹", "zou"), ("熊", "xiong"), ("白", "bai"), ("孟", "meng"),
    ("秦", "qin"), ("邱", "qiu"), ("侯", "hou"), ("江", "jiang"), ("尹", "yin"), ("薛", "xue"), ("闫", "yan"),
    ("段", "duan"), ("雷", "lei"), ("龙", "long"), ("黎", "li"), ("史", "shi"), ("陶", "tao"), ("贺", "he"),
    ("毛", "mao"), ("郝", "hao"), ("顾", "gu"), ("龚", "gong"), ("邵", "shao"), ("万", "wan"), ("覃", "qin"),
    ("武", "wu"), ("钱", "qian"), ("戴", "dai"), ("严", "yan"), ("欧阳", "ouyang"), ("司马", "sima"),
]  # fmt: skip
_SURNAME_CUM = list(itertools.accumulate(max(1, 60 - i) for i in range(len(SURNAMES))))
_SIZE_CUM = list(itertools.accumulate((15, 30, 30, 18, 7)))
_STATUS_CUM = list(itertools.accumulate((70, 15, 12, 3)))
GIVEN_MALE = [
    ("伟", "wei"), ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"), ("涛", "tao"),
    ("明", "ming"), ("超", "chao"), ("刚", "gang"), ("平", "ping"), ("辉", "hui"), ("鹏", "peng"), ("华", "hua"),
    ("飞", "fei"), ("鑫", "xin"), ("波", "bo"), ("斌", "bin"), ("宇", "yu"), ("浩", "hao"), ("凯", "kai"),
    ("健", "jian"), ("俊", "jun"), ("帆", "fan"), ("建", "jian"), ("国", "guo"), ("志", "zhi"), ("文", "wen"),
    ("海", "hai"), ("东", "dong"), ("德", "de"), ("林", "lin"), ("峰", "feng"), ("子", "zi"), ("博", "bo"),
    ("轩", "xuan"), ("晨", "chen"), ("阳", "yang"), ("天", "tian"), ("成", "cheng"), ("荣", "rong"), ("家", "jia"),
]  # fmt: skip
GIVEN_FEMALE = [
    ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("艳", "yan"), ("娟", "juan"),
    ("霞", "xia"), ("秀", "xiu"), ("英", "ying"), ("玲", "ling"), ("桂", "gui"), ("兰", "lan"), ("梅", "mei"),
    ("婷", "ting"), ("雪", "xue"), ("琳", "lin"), ("慧", "hui"), ("燕", "yan"), ("红", "hong"), ("萍", "ping"),
    ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("雨", "yu"), ("涵", "han"), ("思", "si"), ("梓", "zi"),
    ("晓", "xiao"), ("月", "yue"), ("春", "chun"), ("丹", "dan"), ("倩", "qian"), ("悦", "yue"), ("琪", "qi"),
]  # fmt: skip
ESTATES = ["幸福家园", "阳光花园", "和平里", "锦绣苑", "翠湖小区", "东风新村", "建设小区", "书香苑", "滨江名都"]
ETHNICITIES = ["汉族"] * 46 + ["回族", "满族", "土家族", "壮族"]
OCCUPATIONS = ["工人", "职员", "个体经营者", "退(离)休人员", "学生", "农民", "自由职业者", "专业技术人员", "无业人员"]
EDUCATIONS = ["primary", "junior", "junior", "senior", "senior", "college", "bachelor", "bachelor", "postgrad"]
PHONE_PREFIXES = ["138", "139", "137", "136", "150", "151", "158", "186", "187", "188", "177", "199"]
ORIGINS = ["湖北省孝感市", "河南省信阳市", "湖南省岳阳市", "安徽省六安市", "四川省南充市", "江西省九江市"]


@dataclass
class FakePerson:
    name: str
    pinyin: str
    initials: str
    gender: str
    birth_date: date
    id_number: str
    phone: str
    relation: str
    household: str
    estate: str = ""
    building: str = ""
    unit_no: str = ""
    room: str = ""
    village_group: str = ""
    house_no: str = ""
    ethnicity: str = "汉族"
    education: str = ""
    occupation: str = ""
    residence_status: str = "huji"


BIRTH_START = date(1935, 1, 1)
BIRTH_DAYS = (date(2022, 12, 31) - BIRTH_START).days


def unique_birth_seq(index: int) -> tuple[date, int]:
    """A distinct (birth date, sequence) pair for every index below ~16 million: distinct ID numbers."""
    day = (index * 7919) % BIRTH_DAYS  # 7919 is prime and does not divide the day count
    slot = 2 * (index // BIRTH_DAYS) + index % 2  # distinct per block, parity alternates (gender)
    seq = (slot * 37 + 100) % 1000  # 37 is odd and prime to 1000: keeps distinctness and parity
    return BIRTH_START + timedelta(days=day), seq


def _name(rng: random.Random, gender: str, surname: tuple[str, str] | None = None) -> tuple[str, str, str]:
    s, spy = surname or rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
    pool = GIVEN_MALE if gender == "M" else GIVEN_FEMALE
    first = pool[int(rng.random() * len(pool))]
    given = [first] if rng.random() < 0.25 else [first, pool[int(rng.random() * len(pool))]]
    name = s + "".join(g for g, _ in given)
    pys = [spy, *(p for _, p in given)]
    initials = (spy[0] if len(s) == 1 else "".join(p[0] for p in _split_compound(s, spy))) + "".join(
        p[0] for _, p in given
    )
    return name, "".join(pys), initials


def _split_compound(surname: str, pinyin: str) -> list[str]:
    return {"欧阳": ["ou", "yang"], "司马": ["si", "ma"]}.get(surname, [pinyin])


def households(
    *, seed: int, start_index: int, count: int, area_code: str = "420199", village: bool = False, prefix: str = "H"
) -> Iterator[list[FakePerson]]:
    """Households with ``count`` persons in all, numbered from ``start_index`` (indexes make IDs unique)."""
    rng = random.Random(seed)  # noqa: S311 - generated demo data
    index = start_index
    end = start_index + count
    hh = 0
    while index < end:
        hh += 1
        size = min(end - index, rng.choices((1, 2, 3, 4, 5), cum_weights=_SIZE_CUM)[0])
        number = f"{prefix}{(start_index + hh):07d}"
        surname = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
        if village:
            address = {"village_group": f"第{rng.randint(1, 8)}村民小组", "house_no": str(rng.randint(1, 300))}
        else:
            address = {
                "estate": rng.choice(ESTATES),
                "building": str(rng.randint(1, 30)),
                "unit_no": str(rng.randint(1, 4)),
                "room": f"{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
            }
        members = []
        for k in range(size):
            birth, seq = unique_birth_seq(index)
            gender = "M" if seq % 2 else "F"
            name, py, ini = _name(rng, gender, surname if k != 1 else None)
            relation = "02" if k == 0 else ("10" if k == 1 else ("20" if gender == "M" else "30"))
            members.append(
                FakePerson(
                    name=name,
                    pinyin=py,
                    initials=ini,
                    gender=gender,
                    birth_date=birth,
                    id_number=make_resident_id(area_code, birth, seq),
                    phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 99_999_999):08d}",
                    relation=relation,
                    household=number,
                    ethnicity=rng.choice(ETHNICITIES),
                    education=rng.choice(EDUCATIONS),
                    occupation=rng.choice(OCCUPATIONS),
                    residence_status=rng.choices(("huji", "changzhu", "liudong", "jizhu"), cum_weights=_STATUS_CUM)[0],
                    **address,
                )
            )
            index += 1
        yield members
