"""The one public page of this app: an event's participant list, when the organisers publish it."""

from django.urls import path

from .views import participants

app_name = "participant_lists"

urlpatterns = [
    path(
        "events/<slug:slug>/participants/",
        participants.public_participants,
        name="public_list",
    ),
]
