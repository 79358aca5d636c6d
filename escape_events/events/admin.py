"""The admin writes events and series through events.services, like the organiser pages: a change
calendars must notice bumps SEQUENCE and tells registrants, and co-location is locked."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .attachments import validate_upload
from .models import Attachment, Event, MeetingAttendance, Series, Venue
from .services import update_event, update_series, with_description_text


def _changed_values(form) -> dict:
    """The concrete fields the admin form changed, as model values for a service."""
    many = {field.name for field in form.instance._meta.many_to_many}
    return {name: form.cleaned_data[name] for name in form.changed_data if name not in many}


def _store_description_text(item) -> None:
    """A new event or series from the admin is a plain insert: it gets its text here."""
    item.description_text = with_description_text({"description": item.description})[
        "description_text"
    ]


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["kind", "title", "file"]

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded and hasattr(uploaded, "content_type"):  # a new upload, not the stored file
            self.instance.content_type = validate_upload(uploaded)
            self.instance.size = uploaded.size
        return uploaded


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "room", "address"]
    search_fields = ["name", "room", "address"]


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "rrule", "first_start", "time_zone", "is_listed"]
    list_filter = ["kind", "is_listed", "time_zone"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "organisers"]
    readonly_fields = ["sequence"]

    def save_model(self, request, obj, form, change):
        if not change:
            _store_description_text(obj)
            super().save_model(request, obj, form, change)
            return
        if update_series(series=obj, values=_changed_values(form)):
            self.message_user(
                request, gettext("Calendars and people registered for its meetings are told.")
            )


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "status", "series", "is_listed"]
    list_filter = ["kind", "status", "is_listed", "all_day", "series"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "organisers", "colocated_with", "series"]
    inlines = [AttachmentInline, AttendanceInline]
    readonly_fields = ["sequence"]

    def save_model(self, request, obj, form, change):
        """A new event is a plain insert (nobody registered, no calendar has it yet); a change
        goes through update_event."""
        if not change:
            _store_description_text(obj)
            super().save_model(request, obj, form, change)
            return
        if update_event(event=obj, values=_changed_values(form)):
            self.message_user(
                request, gettext("Calendars and registrants are told about the change.")
            )

    def save_related(self, request, form, formsets, change):
        """Organisers as chosen; "held alongside" through update_event, which locks both sides."""
        form.instance.organisers.set(form.cleaned_data["organisers"])
        try:
            update_event(
                event=form.instance,
                values={},
                colocated_with=form.cleaned_data["colocated_with"],
                by=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), level=messages.ERROR)
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Every file in one list, e.g. to find all minutes; uploads are validated as in the inline."""

    form = AttachmentForm
    fields = ["event", "kind", "title", "file"]
    list_display = ["title", "kind", "event", "content_type", "size", "uploaded_at"]
    list_filter = ["kind", "content_type", "uploaded_at"]
    search_fields = ["title", "event__title", "event__slug"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "user"]
    list_filter = ["event__series"]
    search_fields = ["name", "event__title", "user__email"]
    list_select_related = ["event", "user"]
    autocomplete_fields = ["event", "user"]
