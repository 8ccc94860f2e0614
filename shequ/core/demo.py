"""The steps of ``manage.py demo``, in order. Each later part adds its step here.

A step is ``step(ctx, options)``; it must be idempotent (running the demo twice adds nothing) and
may add command-line options through ``step.add_arguments(parser)``.
"""

from __future__ import annotations

STEPS: list = []
STEPS.append(__import__("shequ.records.demo", fromlist=["step"]).step)
STEPS.append(__import__("shequ.plans.demo", fromlist=["step"]).step)
STEPS.append(__import__("shequ.residents.demo", fromlist=["residents_demo"]).residents_demo)
STEPS.append(__import__("shequ.cases.demo", fromlist=["step"]).step)
