from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("all.ics", views.all_events, name="all"),
    path("series/<slug:slug>.ics", views.series_feed, name="series"),
    path("events/<slug:slug>.ics", views.event_ics, name="event"),
]
