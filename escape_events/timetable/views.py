"""Downloads of agenda materials, served like event attachments (never as active content)."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from escape_events.events.attachments import file_response

from .models import Material


@require_safe
def material(request, slug, pk):
    item = get_object_or_404(Material.objects.exclude(file=""), pk=pk, entry__event__slug=slug)
    return file_response(item.file, content_type=item.content_type)
