"""The account page (who you are, your groups, your data), the privacy notice, downloading
your data and deleting your account."""

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from escape_events.core.downloads import personal_download

from .forms import DeleteAccountForm, ProfileForm
from .languages import site_language
from .models import PrivacyNotice
from .selectors import deletion_preview, personal_data, privacy_notice_versions
from .services import (
    delete_account,
    privacy_contact,
    privacy_notice_in_force,
    set_preferred_language,
)


def account_links() -> list[tuple[str, str]]:
    """(label, address) of the pages of higher apps the account page links to: the project lists
    them (PROFILE_PAGE_LINKS, labels marked with gettext_noop) because accounts may not name those
    apps' URLs."""
    return [(_(label), reverse(url_name)) for label, url_name in settings.PROFILE_PAGE_LINKS]


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Your profile is saved."))
            return redirect("accounts:profile")
        context = {"form": form, "links": account_links()}
        return render(request, "account/profile.html", context, status=400)
    groups = request.user.groups.order_by("name")
    context = {"form": form, "groups": groups, "links": account_links()}
    return render(request, "account/profile.html", context)


@require_GET
def privacy_notice(request, version=None):
    """The notice in force, or an earlier version someone accepted (linked from their data)."""
    current = privacy_notice_in_force()
    if version is None:
        notice = current
    else:
        notice = PrivacyNotice.objects.filter(version=version).first()
        if notice is None:
            raise Http404(_("There is no such version of the privacy notice."))
    context = {
        "notice": notice,
        "current": current,
        "versions": privacy_notice_versions(),
        "contact": privacy_contact(),
    }
    return render(request, "account/privacy_notice.html", context)


@require_GET
@login_required
@reauthentication_required
def my_data(request):
    """Everything the site holds about you, as a JSON file (after confirming it is you)."""
    now = timezone.now()
    body = json.dumps(personal_data(request.user, now=now), cls=DjangoJSONEncoder, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"escape-events-my-data-{timezone.localdate(now):%Y-%m-%d}.json"
    return personal_download(response, filename=filename)


@require_http_methods(["GET", "POST"])
@login_required
@reauthentication_required
def delete_my_account(request):
    """Confirm who you are (allauth asks for the password or the identity provider), read what
    will happen, tick the box, delete."""
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        deleted = delete_account(user=request.user, by=request.user)
        logout(request)
        messages.success(
            request,
            _("Your account is deleted. A confirmation is on its way to %(email)s.")
            % {"email": deleted.email},
        )
        return redirect(settings.LOGIN_REDIRECT_URL)
    context = {"form": form, "preview": deletion_preview(request.user)}
    return render(request, "account/delete.html", context, status=400 if form.is_bound else 200)


@csrf_exempt
@require_POST
def set_language(request):
    """The header's language switcher: Django's set_language (the language cookie, back to
    `next`), and for a signed-in person the choice is stored on the account too.

    A visitor's pages carry no CSRF token (they set no cookie and stay cacheable), and a
    language cookie is harmless, so the view is exempt; a signed-in person's choice writes the
    account, so that request is checked as every other form of theirs is."""
    if request.user.is_authenticated:
        refusal = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refusal is not None:
            return refusal
    response = django_set_language(request)
    language = site_language(request.POST.get("language"))
    if not language:
        # Django accepts any language it has a catalogue for; the site offers only its own.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    elif request.user.is_authenticated:
        set_preferred_language(user=request.user, language=language)
    return response
