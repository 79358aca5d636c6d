"""Material downloads. The project's URLconf hands every view here `reader_for` (who a person
is to an event), which the timetable cannot import itself."""

from django.urls import path

from . import views

app_name = "timetable"

urlpatterns = [
    path("events/<slug:slug>/agenda/materials/<int:pk>/", views.material, name="material"),
    path("events/<slug:slug>/materials.zip", views.materials_zip, name="materials_zip"),
]
