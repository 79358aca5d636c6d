from django.urls import path

from . import views

app_name = "timetable"

urlpatterns = [
    path("events/<slug:slug>/agenda/materials/<int:pk>/", views.material, name="material"),
]
