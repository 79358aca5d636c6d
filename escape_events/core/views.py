"""Site-wide odds and ends that belong to no domain."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe


@require_safe
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the page says: send the icon."""
    return redirect(static("favicon.svg"), permanent=True)
