"""Public feeds are shared by caches: they must never carry a cookie or vary on one."""

from django.utils.http import split_header_value


class CookieFreePublicFeedsMiddleware:
    """Drop cookies that session/CSRF middleware add to a `Cache-Control: public` feed.

    Calendar clients send no cookies, but a browser with a stale or malformed cookie would
    otherwise get a Set-Cookie (and `Vary: Cookie`) on a response that shared caches keep.
    Must stand first in MIDDLEWARE so it sees the response last.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_feed = response.get("Content-Type", "").startswith("text/calendar")
        if is_feed and "public" in response.get("Cache-Control", ""):
            response.cookies.clear()
            if response.has_header("Vary"):
                kept = [
                    field
                    for field in split_header_value(response["Vary"])
                    if field.lower() != "cookie"
                ]
                if kept:
                    response["Vary"] = ", ".join(kept)
                else:
                    del response["Vary"]
        return response
