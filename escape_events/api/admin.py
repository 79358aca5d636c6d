from django.contrib import admin, messages
from django.utils.translation import gettext, gettext_lazy

from .models import ApiToken, ApiWriteLog
from .services import revoke_api_token


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners (account page, create_api_token); staff may revoke."""

    list_display = ["name", "prefix", "user", "scopes", "event", "expires_at", "last_used_at",
                    "revoked_at"]  # fmt: skip
    list_filter = ["organiser", "registrations"]
    list_select_related = ["user", "event"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = [field.name for field in ApiToken._meta.fields]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_api_token(token=token)
        messages.success(request, gettext("Revoked."))


@admin.register(ApiWriteLog)
class ApiWriteLogAdmin(admin.ModelAdmin):
    """Read-only: every write made through the API, refused ones too (an audit trail)."""

    list_display = ["created_at", "user", "operation", "method", "path", "status", "detail"]
    list_filter = ["operation", "status"]
    list_select_related = ["user"]
    search_fields = ["user__email", "path", "idempotency_key"]
    readonly_fields = [field.name for field in ApiWriteLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
