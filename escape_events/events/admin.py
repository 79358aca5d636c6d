from django import forms
from django.contrib import admin

from .attachments import validate_upload
from .models import Attachment, Event, MeetingAttendance, Series, Venue


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


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start", "status", "series", "is_listed"]
    list_filter = ["kind", "status", "is_listed", "all_day", "series"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "start"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["venue", "organisers", "colocated_with", "series"]
    inlines = [AttachmentInline, AttendanceInline]


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
