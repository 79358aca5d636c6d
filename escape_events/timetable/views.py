"""Downloads of agenda and event materials, served like event attachments (never as active
content), and a ZIP of everything the reader may open.

Each asks the access rule (timetable.access). Who the person is to the event comes from
`reader_for`, handed in by the project's URLconf: it is registrations' (a floor above this one).
"""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from escape_events.events.attachments import file_response
from escape_events.events.models import Event

from .access import may_open
from .bundles import stream_zip
from .models import Material
from .selectors import zip_members


@require_safe
def material(request, slug, pk, reader_for):
    """The file, or the link it stands for; refused with the reason (sign in, register, not
    yet) and 403, or 404 when the reader may not even know it exists."""
    item = get_object_or_404(
        Material.objects.select_related("event", "entry", "folder"), pk=pk, event__slug=slug
    )
    verdict = may_open(item, reader_for(request.user, item.event), timezone.now())
    if not verdict.allowed:
        if not verdict.listed:
            raise Http404(gettext("No material has this address."))
        context = {"event": item.event, "material": item, "verdict": verdict}
        response = render(request, "timetable/refused.html", context, status=403)
    elif item.is_link:
        response = redirect(item.url)
    else:
        response = file_response(item.file, content_type=item.content_type)
    if not item.is_public:
        patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
def materials_zip(request, slug, reader_for):
    """Everything the reader may open now, as one ZIP streamed at flat memory."""
    event = get_object_or_404(Event, slug=slug)
    members = zip_members(event, reader_for(request.user, event), timezone.now())
    if not members:
        raise Http404(gettext("Nothing of this event's materials is open to you."))
    response = StreamingHttpResponse(stream_zip(members), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-materials.zip"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response
