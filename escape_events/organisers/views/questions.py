"""The organiser's question library: questions defined once, picked by their events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from escape_events.registrations.models import LibraryQuestion

from .. import services
from ..forms import LibraryQuestionFormSet
from ..permissions import can_create_events, organised_events


@login_required
@require_http_methods(["GET", "POST"])
def question_library(request):
    if not (can_create_events(request.user) or organised_events(request.user).exists()):
        raise PermissionDenied(_("The question library is for people who organise events."))
    formset = LibraryQuestionFormSet(
        request.POST if request.method == "POST" else None,
        prefix="library",
        queryset=LibraryQuestion.objects.filter(owner=request.user).annotate(
            uses_count=Count("uses")
        ),
        owner=request.user,
    )
    if request.method == "POST" and formset.is_valid():
        services.save_question_library(owner=request.user, formset=formset)
        messages.success(request, _("Your question library is saved."))
        return redirect("organisers:question_library")
    status = 400 if formset.is_bound else 200
    return render(request, "organisers/question_library.html", {"formset": formset}, status=status)
