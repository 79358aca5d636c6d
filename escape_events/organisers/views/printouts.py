"""Printouts of an event (PDF): the list of them, and each one made on request."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from escape_events.core.downloads import personal_download

from .. import selectors
from ..permissions import organised_event_or_404
from ..printouts import PRINTOUTS, PrintingUnavailable, render_printout


@login_required
@require_GET
def printouts(request, slug):
    event = organised_event_or_404(request.user, slug)
    items = [
        (item, len(selectors.printout_people(event, item.slug))) for item in PRINTOUTS.values()
    ]
    return render(request, "organisers/printouts.html", {"event": event, "items": items})


@login_required
@require_GET
def printout(request, slug, kind):
    event = organised_event_or_404(request.user, slug)
    item = PRINTOUTS.get(kind)
    if item is None:
        raise Http404("No such printout: there are a sign-in sheet, badges and certificates.")
    try:
        pdf, _count = render_printout(item, event)
    except PrintingUnavailable as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    return personal_download(response, filename=f"{event.slug}-{item.slug}.pdf", inline=True)
