from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.home, name="home"),
    path("past/", views.past_events, name="past"),
    path("events/<slug:slug>/", views.event_detail, name="event_detail"),
    path("events/<slug:slug>/attachments/<int:pk>/", views.attachment, name="attachment"),
    path("series/<slug:slug>/", views.series_detail, name="series_detail"),
    path("series/<slug:slug>/<str:day>/", views.occurrence_detail, name="occurrence_detail"),
]
