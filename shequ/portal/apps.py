from shequ.accounts.roles import Perm
from shequ.core import registry


class PortalConfig(registry.ShequAppConfig):
    name = "shequ.portal"
    verbose_name = "居民端"
    nav = (registry.NavEntry(order=90, label="居民端", url_name="portal:mine", perm=Perm.REPORT_CASE),)
