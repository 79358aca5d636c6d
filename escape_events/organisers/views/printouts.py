"""Printouts of an event (PDF): the list of them, their design, the ones made in the background,
and the attendance and certificates pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.core.downloads import personal_download
from escape_events.registrations import attendance as attendance_records
from escape_events.registrations.models import Registration

from ..forms import AttendanceListForm, MarkAttendanceForm, PrintDesignForm
from ..imports import ListUnreadable, read_attendance_list
from ..models import Certificate, PrintDesign, PrintJob
from ..permissions import organised_event_or_404
from ..printouts import PRINTOUTS, PrintingUnavailable, certificates, people_for, render_printout
from ..printouts.badges import design_for
from ..printouts.jobs import IN_REQUEST_MAX, current_job, fingerprint, request_job


def _printout_or_404(kind):
    item = PRINTOUTS.get(kind)
    if item is None:
        raise Http404("No such printout: there are a sign-in sheet, badges and certificates.")
    return item


def _pdf_response(content, name):
    """A PDF of people's names: shown in the browser, kept by no cache on the way."""
    response = HttpResponse(content, content_type="application/pdf")
    return personal_download(response, filename=name, inline=True)


def _printouts_page(request, event, *, status=200):
    items = []
    for item in PRINTOUTS.values():
        people = people_for(item, event)
        job = current_job(item, event, fingerprint(item, event, people))
        items.append({"printout": item, "count": len(people), "job": job})
    context = {
        "event": event,
        "items": items,
        "design": design_for(event),
        "certificates_refusal": certificates.refusal(event),
        "in_request_max": IN_REQUEST_MAX,
    }
    return render(request, "organisers/printouts.html", context, status=status)


