"""Who calls: a personal API token (Authorization: Bearer) or the browser session (with CSRF).

A token carries scopes; a session is the person themselves and may do everything they may do
on the pages. Organiser reads and writes are further limited to the events the person organises
(and to one event when the token names one).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from escape_events.core.tokens import hash_token
from escape_events.events.models import Event
from escape_events.organisers.permissions import organised_event_or_404

from .models import ApiToken
from .services import note_token_use

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked, unexpired token of an active person with this secret, if any."""
    return (
        ApiToken.objects.select_related("user")
        .filter(
            token_hash=hash_token(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; an unknown, expired or revoked token is a 401."""

    openapi_scheme = "bearer"

    def __call__(self, request):
        request.api_token = None
        return super().__call__(request)

    def authenticate(self, request, token):
        found = active_token(token)
        if found is None:
            raise AuthenticationError(
                401, gettext("This API token is unknown, expired or revoked.")
            )
        note_token_use(token=found)
        request.api_token = found
        return found.user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; its writes need the CSRF token (X-CSRFToken header)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        request.api_token = None
        if not request.user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise AuthorizationError(
                403,
                gettext(
                    "CSRF check failed: with a session, send the X-CSRFToken header "
                    "(API tokens need none)."
                ),
            )
        return request.user


AUTH = [TokenAuth(), SessionAuth()]


def anonymous(request):
    """For public reads that show a known caller more (an event's materials): no credentials is
    fine, and the caller is nobody in particular. A bad token is still a 401."""
    return AnonymousUser()


OPTIONAL_AUTH = [*AUTH, anonymous]

REGISTRATIONS = "registrations"
ORGANISER_READ = "organiser:read"
ORGANISER_WRITE = "organiser:write"


def require_scope(request, scope: str) -> None:
    """A session may do all its person may; a token only what its scopes say."""
    token = getattr(request, "api_token", None)
    if token is not None and scope not in token.scopes:
        raise AuthorizationError(
            403,
            # Translators: %(scope)s is an API scope name, e.g. organiser:read (not translated).
            gettext("This API token lacks the %(scope)s scope.") % {"scope": scope},
        )


def within_token_event(request, events):
    """Events of a token limited to one event: that one only."""
    token = getattr(request, "api_token", None)
    return events.filter(pk=token.event_id) if token and token.event_id else events


def organised_event(request, slug: str, scope: str = ORGANISER_READ) -> Event:
    """The event if the caller organises it (and the token reaches it); otherwise 404."""
    require_scope(request, scope)
    event = organised_event_or_404(request.auth, slug)
    token = getattr(request, "api_token", None)
    if token is not None and token.event_id and token.event_id != event.pk:
        raise Http404(gettext("This API token is limited to another event."))
    return event
