from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "first_name", "last_name", "affiliation", "is_staff"]
    search_fields = ["email", "first_name", "last_name", "affiliation"]
    fieldsets = (*DjangoUserAdmin.fieldsets, ("Profile", {"fields": ["affiliation"]}))
