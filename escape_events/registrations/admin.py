"""Admin for registration settings and registrations; seats change only through the services.

Capacities saved here promote from the waiting list like the organiser pages do, and who holds a
seat is changed only by the actions (approve, reject, promote, cancel), never by editing a row.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from . import services
from .models import LibraryQuestion, Question, Registration, RegistrationSettings


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "event", "kind", "required", "position"]
    search_fields = ["label", "event__title"]
    autocomplete_fields = ["event"]
    raw_id_fields = ["shown_if", "library_question"]


@admin.register(LibraryQuestion)
class LibraryQuestionAdmin(admin.ModelAdmin):
    list_display = ["label", "owner", "kind", "required"]
    search_fields = ["label", "owner__email"]
    raw_id_fields = ["owner"]


@admin.register(RegistrationSettings)
class RegistrationSettingsAdmin(admin.ModelAdmin):
    """Settings are stored by the registrations service: a bigger room, a later closing time or
    a lifted restriction serves the waiting list at once, as on the organiser pages."""

    list_display = ["event", "opens_at", "closes_at", "onsite_capacity", "remote_capacity"]
    search_fields = ["event__title"]
    autocomplete_fields = ["event"]
    filter_horizontal = ["restricted_to_groups"]

    def get_readonly_fields(self, request, obj=None):
        return ["event"] if obj else []

    def save_model(self, request, obj, form, change):
        values = {name: getattr(obj, name) for name in services.SETTING_FIELDS}
        stored, promoted = services.save_registration_settings(
            event=obj.event, values=values, groups=form.cleaned_data["restricted_to_groups"]
        )
        obj.pk = stored.pk
        if promoted:
            self.message_user(request, f"{len(promoted)} moved up from the waiting list.")

    def save_related(self, request, form, formsets, change):
        """The groups were stored with the settings, by the service."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


DONE = {
    "approved": lambda n: ngettext(
        "%(count)s registration approved.", "%(count)s registrations approved.", n
    ),
    "rejected": lambda n: ngettext(
        "%(count)s registration declined.", "%(count)s registrations declined.", n
    ),
    "promoted": lambda n: ngettext(
        "%(count)s person promoted from the waiting list.",
        "%(count)s people promoted from the waiting list.",
        n,
    ),
    "cancelled": lambda n: ngettext(
        "%(count)s registration cancelled.", "%(count)s registrations cancelled.", n
    ),
}


def _action(verb: str, service, description: str):
    def run(modeladmin, request, queryset):
        done = 0
        for registration in queryset.select_related("event"):
            try:
                service(registration=registration, by=request.user)
                done += 1
            except services.RegistrationRefused as refused:
                modeladmin.message_user(
                    request, f"{registration}: {refused.message}", level=messages.WARNING
                )
        modeladmin.message_user(request, DONE[verb](done) % {"count": done})

    run.__name__ = verb
    run.short_description = description
    return run


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["user", "event", "mode", "status", "waiting_for_mode", "created_at"]
    list_filter = ["status", "mode"]
    search_fields = ["user__email", "user__last_name", "event__title"]
    list_select_related = ["user", "event"]
    readonly_fields = [field.name for field in Registration._meta.fields]
    actions = [
        _action("approved", services.approve, _("Approve")),
        _action("rejected", services.reject, _("Reject")),
        _action("promoted", services.promote_by_hand, _("Promote from the waiting list")),
        _action(
            "cancelled",
            services.cancel_registration,
            pgettext_lazy("a registration", "Cancel"),
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """Deleting a row would free a seat without promoting anyone: cancel instead."""
        return False
