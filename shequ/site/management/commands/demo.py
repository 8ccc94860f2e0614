from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand

from shequ.accounts import demo as base_demo
from shequ.core.registry import demo_steps


class Command(BaseCommand):
    help = "Build the demo district (idempotent): org tree, accounts for every role, and each part's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="year of the demo's records (default: this year)")
        parser.add_argument("--quiet", action="store_true", help="do not print the accounts")
        for step in demo_steps():
            if step.add_arguments is not None:
                step.add_arguments(parser)

    def handle(self, *args, **options):
        ctx = base_demo.DemoContext(year=options["year"] or date.today().year, options=options)
        for step in demo_steps():
            step.run(ctx, options)
        if not options["quiet"]:
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已就绪：{len(ctx.orgs)} 个组织，{len(ctx.users)} 个演示账号。")
            )
            self.stdout.write(f"所有演示账号的密码: {base_demo.DEMO_PASSWORD}（也可用手机号登录）")
            for username, name, phone, org_key, _role, title, _areas, _su in base_demo.ACCOUNTS:
                self.stdout.write(f"  {username:<20} {phone}  {ctx.orgs[org_key].name} · {title}（{name}）")
