from django.contrib import admin
from django.urls import include, path

from escape_events.core.views import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("escape_events.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("privacy/", include("escape_events.accounts.public_urls")),
    path("feeds/", include("escape_events.feeds.urls")),
    path("", include("escape_events.registrations.urls")),
    path("organise/", include("escape_events.organisers.urls")),
    path("", include("escape_events.timetable.urls")),
    path("", include("escape_events.events.urls")),
]
