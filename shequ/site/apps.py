from shequ.core import registry


class SiteConfig(registry.ShequAppConfig):
    """The site shell above every app: home, navigation, dashboard, demo command, deploy checks."""

    name = "shequ.site"
    verbose_name = "站点"
    nav = (registry.NavEntry(order=0, label="工作台", url_name="dashboard"),)

    def ready(self):
        from shequ.site import checks  # noqa: F401 - registers the deploy checks that know the apps
