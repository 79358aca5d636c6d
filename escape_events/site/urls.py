"""The public site's addresses: mails, feeds and bookmarks link to them, so they stay put."""

from django.urls import path

from .views import attendees, certificates, feedback, pages

app_name = "site"

urlpatterns = [
    path("", pages.home, name="home"),
    path("past/", pages.past_events, name="past"),
    path("events/<slug:slug>/", pages.event_detail, name="event_detail"),
    path("events/<slug:slug>/attachments/<int:pk>/", pages.attachment, name="attachment"),
    path("events/<slug:slug>/register/", attendees.register, name="register"),
    path("events/<slug:slug>/feedback/", feedback.survey, name="survey"),
    path("series/<slug:slug>/", pages.series_detail, name="series_detail"),
    path(
        "series/<slug:slug>/follow/",
        attendees.following,
        {"action": "follow"},
        name="follow_series",
    ),
    path(
        "series/<slug:slug>/unfollow/",
        attendees.following,
        {"action": "unfollow"},
        name="unfollow_series",
    ),
    path("series/<slug:slug>/<str:day>/", pages.occurrence_detail, name="occurrence_detail"),
    path("registrations/", attendees.mine, name="mine"),
    path("registrations/<int:pk>/cancel/", attendees.cancel, name="cancel"),
    path("registrations/<int:pk>/switch/", attendees.switch, name="switch"),
    path("registrations/<int:pk>/edit/", attendees.edit, name="edit_registration"),
    path(
        "registrations/<int:pk>/waiting-list/leave/",
        attendees.waiting_line,
        {"action": "leave"},
        name="leave_waiting_line",
    ),
    path(
        "registrations/<int:pk>/waiting-list/join/",
        attendees.waiting_line,
        {"action": "join"},
        name="join_waiting_line",
    ),
    path("registrations/<int:pk>/listing/", attendees.listing_consent, name="listing"),
    path("registrations/<int:pk>/ticket-qr.svg", attendees.ticket_qr, name="ticket_qr"),
    path(
        "registrations/<int:pk>/certificate.pdf",
        certificates.my_certificate,
        name="my_certificate",
    ),
    path("certificates/<str:token>/", certificates.certificate_check, name="certificate"),
]
