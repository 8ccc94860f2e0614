from __future__ import annotations

from django.core.management.base import BaseCommand

from shequ.core.demo import STEPS
from shequ.orgs import demo as base_demo


class Command(BaseCommand):
    help = "Build the demo district (idempotent): org tree, accounts for every role, and each part's demo data."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="year of the demo's records (default: this year)")
        parser.add_argument("--streets", type=int, default=2, help="number of streets/towns (default 2)")
        parser.add_argument("--communities", type=int, default=2, help="communities per street (default 2)")
        parser.add_argument("--quiet", action="store_true", help="do not print the accounts")
        for step in STEPS:
            if hasattr(step, "add_arguments"):
                step.add_arguments(parser)

    def handle(self, *args, **options):
        ctx = base_demo.build(year=options["year"], streets=options["streets"], communities=options["communities"])
        ctx.options = options
        for step in STEPS:
            step(ctx, options)
        if not options["quiet"]:
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已就绪:{len(ctx.orgs)} 个组织,{len(ctx.users)} 个演示账号。")
            )
            self.stdout.write(f"所有演示账号的密码: {base_demo.DEMO_PASSWORD}(也可用手机号登录)")
            for username, name, phone, org_key, _role, title, _areas, _su in base_demo.ACCOUNTS:
                self.stdout.write(f"  {username:<20} {phone}  {ctx.orgs[org_key].name} · {title}({name})")
