from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from .models import Event, Registration


@require_safe
@login_required
def event_page(request, slug):
    event = get_object_or_404(Event, slug=slug)
    return render(request, "floor/event.html", {"event": event})


@require_POST
@login_required
def register(request, slug):
    """Lock the event row, count the confirmed rows, insert one: the whole of a seat race."""
    with transaction.atomic():
        event = get_object_or_404(Event.objects.select_for_update(), slug=slug)
        taken = event.registrations.filter(status="confirmed").count()
        status = "confirmed" if taken < event.seats else "waiting"
        Registration.objects.create(event=event, user=request.user, status=status)
    return redirect("event", slug=slug)
