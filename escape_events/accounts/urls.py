from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/my-data/", views.my_data, name="my_data"),
    path("profile/delete/", views.delete_my_account, name="delete"),
]
