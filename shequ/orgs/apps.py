from shequ.core import registry


class OrgsConfig(registry.ShequAppConfig):
    """The org tree and the areas as data; the pages that administer them are the accounts app's."""

    name = "shequ.orgs"
    verbose_name = "组织"
