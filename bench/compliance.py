"""Benchmark: a district's compliance for a whole year.

Builds a district-sized data set in a throw-away test database (PostgreSQL through DATABASE_URL when set,
otherwise SQLite): 200 communities by default, each with the six reference plans adopted,
10,000,000 records over one year (``--records N`` for another size), and what the computed indicators
(知晓率, 五清率, 康复覆盖率, 答复率 …) count: 1,000,000 residents with their profiles (``--residents``, the demo's
own bulk grower), 200,000 cases of the year (``--cases``) and a closed health survey of 30 respondents per
community. Then times, in one run:

1. Shequ: ``compliance.evaluate`` over every target of every community, loading the targets included, as the
   scheduled job does it run after run (the definitions it loaded before kept, their versions read again; the
   process's first run, which loads them all, is printed too);
2. the floor, like for like: the same work as SQL alone — the records counted by one hand-written aggregate by org,
   type and half month, and every other query Shequ sends (the targets, the deadlines' and vetoes' scan, the rates'
   entries, the computed indicators' grouped reads …) sent again as raw SQL, rows fetched, nothing done with them;
3. the count targets alone, Shequ against the hand-written aggregate (what the floor was before the bench counted
   indicators too);
4. a naive ORM loop: one COUNT query per count target per period (sampled and extrapolated when it
   would take too long; the output says so), against Shequ on the same count targets.

Usage: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/shequ_bench python bench/compliance.py --records 1000000``
The last line is machine-readable:
``RESULT records=<n> residents=<n> cases=<n> vs_sql=<ratio> counts_vs_sql=<ratio> loop_vs_shequ=<ratio>
indicators_share=<share>``, where the share is the computed-indicator targets' part of Shequ's time. Targets:
vs_sql ≤ 1.5 and loop_vs_shequ ≥ 20.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

import django
import time_machine

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

CHUNK = 1_000_000
RARE_TYPES = {"accident", "criminal_case", "mass_incident"}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--records", type=int, default=10_000_000, help="records over the year (default 10,000,000)")
    p.add_argument("--communities", type=int, default=200, help="communities in the district (default 200)")
    p.add_argument("--residents", type=int, default=1_000_000, help="residents in all (default 1,000,000)")
    p.add_argument("--cases", type=int, default=200_000, help="cases of the year (default 200,000)")
    p.add_argument("--year", type=int, default=2025)
    p.add_argument("--loop-seconds", type=float, default=60.0, help="time budget of the naive loop before sampling")
    p.add_argument("--repeat", type=int, default=3, help="timed runs of Shequ and the SQL (best is reported)")
    p.add_argument("--rare-incidents", action="store_true", help="incident types 200× rarer than the others")
    p.add_argument("--keepdb", action="store_true", help="keep the test database (and its data) for another run")
    return p.parse_args()


def log(msg: str) -> None:
    print(msg, flush=True)


def build(n_records: int, n_communities: int, year: int, rare_incidents: bool = False) -> None:
    from shequ.orgs.models import Area, Org, OrgKind, path_for
    from shequ.plans.models import Plan, PlanStatus, PlanTemplate, Target, TargetSpec
    from shequ.records.models import ActivityType, Record

    t0 = time.perf_counter()
    with transaction.atomic():
        district = Org.objects.create(name="基准区", kind=OrgKind.DISTRICT)
        district.path = path_for(district.pk, None)
        district.save(update_fields=["path"])
        streets = []
        per_street = 20
        for s in range((n_communities + per_street - 1) // per_street):
            st = Org.objects.create(name=f"第{s + 1}街道", kind=OrgKind.STREET, parent=district, depth=1)
            st.path = path_for(st.pk, district)
            st.save(update_fields=["path"])
            streets.append(st)
        communities = []
        for i in range(n_communities):
            st = streets[i // per_street]
            c = Org.objects.create(name=f"第{i + 1}社区", kind=OrgKind.COMMUNITY, parent=st, depth=2)
            c.path = path_for(c.pk, st)
            c.save(update_fields=["path"])
            communities.append(c)
        templates = list(
            PlanTemplate.objects.filter(org__isnull=True).prefetch_related("targets").select_related("area")
        )
        plans = Plan.objects.bulk_create(
            [
                Plan(
                    org=c,
                    year=year,
                    area=t.area,
                    title=t.title,
                    template=t,
                    template_version=t.version,
                    status=PlanStatus.PUBLISHED,
                )
                for c in communities
                for t in templates
            ]
        )
        by_template = {t.pk: list(t.targets.all()) for t in templates}
        new_targets = []
        for plan in plans:
            for tt in by_template[plan.template_id]:
                if not tt.applies(plan.org):
                    continue
                target = Target(plan=plan, code=tt.code, template_target=tt)
                for f in TargetSpec.SPEC_FIELDS:
                    setattr(target, f, getattr(tt, f))
                new_targets.append(target)
        Target.objects.bulk_create(new_targets, batch_size=2000)
    log(
        f"  组织与计划:{len(communities)} 个社区,{len(plans)} 个计划,{len(new_targets)} 个指标"
        f"({time.perf_counter() - t0:.1f}s)"
    )

    # Every type of the six areas, equally often; with --rare-incidents, accidents, criminal cases and
    # mass incidents are 200 times rarer than the others, as in life.
    types = []
    for pk, area_id, code in ActivityType.objects.filter(
        area__code__in=[a.code for a in Area.objects.all()]
    ).values_list("pk", "area_id", "code"):
        types += [(pk, area_id)] * (1 if rare_incidents and code in RARE_TYPES else (200 if rare_incidents else 1))
    org_ids = [c.pk for c in communities]
    start = date(year, 1, 1)
    t0 = time.perf_counter()
    table = Record._meta.db_table
    cols = (
        "org_id, area_id, activity_type_id, date, year, title, place, organiser, participant_count, content, "
        "summary, extra, created_at, updated_at, version"
    )
    done = 0
    while done < n_records:
        n = min(CHUNK, n_records - done)
        with transaction.atomic(), connection.cursor() as cur:
            if connection.vendor == "postgresql":
                cur.execute(
                    f"""
                    INSERT INTO {table} ({cols})
                    SELECT (%(orgs)s::bigint[])[1 + (g %% %(norgs)s)],
                           (%(areas)s::bigint[])[t], (%(types)s::bigint[])[t],
                           %(start)s::date + (random() * 364)::int, %(year)s, '基准活动', '', '', 10, '', '',
                           '{{}}'::jsonb, now(), now(), 1
                    FROM (SELECT g, 1 + floor(random() * %(ntypes)s)::int AS t FROM generate_series(1, %(n)s) g) s
                    """,
                    {
                        "orgs": org_ids,
                        "norgs": len(org_ids),
                        "areas": [a for _t, a in types],
                        "types": [t for t, _a in types],
                        "ntypes": len(types),
                        "start": start,
                        "year": year,
                        "n": n,
                    },
                )
            else:
                import random

                rnd = random.Random(done)
                rows = []
                for g in range(n):
                    type_id, area_id = types[rnd.randrange(len(types))]
                    d = date.fromordinal(start.toordinal() + rnd.randrange(365))
                    rows.append(
                        (
                            org_ids[g % len(org_ids)],
                            area_id,
                            type_id,
                            d.isoformat(),
                            year,
                            "基准活动",
                            "",
                            "",
                            10,
                            "",
                            "",
                            "{}",
                            "2025-01-01 00:00:00",
                            "2025-01-01 00:00:00",
                            1,
                        )
                    )
                cur.executemany(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * 15)})", rows)
        done += n
        log(f"  记录:{done:,}/{n_records:,}({time.perf_counter() - t0:.0f}s)")
    with connection.cursor() as cur:
        cur.execute(f"ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE")


def build_indicator_rows(n_residents: int, n_cases: int, year: int) -> None:
    """What the computed indicators count: residents and profiles, cases, a closed survey per community."""
    from shequ.accounts.demo import DemoContext
    from shequ.cases import demo as cases_demo
    from shequ.orgs.models import Org, OrgKind
    from shequ.residents.demo import residents_demo

    communities = list(Org.objects.filter(kind=OrgKind.COMMUNITY, name__startswith="第").order_by("path"))
    ctx = DemoContext(year=year, orgs={f"c{c.pk}": c for c in communities})
    t0 = time.perf_counter()
    residents_demo(ctx, {"residents": n_residents, "quiet": True})
    log(f"  居民:{n_residents:,}({time.perf_counter() - t0:.0f}s)")
    t0 = time.perf_counter()
    with time_machine.travel(date(year, 12, 31), tick=False):
        cases_demo.grow(ctx, n_cases)
    log(f"  事项:{n_cases:,}({time.perf_counter() - t0:.0f}s)")
    t0 = time.perf_counter()
    surveys(communities, year)
    log(f"  问卷:{len(communities)} 份,每份30人({time.perf_counter() - t0:.0f}s)")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def surveys(communities, year: int, respondents: int = 30) -> None:
    """A closed health survey (knowledge and behaviour banks) per community, answered by ``respondents``."""
    import random

    from shequ.orgs.models import Area
    from shequ.surveys.models import Answer, Audience, BankQuestion, Question, Response, Survey, SurveyStatus

    rng = random.Random(year)
    bank = list(BankQuestion.objects.filter(bank__area__code="health", bank__code__in=["literacy", "behaviour"]))
    health = Area.objects.get(code="health")
    with transaction.atomic():
        made = Survey.objects.bulk_create(
            [
                Survey(
                    org=c,
                    area=health,
                    title="居民健康素养调查",
                    audience=Audience.RESIDENTS,
                    status=SurveyStatus.CLOSED,
                    opened_on=date(year, 11, 1),
                    closed_on=date(year, 11, 30),
                )
                for c in communities
            ]
        )
        questions = Question.objects.bulk_create(
            [
                Question(survey=s, source=q, number=n, kind=q.kind, text=q.text, options=q.options, correct=q.correct)
                for s in made
                for n, q in enumerate(bank, 1)
            ]
        )
        by_survey: dict[int, list] = {}
        for q in questions:
            by_survey.setdefault(q.survey_id, []).append(q)
        responses, answers = [], []
        for s in made:
            for _ in range(respondents):
                picked = [(q, rng.random() < 0.85) for q in by_survey[s.pk]]
                r = Response(survey=s, channel="paper")
                for kind in ("knowledge", "behaviour"):
                    setattr(r, f"{kind}_total", sum(1 for q, _ok in picked if q.kind == kind))
                    setattr(r, f"{kind}_right", sum(1 for q, ok in picked if q.kind == kind and ok))
                responses.append(r)
                answers.append(picked)
        Response.objects.bulk_create(responses, batch_size=2000)
        Answer.objects.bulk_create(
            [
                Answer(response=r, question=q, choices=list(q.correct) if ok else [], is_correct=ok)
                for r, picked in zip(responses, answers, strict=True)
                for q, ok in picked
            ],
            batch_size=5000,
        )


def load_targets(year: int):
    """The district's targets of the year as the scheduled job reads them (:mod:`shequ.plans.compliance.kept`: the
    definitions it loaded before are kept, only the ids and versions are read again)."""
    from shequ.plans.compliance import kept
    from shequ.plans.models import Target

    return kept.targets(
        Target.objects.filter(plan__year=year, plan__org__name__startswith="第").order_by("plan__org__path", "sort")
    )


def run_shequ(year: int, today: date):
    from shequ.plans import compliance

    t0 = time.perf_counter()
    targets = load_targets(year)
    run_shequ.load_time = time.perf_counter() - t0
    results = compliance.evaluate(targets, today=today)
    return time.perf_counter() - t0, targets, results


def run_kind(targets, kind: str, today: date, repeat: int) -> tuple[float, int]:
    """Shequ on the targets of one kind alone, best of ``repeat``, and how many they are (the computed indicators:
    their grouped queries over residents, cases and surveys; the counts: the records read, folded and judged)."""
    from shequ.plans import compliance

    chosen = [t for t in targets if t.kind == kind]
    best = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        compliance.evaluate(chosen, today=today)
        elapsed = time.perf_counter() - t0
        best = elapsed if best is None else min(best, elapsed)
    return best or 0.0, len(chosen)


def run_sql(year: int, targets) -> tuple[float, int]:
    """The floor: the same aggregate, written by hand, rows fetched."""
    from shequ.records.models import ActivityType, Record

    codes = {code for t in targets if t.kind == "count" for code in t.activity_codes}
    type_ids = sorted(
        pk for pk, a, c in ActivityType.objects.values_list("pk", "area__code", "code") if f"{a}/{c}" in codes
    )
    org_ids = sorted({t.plan.org_id for t in targets})
    table = Record._meta.db_table
    if connection.vendor == "postgresql":
        month, half = "EXTRACT(MONTH FROM date)", "CASE WHEN EXTRACT(DAY FROM date) > 15 THEN 1 ELSE 0 END"
    else:
        month = "CAST(strftime('%%m', date) AS INTEGER)"
        half = "CASE WHEN CAST(strftime('%%d', date) AS INTEGER) > 15 THEN 1 ELSE 0 END"
    sql = f"""
        SELECT org_id, activity_type_id, {month} AS m, {half} AS h, COUNT(*)
        FROM {table}
        WHERE year = %s AND activity_type_id IN ({", ".join(["%s"] * len(type_ids))})
          AND org_id IN ({", ".join(["%s"] * len(org_ids))})
        GROUP BY 1, 2, 3, 4
    """
    params = [year, *type_ids, *org_ids]
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    return time.perf_counter() - t0, len(rows)


def _is_halves(sql: str) -> bool:
    """Whether a query Shequ sent is its records aggregate by half month (the hand-written one stands in for it)."""
    return '"records_record"' in sql and ("EXTRACT(MONTH" in sql or "django_date_extract('month'" in sql)


def shequ_queries(year: int, today: date) -> list[str]:
    """Every query one Shequ run sends (loading the targets included), as the database received it."""
    from shequ.plans import compliance

    connection.queries_log.clear()  # a full log would leave nothing to capture
    with CaptureQueriesContext(connection) as q:
        compliance.evaluate(load_targets(year), today=today)
    return [x["sql"] for x in q.captured_queries]


def run_raw(queries: list[str]) -> float:
    """The queries sent again as they are, rows fetched and dropped."""
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for sql in queries:
            cur.execute(sql)
            cur.fetchall()
    return time.perf_counter() - t0


def run_loop(targets, year: int, budget: float) -> tuple[float, int, int, bool]:
    """One COUNT per count target per period, the way a first version would: sampled within ``budget``."""
    from shequ.orgs.models import Org
    from shequ.plans import periods
    from shequ.plans.models import Target
    from shequ.records.models import ActivityType, Record

    t0 = time.perf_counter()
    counted = list(
        Target.objects.filter(pk__in=[t.pk for t in targets if t.kind == "count"]).select_related("plan", "plan__org")
    )
    done_targets = 0
    for t in counted:
        types = []
        for code in t.activity_codes:
            area_code, _, type_code = code.partition("/")
            types += list(
                ActivityType.objects.filter(area__code=area_code, code=type_code).values_list("pk", flat=True)
            )
        org_ids = list(Org.objects.subtree(t.plan.org).values_list("pk", flat=True))
        for span in periods.spans(t.period, year, t.months):
            Record.objects.filter(
                org_id__in=org_ids, activity_type_id__in=types, date__gte=span.start, date__lte=span.end
            ).count()
        done_targets += 1
        if time.perf_counter() - t0 > budget:
            break
    elapsed = time.perf_counter() - t0
    sampled = done_targets < len(counted)
    total = elapsed / done_targets * len(counted) if sampled else elapsed
    return total, done_targets, len(counted), sampled


def main() -> None:
    args = parse_args()
    setup_test_environment()
    alias = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(Path(alias).with_name("bench_compliance.sqlite3"))
    log(f"数据库:{connection.vendor};创建基准库…")
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=args.keepdb, serialize=False)
    try:
        from shequ.records.models import Record

        existing = Record.objects.count()
        if existing != args.records:
            if existing:
                raise SystemExit(f"基准库已有 {existing} 条记录,与 --records 不符:去掉 --keepdb 重建。")
            log(f"构建数据:{args.communities} 个社区,{args.records:,} 条记录,{args.year}年")
            build(args.records, args.communities, args.year, args.rare_incidents)
            build_indicator_rows(args.residents, args.cases, args.year)
        today = date(args.year, 12, 31)
        cold_t, *_ = run_shequ(args.year, today)  # warm the caches once
        cold_load_t = run_shequ.load_time
        queries = shequ_queries(args.year, today)
        others = [q for q in queries if not _is_halves(q)]
        shequ_times, sql_times, load_times, other_times = [], [], [], []
        for _ in range(args.repeat):
            elapsed, targets, results = run_shequ(args.year, today)
            shequ_times.append(elapsed)
            load_times.append(run_shequ.load_time)
            sql_elapsed, sql_rows = run_sql(args.year, targets)
            sql_times.append(sql_elapsed)
            other_times.append(run_raw(others))
        shequ_t, sql_t, other_t = min(shequ_times), min(sql_times), min(other_times)
        floor_t = sql_t + other_t
        indicator_t, n_indicator = run_kind(targets, "indicator", today, args.repeat)
        counts_t, _n = run_kind(targets, "count", today, args.repeat)
        loop_t, looped, count_targets, sampled = run_loop(targets, args.year, args.loop_seconds)
        states = {}
        for r in results.values():
            states[r.state] = states.get(r.state, 0) + 1
        log("")
        log(
            f"| 数据 | {args.records:,} 条记录,{args.communities} 个社区,{len(targets):,} 个指标"
            f"(其中次数类 {count_targets:,}),{connection.vendor} |"
        )
        log("| 方法 | 用时 | 说明 |")
        log("| --- | ---: | --- |")
        log(f"| Shequ compliance.evaluate | {shequ_t:.3f} s | 全区全年全部指标,含读取指标;{args.repeat} 次取最好 |")
        load_t = load_times[shequ_times.index(shequ_t)]
        log(f"| 其中:读取 {len(targets):,} 个指标 | {load_t:.3f} s | 计算(含全部查询){shequ_t - load_t:.3f} s |")
        log(
            f"| 进程首次计算 | {cold_t:.3f} s | 其中首次读取指标定义 {cold_load_t:.3f} s"
            "(之后只读各指标及其计划的版本号,改过的才重读) |"
        )
        log(
            f"| 其中:{n_indicator:,} 个计算指标 | {indicator_t:.3f} s | 单独计算这些指标;"
            f"占 Shequ 用时 {indicator_t / shequ_t:.0%} |"
        )
        log(
            f"| 下限:同样的工作只用 SQL | {floor_t:.3f} s | 手写记录聚合 {sql_t:.3f} s"
            f" + Shequ 其余 {len(others)} 个查询原样重发 {other_t:.3f} s |"
        )
        log(f"| Shequ 只算次数类指标 | {counts_t:.3f} s | {count_targets:,} 个次数类指标,含全部查询 |")
        log(f"| 手写 SQL 聚合(次数类的下限) | {sql_t:.3f} s | 同样按单位、类型、半月分组,{sql_rows:,} 行 |")
        how = (
            f"按 {looped} 个指标的实测外推到 {count_targets:,} 个" if sampled else f"全部 {count_targets:,} 个指标实测"
        )
        log(f"| 逐指标逐周期 ORM 循环 | {loop_t:.1f} s | 每个次数类指标每个周期一次 COUNT;{how} |")
        log(f"状态分布:{states}")
        log(
            f"RESULT records={args.records} residents={args.residents} cases={args.cases} "
            f"vs_sql={shequ_t / floor_t:.2f} counts_vs_sql={counts_t / sql_t:.2f} "
            f"loop_vs_shequ={loop_t / counts_t:.1f} indicators_share={indicator_t / shequ_t:.2f}"
        )
    finally:
        if not args.keepdb:
            connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
