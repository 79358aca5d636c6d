from django.urls import path

from . import views

app_name = "registrations"

urlpatterns = [
    path("registrations/", views.mine, name="mine"),
    path("events/<slug:slug>/register/", views.register, name="register"),
    path("registrations/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("registrations/<int:pk>/switch/", views.switch, name="switch"),
    path("registrations/<int:pk>/listing/", views.listing_consent, name="listing"),
    path("registrations/<int:pk>/ticket-qr.svg", views.ticket_qr, name="ticket_qr"),
    path("series/<slug:slug>/follow/", views.following, {"action": "follow"}, name="follow_series"),
    path(
        "series/<slug:slug>/unfollow/",
        views.following,
        {"action": "unfollow"},
        name="unfollow_series",
    ),
]
