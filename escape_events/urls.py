from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("escape_events.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("feeds/", include("escape_events.feeds.urls")),
    path("", include("escape_events.registrations.urls")),
    path("organise/", include("escape_events.organisers.urls")),
    path("", include("escape_events.organisers.public_urls")),
    path("", include("escape_events.timetable.urls")),
    path("", include("escape_events.events.urls")),
]
