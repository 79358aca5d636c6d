"""The feedback survey of an event: build it, open it (mailing those who attended), see and
export the results."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.accounts.models import full_name
from escape_events.surveys import services
from escape_events.surveys.models import Survey, SurveyQuestion
from escape_events.surveys.selectors import (
    answer_column,
    attendees,
    questions_of,
    responses_for_export,
    results,
    survey_of,
)
from escape_events.surveys.services import SurveyRefused

from ..downloads import survey_download
from ..exports import Column
from ..forms import OpenSurveyForm, SurveyExportForm, SurveyQuestionFormSet, SurveySettingsForm
from ..forms.fields import wall_clock
from ..permissions import organised_event_or_404


def _page(
    request, event, survey, *, settings_form=None, questions=None, open_form=None, status=200
):
    now = timezone.now()
    if open_form is None:
        default = wall_clock(max(now, event.end), event.zone).replace(second=0, microsecond=0)
        open_form = OpenSurveyForm(initial={"closes_at": default + timedelta(days=14)})
    stored = survey.pk is not None  # looking at the page drafts nothing
    context = {
        "event": event,
        "survey": survey,
        "settings_form": settings_form or SurveySettingsForm(instance=survey),
        "questions": questions
        or SurveyQuestionFormSet(
            prefix="questions",
            queryset=survey.questions.all() if stored else SurveyQuestion.objects.none(),
        ),
        "open_form": open_form,
        "is_open": survey.is_open(now),
        "is_draft": survey.opened_at is None,
        "event_over": event.end <= now,
        "attendee_count": attendees(event).count(),
        "invited": survey.invitations.count() if stored else 0,
        "responses": survey.responses.count() if stored else 0,
    }
    return render(request, "organisers/survey.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request, slug):
    event = organised_event_or_404(request.user, slug)
    if request.method == "GET":
        return _page(request, event, survey_of(event) or Survey(event=event))
    found = services.survey_for(event=event, by=request.user)
    # A copy: validating a model form writes into its instance, and the service compares the
    # stored survey with the values asked for.
    settings_form = SurveySettingsForm(request.POST, instance=survey_of(event))
    questions = None
    if found.opened_at is None:
        questions = SurveyQuestionFormSet(
            request.POST, prefix="questions", queryset=found.questions.all()
        )
    valid = settings_form.is_valid() and (questions is None or questions.is_valid())
    if valid:
        try:
            with transaction.atomic():
                services.update_survey(
                    survey=found, values=settings_form.cleaned_data, by=request.user
                )
                if questions is not None:
                    services.save_questions(survey=found, formset=questions, by=request.user)
        except SurveyRefused as refusal:
            settings_form.add_error(None, str(refusal))
        else:
            messages.success(request, _("The survey is saved."))
            return redirect("organisers:survey", slug=event.slug)
    found.refresh_from_db()
    return _page(
        request, event, found, settings_form=settings_form, questions=questions, status=400
    )


def _act(request, slug, action):
    """Run a POST-only survey action; its refusal becomes a message on the survey page."""
    event = organised_event_or_404(request.user, slug)
    found = services.survey_for(event=event, by=request.user)
    try:
        text = action(event, found)
    except SurveyRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, text)
    return redirect("organisers:survey", slug=event.slug)


@login_required
@require_POST
def survey_template(request, slug):
    def add(event, found):
        count = services.add_template_questions(survey=found, by=request.user)
        return ngettext(
            "%(count)d hands-on feedback question added: change or remove it.",
            "%(count)d hands-on feedback questions added: change or remove any of them.",
            count,
        ) % {"count": count}

    return _act(request, slug, add)


@login_required
@require_POST
def survey_open(request, slug):
    event = organised_event_or_404(request.user, slug)
    found = services.survey_for(event=event, by=request.user)
    form = OpenSurveyForm(request.POST)
    if not form.is_valid():
        return _page(request, event, found, open_form=form, status=400)

    def open_it(event, found):
        closes_at = form.closes_at_in(event.zone)
        sent = services.open_survey(survey=found, closes_at=closes_at, by=request.user)
        return ngettext(
            "The survey is open; its link went to %(count)d participant.",
            "The survey is open; its link went to %(count)d participants.",
            sent,
        ) % {"count": sent}

    return _act(request, slug, open_it)


@login_required
@require_POST
def survey_invite(request, slug):
    def invite(event, found):
        sent = services.invite_attendees(survey=found, by=request.user)
        if not sent:
            return _("Everyone who attended has had the link already.")
        return ngettext(
            "The link went to %(count)d more participant.",
            "The link went to %(count)d more participants.",
            sent,
        ) % {"count": sent}

    return _act(request, slug, invite)


@login_required
@require_POST
def survey_close(request, slug):
    def close(event, found):
        services.close_survey(survey=found, by=request.user)
        return _("The survey is closed; the answers given stay.")

    return _act(request, slug, close)


@login_required
@require_GET
def survey_results(request, slug):
    event = organised_event_or_404(request.user, slug)
    found = survey_of(event)
    if found is None or found.opened_at is None:
        raise Http404("The survey has not been opened.")
    context = {
        "event": event,
        "survey": found,
        "results": results(found),
        "export_form": SurveyExportForm(),
    }
    return render(request, "organisers/survey_results.html", context)


@login_required
@require_GET
def survey_export(request, slug):
    event = organised_event_or_404(request.user, slug)
    found = survey_of(event)
    if found is None or found.opened_at is None:
        raise Http404("The survey has not been opened.")
    form = SurveyExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose CSV or Excel."))
        return redirect("organisers:survey_results", slug=event.slug)
    questions = questions_of(found)
    columns = [Column("submitted_at", _("Answered at"), ("submitted_at",), moment=True)]
    if not found.anonymous:
        columns += [
            Column("name", _("Name"), ("user__first_name", "user__last_name"), full_name, 26),
            Column("email", _("E-mail"), ("user__email",), width=30),
        ]
    columns += [
        Column(answer_column(question), question.label, (answer_column(question),), width=24)
        for question in questions
    ]
    return survey_download(
        survey=found,
        rows=responses_for_export(found, questions),
        columns=columns,
        file_format=form.cleaned_data["format"],
        user=request.user,
    )
