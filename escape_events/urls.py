from django.contrib import admin
from django.urls import include, path, re_path

from escape_events.accounts import views as account_views
from escape_events.api.main import api
from escape_events.api.views import not_found as api_not_found
from escape_events.core import views as core_views
from escape_events.registrations.readers import reader_for

handler500 = "escape_events.core.views.server_error"

urlpatterns = [
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    # The header's language switcher: Django's set_language, which also stores a signed-in
    # person's choice on the account.
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),
    path("accounts/api-tokens/", include("escape_events.api.urls")),
    path("accounts/", include("escape_events.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("privacy/", include("escape_events.accounts.public_urls")),
    path("feeds/", include("escape_events.feeds.urls")),
    path("organise/", include("escape_events.organisers.urls")),
    # The materials' access rule asks registrations who the person is (a floor above timetable).
    path("", include("escape_events.timetable.urls"), {"reader_for": reader_for}),
    path("", include("escape_events.site.urls")),
]
