"""What the apps declare for the shell: navigation, cards and demo steps, each in one explicit order."""

from __future__ import annotations

import contextlib

from django.core.management import call_command

from shequ.core.registry import dashboard_sources, demo_steps, nav_entries


def test_orders_are_unique_so_the_shell_never_depends_on_app_loading():
    for items in (nav_entries(), dashboard_sources(), demo_steps()):
        orders = [item.order for item in items]
        assert len(orders) == len(set(orders)), orders


def test_demo_builds_the_tree_and_accounts_first_then_records_plans_residents_sign_ins_groups_cases_care():
    modules = [step.run.__module__ for step in demo_steps()]
    assert modules == [
        "shequ.accounts.demo",
        "shequ.records.demo",
        "shequ.plans.demo",
        "shequ.residents.demo",
        "shequ.records.demo_signins",
        "shequ.surveys.demo",
        "shequ.groups.demo",
        "shequ.cases.demo",
        "shequ.letters.demo",
        "shequ.documents.demo",
        "shequ.care.demo",
        "shequ.education.demo",
        "shequ.reports.demo",
        "shequ.assessment.demo",
        "shequ.dossier.demo",
        "shequ.portal.demo",
    ]


def test_demo_command_takes_the_options_each_part_declares(capsys):
    with contextlib.suppress(SystemExit):
        call_command("demo", "--help")
    text = capsys.readouterr().out
    for option in ("--year", "--streets", "--communities", "--records-one-year", "--residents", "--cases"):
        assert option in text