@login_required
@require_GET
def printouts(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _printouts_page(request, event)


@login_required
@require_GET
def printout(request, slug, kind):
    """The PDF now: the one kept from the background when the data did not change since, made
    here for a short list, else the way to have it made in the background."""
    event = organised_event_or_404(request.user, slug)
    item = _printout_or_404(kind)
    if item.slug == "certificates" and (why := certificates.refusal(event)):
        messages.error(request, why)
        return _printouts_page(request, event, status=409)
    people = people_for(item, event)
    if item.slug == "certificates":
        certificates.issue_all(people)
    job = current_job(item, event, fingerprint(item, event, people))
    if job is not None and job.status == PrintJob.Status.DONE:
        return _job_file(job)
    if len(people) > IN_REQUEST_MAX:
        messages.info(
            request,
            _(
                "%(printout)s: %(count)d people are more than a page can wait for. "
                "Make the PDF in the background; this page shows how far it is."
            )
            % {"printout": item.title, "count": len(people)},
        )
        return redirect("organisers:printouts", slug=event.slug)
    try:
        pdf, _count = render_printout(item, event, people=people)
    except PrintingUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    return _pdf_response(pdf, f"{event.slug}-{item.slug}.pdf")


@login_required
@require_POST
def printout_make(request, slug, kind):
    event = organised_event_or_404(request.user, slug)
    item = _printout_or_404(kind)
    if item.slug == "certificates" and (why := certificates.refusal(event)):
        messages.error(request, why)
        return _printouts_page(request, event, status=409)
    job = request_job(printout=item, event=event, by=request.user)
    return redirect("organisers:printout_job", slug=event.slug, pk=job.pk)


@login_required
@require_GET
def printout_job(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    job = get_object_or_404(PrintJob, event=event, pk=pk)
    context = {"event": event, "job": job, "printout": PRINTOUTS[job.kind]}
    return render(request, "organisers/printout_job.html", context)


@login_required
@require_GET
def printout_job_file(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    job = get_object_or_404(PrintJob, event=event, pk=pk, status=PrintJob.Status.DONE)
    return _job_file(job)


def _job_file(job):
    try:
        opened = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("The PDF kept for this list is gone; make it again.") from None
    response = FileResponse(opened, content_type="application/pdf")
    return personal_download(response, filename=f"{job.event.slug}-{job.kind}.pdf", inline=True)


@login_required
@require_http_methods(["GET", "POST"])
def print_design(request, slug):
    event = organised_event_or_404(request.user, slug)
    design = PrintDesign.objects.filter(event=event).first() or PrintDesign(event=event)
    form = PrintDesignForm(
        request.POST or None, request.FILES or None, instance=design, event=event
    )
    if request.method == "POST" and form.is_valid():
        old_logo = design.logo.name if design.pk and design.logo else ""
        with transaction.atomic():
            saved = form.save()
        if old_logo and saved.logo.name != old_logo:
            saved.logo.storage.delete(old_logo)
        messages.success(request, _("Badge and certificate design saved."))
        return redirect("organisers:printouts", slug=event.slug)
    status = 400 if form.is_bound else 200
    return render(
        request, "organisers/print_design.html", {"event": event, "form": form}, status=status
    )


def _certificates_page(request, event, *, list_form=None, status=200):
    days = attendance_records.event_days(event)
    registrations = (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, user__isnull=False
        )
        .select_related("user", "certificate")
        .prefetch_related("attendance_days")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    rows = []
    for registration in registrations:
        marked = {row.day: row for row in registration.attendance_days.all()}
        rows.append(
            {
                "registration": registration,
                "days": [(day, marked.get(day)) for day in days],
                "certificate": getattr(registration, "certificate", None),
                "present": bool(marked),
            }
        )
    context = {
        "event": event,
        "days": days,
        "rows": rows,
        "list_form": list_form or AttendanceListForm(days=days),
        "refusal": certificates.refusal(event),
    }
    return render(request, "organisers/certificates.html", context, status=status)


@login_required
@require_GET
def certificates_page(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _certificates_page(request, event)


@login_required
@require_POST
def attendance_mark(request, slug):
    event = organised_event_or_404(request.user, slug)
    days = attendance_records.event_days(event)
    form = MarkAttendanceForm(request.POST, days=days)
    if not form.is_valid():
        messages.error(request, _("Tick the days the person was there."))
        return _certificates_page(request, event, status=400)
    registration = get_object_or_404(
        Registration.objects.select_related("user", "event"),
        event=event,
        pk=form.cleaned_data["registration"],
        status=Registration.Status.CONFIRMED,
    )
    chosen = {day for day in days if day.isoformat() in form.cleaned_data["days"]}
    try:
        attendance_records.set_marked_days(registration=registration, days=chosen)
    except ValueError as refused:
        messages.error(request, str(refused))
        return _certificates_page(request, event, status=400)
    messages.success(
        request, _("Attendance of %(person)s saved.") % {"person": registration.person}
    )
    return redirect("organisers:certificates", slug=event.slug)


@login_required
@require_POST
def attendance_import(request, slug):
    event = organised_event_or_404(request.user, slug)
    days = attendance_records.event_days(event)
    form = AttendanceListForm(request.POST, request.FILES, days=days)
    if not form.is_valid():
        return _certificates_page(request, event, list_form=form, status=400)
    chosen = form.cleaned_data["day"]
    default_day = next((day for day in days if day.isoformat() == chosen), None)
    try:
        rows, problems = read_attendance_list(
            form.cleaned_data["file"], days=days, default_day=default_day
        )
    except ListUnreadable as error:
        form.add_error("file", str(error))
        return _certificates_page(request, event, list_form=form, status=400)
    added, unknown = attendance_records.import_attendance(event=event, rows=rows)
    read = ngettext("Read %(count)d row.", "Read %(count)d rows.", len(rows)) % {"count": len(rows)}
    new = ngettext(
        "%(count)d new day of attendance.", "%(count)d new days of attendance.", added
    ) % {"count": added}
    # Translators: "Read 12 rows." and "3 new days of attendance." put together.
    messages.success(request, _("%(read)s %(new)s") % {"read": read, "new": new})
    if unknown:
        shown = ", ".join(unknown[:10])
        if len(unknown) > 10:
            more = len(unknown) - 10
            shown = ngettext(
                "%(shown)s and %(count)d more", "%(shown)s and %(count)d more", more
            ) % {"shown": shown, "count": more}
        messages.warning(
            request, _("Not confirmed registrants here, left out: %(people)s.") % {"people": shown}
        )
    for problem in problems[:20]:
        messages.error(request, problem)
    if len(problems) > 20:
        more = len(problems) - 20
        messages.error(
            request,
            ngettext(
                "… and %(count)d more row not read.", "… and %(count)d more rows not read.", more
            )
            % {"count": more},
        )
    return redirect("organisers:certificates", slug=event.slug)


@login_required
@require_POST
def certificate_revoke(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__user"),
        registration__event=event,
        pk=pk,
        revoked_at__isnull=True,
    )
    certificates.revoke(certificate=certificate, by=request.user)
    messages.success(
        request,
        _(
            "The certificate of %(person)s is revoked: its address now says so, and it can no "
            "longer be downloaded."
        )
        % {"person": certificate.registration.person},
    )
    return redirect("organisers:certificates", slug=event.slug)


@login_required
@require_POST
def certificate_reissue(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    certificate = get_object_or_404(
        Certificate.objects.select_related("registration__user", "registration__event"),
        registration__event=event,
        pk=pk,
        revoked_at__isnull=False,
    )
    registration = certificate.registration
    certificates.issue(registration=registration, again=True)
    messages.success(
        request,
        _("%(person)s has a certificate again, at a new address; the old one stays revoked.")
        % {"person": registration.person},
    )
    return redirect("organisers:certificates", slug=event.slug)
