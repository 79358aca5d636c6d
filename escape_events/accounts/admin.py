"""Admin for people and the privacy notice.

Deleting a person here goes through accounts.services.delete_account, like "Delete my account":
their places are cancelled (the next in line promoted and mailed), their rows kept for the counts.
A published notice version is never edited: adding one publishes the next version.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import PrivacyNotice, User
from .services import delete_account, privacy_notice_in_force, publish_privacy_notice


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["email", "first_name", "last_name", "affiliation", "language", "is_staff"]
    search_fields = ["email", "first_name", "last_name", "affiliation"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Profile"), {"fields": ["affiliation", "language"]}),
    )

    def get_deleted_objects(self, objs, request):
        """What the confirmation page lists: the service decides what goes, not the cascade."""
        summary = [
            gettext(
                "%(person)s — their registrations for events still to come are cancelled (the "
                "next person waiting moves up and is mailed); answers, feed link and account are "
                "removed; past registrations stay as anonymous counts."
            )
            % {"person": user}
            for user in objs
        ]
        return summary, {User._meta.verbose_name_plural: len(summary)}, set(), []

    def delete_model(self, request, obj):
        self._delete(request, obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self._delete(request, user)

    def _delete(self, request, user):
        try:
            delete_account(user=user, by=request.user)
        except PermissionDenied as refused:
            self.message_user(
                request,
                # Translators: a person's name, then why they could not be deleted.
                gettext("%(person)s: %(reason)s") % {"person": user, "reason": refused},
                level=messages.ERROR,
            )


@admin.register(PrivacyNotice)
class PrivacyNoticeAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at", "changes"]
    fields = ["text", "changes"]

    def get_readonly_fields(self, request, obj=None):
        return ["version", "published_at", "text", "changes"] if obj else []

    def get_fields(self, request, obj=None):
        return ["version", "published_at", "changes", "text"] if obj else self.fields

    def get_changeform_initial_data(self, request):
        """A new version starts from the text in force."""
        return {"text": privacy_notice_in_force().text}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        """Registrations record the version people accepted: versions stay."""
        return False

    def save_model(self, request, obj, form, change):
        published = publish_privacy_notice(
            text=form.cleaned_data["text"], changes=form.cleaned_data["changes"]
        )
        obj.pk, obj.version, obj.published_at = (
            published.pk,
            published.version,
            published.published_at,
        )
