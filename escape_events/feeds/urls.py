from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("all.ics", views.all_events, name="all"),
    path("kinds/<slug:kind>.ics", views.kind_feed, name="kind"),
    path("series/<slug:slug>.ics", views.series_feed, name="series"),
    path("events/<slug:slug>.ics", views.event_ics, name="event"),
    path("events/<slug:slug>/timetable.ics", views.timetable_feed, name="timetable"),
    path("personal/", views.personal_feed_settings, name="personal_settings"),
    path("personal/<str:token>.ics", views.personal_feed, name="personal"),
]
