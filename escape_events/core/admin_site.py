"""The admin, branded as the site, signing in through the site's own e-mail login."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .redirects import local_path


class EscapeAdminSite(admin.AdminSite):
    site_header = _("escape_events administration")
    site_title = _("escape_events admin")
    index_title = _("Site administration")

    def login(self, request, extra_context=None):
        """One login for the whole site (e-mail and password, rate-limited, OpenID Connect):
        the admin's own username form is never shown. Signed in without staff status, the
        person is told why they cannot enter and where their own work is."""
        if request.user.is_authenticated:
            if request.user.is_active and request.user.is_staff:
                return super().login(request, extra_context)
            raise PermissionDenied(
                gettext(
                    "The admin is for site staff, and you (%(email)s) are not. Organisers run "
                    "their events and series under “Organise” in the menu."
                )
                % {"email": request.user.email}
            )
        target = local_path(request.GET.get(REDIRECT_FIELD_NAME)) or reverse("admin:index")
        return redirect_to_login(target, settings.LOGIN_URL)
