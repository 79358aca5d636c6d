"""Surveys in the admin, to look at: organisers build and open them on their own pages, and the
answers, anonymous or not, are read on the results page (who answered is never shown here)."""

from django.contrib import admin

from .models import Survey, SurveyQuestion


class QuestionInline(admin.TabularInline):
    model = SurveyQuestion
    fields = ["position", "label", "kind", "choices", "required"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "anonymous", "opened_at", "closes_at", "purged_at"]
    list_filter = ["anonymous"]
    search_fields = ["title", "event__title"]
    list_select_related = ["event"]
    fields = ["event", "title", "intro", "anonymous", "opened_at", "closes_at", "purged_at"]
    readonly_fields = fields
    inlines = [QuestionInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
