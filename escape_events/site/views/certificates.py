"""Certificates of attendance: a participant's own download, and the public page that confirms
a certificate whose address (or QR code) someone was shown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from escape_events.organisers.printouts import (
    PRINTOUTS,
    PrintingUnavailable,
    certificates,
    render_printout,
)
from escape_events.registrations.attendance import attended
from escape_events.registrations.models import Registration

from .attendees import _my_registrations_page


@require_GET
@login_required
def my_certificate(request, pk):
    """The person's own certificate (issued on the first download)."""
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=pk, user=request.user
    )
    event = registration.event
    if why := certificates.refusal(event):
        return _refused(request, why)
    if registration.status != Registration.Status.CONFIRMED:
        return _refused(request, _("Certificates are for confirmed participants."))
    people = certificates.attendees(event, only=registration)
    revoked = getattr(registration, "certificate", None)
    if revoked is not None and revoked.revoked_at is not None:
        return _refused(
            request, _("The organisers revoked your certificate for this event; ask them about it.")
        )
    if not people:
        return _refused(
            request,
            _(
                "No attendance of yours is recorded for this event, so there is no certificate. "
                "If you were there, ask the organisers to mark you present."
            ),
        )
    try:
        pdf, _count = render_printout(PRINTOUTS["certificates"], event, people=people)
    except PrintingUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{event.slug}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _refused(request, why: str):
    messages.error(request, why)
    return _my_registrations_page(request, status=409)


@require_GET
def certificate_check(request, token):
    """Public: confirms name, event and the days attended of a valid certificate; 404 else."""
    certificate = certificates.verified(token)
    if certificate is None:
        raise Http404(
            _(
                "No valid certificate has this address. It may be mistyped, it was never "
                "issued, or the organisers revoked it."
            )
        )
    registration = certificate.registration
    event = registration.event
    context = {
        "certificate": certificate,
        "registration": registration,
        "event": event,
        "attendance": certificates.days_text(event, attended(registration)),
    }
    response = render(request, "site/certificate_check.html", context)
    response["Cache-Control"] = "no-store"  # revocation shows at once
    response["X-Robots-Tag"] = "noindex"
    return response
