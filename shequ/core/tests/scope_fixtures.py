"""Classification of the foundation's URLs for the authorization matrix (see test_authorization_matrix)."""

from shequ.accounts.models import Membership

# /metrics is for scrapers (an address or a token, shequ/core/metrics.py), not people: test_metrics.py tests it.
PUBLIC_URLS = {"login", "accounts:unlock", "healthz", "metrics", "favicon", "api:openapi-json", "api:api-root"}

# URLs about data that belongs to no org (the areas): they require login, and a role may get 403.
GLOBAL_URLS = {"orgs:area_edit": lambda p: {"pk": 1}}


def _membership_of_worker_a(p):
    return {"pk": Membership.objects.get(user=p.worker_a).pk}


def _token_of_worker_a(p):
    from shequ.accounts.services import token_create

    return {"pk": token_create(actor=p.worker_a, name="matrix")[0].pk}


URL_OBJECTS = {
    "accounts:token_revoke": _token_of_worker_a,
    "orgs:detail": lambda p: {"pk": p.community_a.pk},
    "orgs:create": lambda p: {"parent_pk": p.community_a.pk},
    "orgs:edit": lambda p: {"pk": p.community_a.pk},
    "orgs:move": lambda p: {"pk": p.community_a.pk},
    "orgs:retire": lambda p: {"pk": p.grid_a.pk},
    "accounts:switch": _membership_of_worker_a,
    "api:get_org": lambda p: {"org_id": p.community_a.pk},
    "api:get_children": lambda p: {"org_id": p.community_a.pk},
    "accounts:user_detail": lambda p: {"pk": p.worker_a.pk},
    "accounts:user_active": lambda p: {"pk": p.worker_a.pk},
    "accounts:membership_add": lambda p: {"pk": p.worker_a.pk},
    "accounts:membership_change": _membership_of_worker_a,
    "accounts:membership_end": _membership_of_worker_a,
}

# A membership belongs to its user: only worker_a may switch to it.
URL_INSIDERS = {
    "accounts:switch": ("worker_a",),
    "accounts:token_revoke": ("worker_a",),
    # Accounts are managed by administrators; 社区A's leader sees its people but gets 403 managing them.
    "accounts:user_detail": ("admin",),
    "accounts:user_active": ("admin",),
    "accounts:membership_add": ("admin",),
    "accounts:membership_change": ("admin",),
    "accounts:membership_end": ("admin",),
}

# The extended matrix: a membership and a token are their user's alone; a grid lies in its community.
URL_REACH = {"accounts:switch": "owner", "accounts:token_revoke": "owner"}
URL_OWNERS = {"accounts:switch": ("worker_a",), "accounts:token_revoke": ("worker_a",)}
GRID_URLS = {"orgs:retire"}
