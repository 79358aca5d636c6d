"""The account page's API tokens: make one (shown once), see when each was used, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from escape_events.events.when import clock_text, date_text

from .forms import TokenForm
from .models import ApiToken
from .problems import PROBLEM_TYPE, problem
from .services import issue_api_token, revoke_api_token


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, secret = issue_api_token(
                user=request.user,
                name=form.cleaned_data["name"],
                registrations=form.cleaned_data["registrations"],
                organiser=form.cleaned_data["organiser"],
                event=form.cleaned_data["event"],
                lifetime=form.lifetime_delta(),
            )
            form = TokenForm(user=request.user)
        else:
            status = 400
    context = {
        "form": form,
        "secret": secret,
        # A shell command, the same in every language.
        "try_command": secret
        and (
            f'curl -H "Authorization: Bearer {secret}" '
            f"{request.scheme}://{request.get_host()}/api/me/registrations"
        ),
        "tokens": _with_dates(
            ApiToken.objects.filter(user=request.user, revoked_at__isnull=True)
            .select_related("event")
            .order_by("-created_at")
        ),
        "now": timezone.now(),
    }
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user, revoked_at__isnull=True)
    revoke_api_token(token=token)
    messages.success(
        request,
        gettext("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name},
    )
    return redirect("api_tokens:list")


def not_found(request, rest=""):
    """Addresses under /api/ that name no operation answer in the API's own error format."""
    return JsonResponse(
        problem(404, gettext("The API has no such address; see /api/docs."), code="not_found"),
        status=404,
        content_type=PROBLEM_TYPE,
    )


def _with_dates(tokens) -> list[ApiToken]:
    """The tokens with their dates as the reader's language writes them, in the site's zone:
    `made_text`, `expires_text` ('25 Jan 2027') and `used_text` ('25 Jan 2027, 14:00')."""
    tokens = list(tokens)
    for token in tokens:
        token.made_text = date_text(timezone.localtime(token.created_at))
        token.expires_text = date_text(timezone.localtime(token.expires_at))
        token.used_text = ""
        if token.last_used_at:
            used = timezone.localtime(token.last_used_at)
            # Translators: when an API token was last used: "25 Jan 2027, 14:00".
            token.used_text = gettext("%(date)s, %(time)s") % {
                "date": date_text(used),
                "time": clock_text(used),
            }
    return tokens
