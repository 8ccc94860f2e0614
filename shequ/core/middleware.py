from __future__ import annotations

import re

from django.http import JsonResponse

INT64_MAX = 2**63 - 1
_INTEGER = re.compile(r"^[+-]?\d{19,}$")


class RejectNulBytesMiddleware:
    """Refuse requests that no person sends and that the database cannot take.

    NUL characters (PostgreSQL text cannot store them) in query or form fields, and whole numbers
    in the query beyond 64 bits (no id, page or offset is that large): answered with a 400 before
    they reach a query, instead of turning a search box or an API filter into a server error.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return self._refuse()
        for _key, values in request.GET.lists():
            if any(_INTEGER.match(v) and abs(int(v)) > INT64_MAX for v in values):
                return self._refuse("参数超出允许的范围。")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for values in request.POST.lists():
                if any("\x00" in v for v in values[1]) or "\x00" in values[0]:
                    return self._refuse()
        return self.get_response(request)

    @staticmethod
    def _refuse(message: str = "请求中含有不允许的空字符。"):
        return JsonResponse({"code": "invalid", "message": message, "detail": None}, status=400)
