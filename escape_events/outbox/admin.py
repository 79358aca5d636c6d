from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import services
from .models import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """Every mail the site sent or tries to send; failed ones can be sent again."""

    list_display = ["created_at", "subject", "recipient_list", "event", "status", "attempts"]
    list_filter = ["status"]
    search_fields = ["subject", "recipients", "key"]
    date_hierarchy = "created_at"
    exclude = ["message", "facts"]
    readonly_fields = [
        "key", "event", "from_email", "recipients", "subject", "composer", "status", "attempts",
        "next_attempt_at", "lease_expires_at", "last_error", "created_at", "sent_at",
    ]  # fmt: skip
    actions = ["send_again"]

    @admin.display(description=pgettext_lazy("recipient of a mail", "To"))
    def recipient_list(self, mail):
        return ", ".join(mail.recipients)

    @admin.action(description=_("Send the selected failed mails again"))
    def send_again(self, request, queryset):
        for mail in queryset.filter(status=OutgoingMail.Status.FAILED):
            services.retry(mail=mail)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
