"""The feedback survey of an event, answered by those who attended (once each)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from escape_events.events.models import Event
from escape_events.surveys.forms import SurveyAnswerForm
from escape_events.surveys.selectors import attendees, questions_of, survey_of
from escape_events.surveys.services import SurveyRefused, has_answered, submit_response


@login_required
@require_http_methods(["GET", "POST"])
def survey(request, slug):
    event = get_object_or_404(Event, slug=slug)
    found = survey_of(event)
    if found is None or found.opened_at is None:
        raise Http404(_("This event has no feedback survey."))
    now = timezone.now()
    context = {"event": event, "survey": found, "closes_at": found.closes_at}
    if not attendees(event).filter(pk=request.user.pk).exists():
        context["refusal"] = _(
            "This survey is for the people who attended the event (checked in, or registered "
            "to join remotely). If you were there, ask the organisers to record your attendance."
        )
        return render(request, "site/survey.html", context, status=403)
    if has_answered(survey=found, user=request.user):
        context["answered"] = True
        return render(request, "site/survey.html", context)
    if not found.is_open(now):
        context["refusal"] = _("This survey is closed: thank you all the same.")
        return render(request, "site/survey.html", context, status=403)
    questions = questions_of(found)
    data = request.POST if request.method == "POST" else None
    form = SurveyAnswerForm(data, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            submit_response(survey=found, user=request.user, answers=form.answers())
        except SurveyRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Thank you: your answers are in."))
        return redirect("site:survey", slug=event.slug)
    context["form"] = form
    return render(request, "site/survey.html", context, status=400 if form.is_bound else 200)
