"""Classification of the residents' side URLs for the authorization matrix.

The public board, the portal's home and registration are open to anyone. A resident's own case
(and its rating form and photos) is theirs: staff who may see the case are sent to the worker page;
everyone else gets 404.
"""

from __future__ import annotations

PUBLIC_URLS: set[str] = {"portal:home", "portal:register", "portal:register_code", "portal:board"}


def _opinion(p, **kw):
    from shequ.cases import services
    from shequ.cases.tests.helpers import ctype

    return services.case_report(
        actor=p.resident,
        case_type=ctype("opinion"),
        org=p.community_a,
        title="楼道灯不亮",
        description="3栋2单元楼道灯坏了一周。",
        category="意见",
        **kw,
    )


def _photo(p):
    from shequ.cases.tests.helpers import image_upload

    return {"pk": _opinion(p, photos=[image_upload()]).attachments.get().pk}


URL_OBJECTS = {
    "portal:case": lambda p: {"pk": _opinion(p).pk},
    "portal:rate": lambda p: {"pk": _opinion(p).pk},
    "portal:photo": _photo,
}

# The extended matrix: an opinion is a case of 居民自治, and the resident who reported it owns it.
AREA = "selfgov"
URL_OWNERS = dict.fromkeys(URL_OBJECTS, ("resident",))
