"""Files (minutes, slides, agenda) of an event, without the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from escape_events.core.limits import limit_posts
from escape_events.events.models import Attachment
from escape_events.events.services import add_attachment, remove_attachment

from ..forms import AttachmentForm
from ..permissions import organised_event_or_404


def _page(request, event, *, upload=None, status=200):
    newest_first = Attachment.objects.filter(event=event).order_by("-uploaded_at", "-pk")
    context = {
        "event": event,
        "files": newest_first.select_related("event"),  # each download link needs its slug
        "upload": upload or AttachmentForm(),
    }
    return render(request, "organisers/files.html", context, status=status)


@login_required
@limit_posts("upload", "UPLOAD_RATE_LIMIT", what="uploads")
@require_http_methods(["GET", "POST"])
def files(request, slug):
    event = organised_event_or_404(request.user, slug)
    if request.method == "GET":
        return _page(request, event)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = add_attachment(
                event=event,
                uploaded_file=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("“%(title)s” is attached to the event.") % {"title": attachment.title}
            )
            return redirect("organisers:files", slug=event.slug)
    return _page(request, event, upload=form, status=400)


@login_required
@require_POST
def file_delete(request, slug, pk):
    event = organised_event_or_404(request.user, slug)
    attachment = get_object_or_404(Attachment, event=event, pk=pk)
    remove_attachment(attachment=attachment)
    messages.success(request, _("“%(title)s” was deleted.") % {"title": attachment.title})
    return redirect("organisers:files", slug=event.slug)
