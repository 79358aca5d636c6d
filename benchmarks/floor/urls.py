from django.urls import path

from . import views

urlpatterns = [
    path("events/<slug:slug>/", views.event_page, name="event"),
    path("events/<slug:slug>/register/", views.register, name="register"),
]
