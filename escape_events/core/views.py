"""Site-wide views that belong to no domain: the load balancer's health check, the error page that
tells a request it arrived while the database was away (503, try again) from a real fault (500),
and the favicon route."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

# A dependency that is down or restarting, not a bug: the same request will work again soon.
UNAVAILABLE = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)
RETRY_AFTER_SECONDS = 10


@never_cache
def health(request):
    """200 when this app server can reach the database, else 503 (HAProxy takes it out)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """Django's handler500, run inside the `except` that caught the error. Both pages are plain
    templates rendered without the request: no context processor may touch the database."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page says: send the icon."""
    return redirect(static("favicon.svg"), permanent=True)
