"""The organiser's say on how long an event keeps its registration data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from escape_events.registrations.services import RegistrationRefused, set_retention_period

from .. import selectors
from ..forms import RetentionForm
from ..permissions import organised_event_or_404


@login_required
@require_POST
def event_retention(request, slug):
    event = organised_event_or_404(request.user, slug)
    stored = selectors.registration_settings(event)
    form = RetentionForm(request.POST)
    if stored is None:
        messages.error(request, _("This event takes no registrations, so it keeps no such data."))
    elif not form.is_valid():
        for error in form.errors.get("months", []):
            messages.error(request, _("Not saved: %(error)s") % {"error": error})
    else:
        try:
            set_retention_period(
                settings=stored, months=form.cleaned_data["months"], by=request.user
            )
        except RegistrationRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Saved: how long this event keeps registration data."))
    return redirect("organisers:event_overview", slug=event.slug)
