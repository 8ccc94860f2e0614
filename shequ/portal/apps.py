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
