"""Who among the organisers hears what happens at an event, and how often."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from escape_events.events.permissions import organisers_of

from ..forms import NotificationSettingsForm
from ..models import NotificationSettings, OrganiserNotice
from ..notifications import save_notification_settings
from ..permissions import organised_event_or_404


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request, slug):
    event = organised_event_or_404(request.user, slug)
    stored = NotificationSettings.objects.filter(event=event).first()
    organisers = organisers_of(event).order_by("last_name", "first_name", "email")
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, organisers=organisers)
        if form.is_valid():
            save_notification_settings(event=event, values=form.values())
            messages.success(
                request,
                _("Saved: organisers are told as chosen.")
                if form.values()
                else _("Saved: nobody is told any more."),
            )
            return redirect("organisers:notifications", slug=event.slug)
        status = 400
    else:
        form = NotificationSettingsForm(
            initial=NotificationSettingsForm.initial_for(stored), organisers=organisers
        )
        status = 200
    context = {
        "event": event,
        "form": form,
        "recent": OrganiserNotice.objects.filter(event=event).order_by("-created_at", "-pk")[:20],
    }
    return render(request, "organisers/notifications.html", context, status=status)
