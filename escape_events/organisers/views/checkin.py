"""At the door: the check-in page (works on a phone), where ticket QR codes lead; attendance."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.core.downloads import personal_download
from escape_events.events.models import MeetingAttendance
from escape_events.registrations.checkin import PRESENT, check_in, code_from_scan, door_count
from escape_events.registrations.models import Registration

from .. import services
from ..exports import defuse
from ..forms import AttendanceForm, CheckInForm
from ..permissions import can_organise, organised_event_or_404

MAX_MATCHES = 30


@login_required
@require_http_methods(["GET", "POST"])
def check_in_page(request, slug):
    event = organised_event_or_404(request.user, slug)
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(form.non_field_errors()) or _("Scan or type a code."))
            return redirect("organisers:check_in", slug=event.slug)
        target = form.cleaned_data["code"]
        if form.cleaned_data["registration"]:
            target = Registration.objects.filter(
                event=event, pk=form.cleaned_data["registration"]
            ).first()
            if target is None:
                messages.error(request, _("This person is not registered for this event."))
                return redirect("organisers:check_in", slug=event.slug)
        result = check_in(
            code_or_registration=target,
            event=event,
            by=request.user,
            accept_remote=form.cleaned_data["accept_remote"],
        )
        (messages.success if result.checked_in else messages.warning)(request, result.message)
        return redirect("organisers:check_in", slug=event.slug)
    query = request.GET.get("q", "").strip()[:100]
    code = code_from_scan(request.GET.get("code", ""))[:64]
    scanned = (
        Registration.objects.filter(check_in_code=code).select_related("user", "event").first()
        if code
        else None
    )
    matches = []
    if query:
        matches = (
            Registration.objects.filter(event=event)
            .filter(
                Q(user__first_name__icontains=query)
                | Q(user__last_name__icontains=query)
                | Q(user__email__icontains=query)
            )
            .select_related("user")
            .order_by("user__last_name", "user__first_name")[:MAX_MATCHES]
        )
    context = {
        "event": event,
        "query": query,
        "code": code,
        "scanned": scanned,
        "scanned_elsewhere": scanned is not None and scanned.event_id != event.pk,
        "matches": matches,
        "door": door_count(event),
    }
    return render(request, "organisers/check_in.html", context)


@login_required
@require_GET
def scan(request, code):
    """Where a ticket's QR code leads: the check-in page of the event it belongs to."""
    registration = (
        Registration.objects.filter(check_in_code=code_from_scan(code)[:64])
        .select_related("event")
        .first()
    )
    if registration is None or not can_organise(request.user, registration.event):
        raise Http404("No registration of an event you organise has this code.")
    target = reverse("organisers:check_in", kwargs={"slug": registration.event.slug})
    return redirect(f"{target}?code={registration.check_in_code}")


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = AttendanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        names = form.cleaned_data["names"]
        for name in names:
            services.record_attendance(event=event, name=name)
        messages.success(
            request,
            ngettext("Recorded %(count)d present.", "Recorded %(count)d present.", len(names))
            % {"count": len(names)},
        )
        return redirect("organisers:attendance", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "people": MeetingAttendance.objects.filter(event=event).select_related("user"),
        "checked_in": Registration.objects.filter(PRESENT, event=event).count(),
    }
    return render(
        request, "organisers/attendance.html", context, status=400 if form.is_bound else 200
    )


@login_required
@require_POST
def attendance_from_check_ins(request, slug):
    event = organised_event_or_404(request.user, slug)
    added = services.attendance_from_check_ins(event=event)
    messages.success(
        request,
        ngettext(
            "Added %(count)d person checked in at the door.",
            "Added %(count)d people checked in at the door.",
            added,
        )
        % {"count": added},
    )
    return redirect("organisers:attendance", slug=event.slug)


@login_required
@require_POST
def attendance_remove(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    entry = get_object_or_404(MeetingAttendance, event=event, pk=pk)
    services.remove_attendance(entry=entry)
    messages.success(
        request, _("%(name)s removed from the attendance list.") % {"name": entry.name}
    )
    return redirect("organisers:attendance", slug=event.slug)


@login_required
@require_GET
def attendance_export(request, slug):
    event = organised_event_or_404(request.user, slug)
    response = personal_download(
        HttpResponse(content_type="text/csv; charset=utf-8"),
        filename=f"{event.slug}-attendance.csv",
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Name"), _("E-mail"), pgettext("column", "Event"), _("Date")])
    day = event.local_start.date().isoformat()
    for entry in MeetingAttendance.objects.filter(event=event).select_related("user"):
        email = entry.user.email if entry.user else ""
        writer.writerow([defuse(entry.name), defuse(email), defuse(event.title), day])
    return response
