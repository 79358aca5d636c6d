from django.contrib import admin

from .models import ExportLog, ParticipantMessage


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Read-only: the log is an audit trail."""

    list_display = ["created_at", "event", "user", "format", "rows"]
    list_filter = ["format"]
    list_select_related = ["event", "user"]
    readonly_fields = ["event", "user", "created_at", "format", "rows", "columns", "filters"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ParticipantMessage)
class ParticipantMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "sender", "subject", "recipient_count", "status"]
    list_filter = ["status"]
    list_select_related = ["event", "sender"]
    readonly_fields = ["recipients"]
    raw_id_fields = ["event", "sender"]

    def has_add_permission(self, request):
        return False
