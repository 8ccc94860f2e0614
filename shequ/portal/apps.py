from shequ.accounts.roles import Perm, Role
from shequ.core import registry


class PortalConfig(registry.ShequAppConfig):
    name = "shequ.portal"
    verbose_name = "居民端"
    # The residents' side is for residents, supervisors and volunteers; staff report on the worker side.
    nav = (
        registry.NavEntry(
            order=90,
            label="居民端",
            url_name="portal:mine",
            perm=Perm.REPORT_CASE,
            roles=frozenset({Role.RESIDENT, Role.MONITOR, Role.VOLUNTEER}),
        ),
    )

    def ready(self):
        from shequ.portal import demo

        # After every line of work: the demo resident's own data reads what they made.
        self.demo_steps = (registry.DemoStep(order=49, run=demo.step),)
