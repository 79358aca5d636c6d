"""Minutes in the admin, to look at with their history: they are written on the organisers'
Minutes page, where a save is checked against the revision it started from."""

from django.contrib import admin

from .models import Minutes, MinutesRevision


class RevisionInline(admin.TabularInline):
    model = MinutesRevision
    fields = ["number", "author", "created_at", "restored_from", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(admin.ModelAdmin):
    list_display = ["__str__", "event", "revision", "updated_at"]
    search_fields = ["event__title", "entry__title"]
    list_select_related = ["event", "entry"]
    fields = ["event", "entry", "revision", "updated_at", "text"]
    readonly_fields = fields
    inlines = [RevisionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
