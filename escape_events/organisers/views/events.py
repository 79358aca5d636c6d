"""Organiser pages for events themselves: dashboard, create, edit, repeat, cancel, co-organisers."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.events.models import Event, Series
from escape_events.events.services import (
    cancel_event,
    create_event,
    next_year_start,
    update_event,
)
from escape_events.registrations.models import Question

from .. import selectors, services
from ..forms import (
    CloneEventForm,
    CoOrganiserForm,
    EventForm,
    PickFromLibraryForm,
    QuestionFormSet,
    RegistrationSettingsForm,
    wall_clock,
)
from ..permissions import can_create_events, organised_event_or_404, organised_events


@login_required
@require_GET
def dashboard(request):
    now = timezone.now()
    context = {
        "upcoming": selectors.my_events(request.user).filter(end__gte=now).order_by("start"),
        "past": selectors.my_events(request.user).filter(end__lt=now).order_by("-start")[:30],
        "series_list": selectors.my_series(request.user),
        "can_create": can_create_events(request.user),
    }
    return render(request, "organisers/dashboard.html", context)


def venue_from(form):
    """The venue a form picked or named (a new one is stored, or an equal one reused)."""
    data = form.cleaned_data
    return services.venue_for(
        venue=data.get("venue"),
        name=data.get("new_venue_name", ""),
        room=data.get("new_venue_room", ""),
        address=data.get("new_venue_address", ""),
    )


def _forms(request, event=None):
    """The event, its registration settings and its questions: one page, saved together."""
    zone = event.zone if event else None
    stored = selectors.registration_settings(event) if event else None
    data = request.POST if request.method == "POST" else None
    event_form = EventForm(data, event=event)
    _limit_colocation(event_form, request.user, event)
    settings_form = RegistrationSettingsForm(
        data,
        prefix="reg",
        initial=RegistrationSettingsForm.initial_for(
            stored, zone or timezone.get_current_timezone()
        ),
    )
    questions = QuestionFormSet(
        data,
        prefix="questions",
        queryset=Question.objects.filter(event=event) if event else Question.objects.none(),
        event=event,
    )
    questions.library = PickFromLibraryForm(data, prefix="library", owner=request.user)
    return event_form, settings_form, questions


def _limit_colocation(form, user, event) -> None:
    """Offer only events you organise too (events.services refuses others): co-location puts
    each event's registration on the other's page, so both sides' organisers must agree.
    Partners already linked stay listed, so they can be kept or removed."""
    allowed = Q(pk__in=organised_events(user).values("pk"))
    if event is not None:
        allowed |= Q(pk__in=event.colocated_with.values("pk"))
    field = form.fields["colocated_with"]
    field.queryset = field.queryset.filter(allowed)


def _field_name(name: str) -> str:
    """An event field as the organiser's language names it (its model's verbose name)."""
    try:
        return str(Event._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name.replace("_", " ")


def _save_registration(event, settings_form, questions) -> int:
    return len(
        services.save_registration_form(
            event=event,
            values=settings_form.clean_for(event.zone),
            groups=settings_form.cleaned_data["restricted_to_groups"],
            questions_formset=questions,
            library_questions=questions.library.cleaned_data["library_questions"],
            by=questions.library.owner,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    if not can_create_events(request.user):
        raise PermissionDenied(
            _(
                "Creating events needs the right to do so: ask the site staff. "
                "You can still run the events you were made an organiser of."
            )
        )
    event_form, settings_form, questions = _forms(request)
    forms_valid = all(
        [
            event_form.is_valid(),
            settings_form.is_valid(),
            questions.is_valid(),
            questions.library.is_valid(),
        ]
    )
    if request.method == "POST" and forms_valid:
        try:
            with transaction.atomic():
                event = create_event(
                    values=event_form.event_values(venue_from(event_form)),
                    organisers=[request.user],
                    colocated_with=event_form.cleaned_data["colocated_with"],
                    by=request.user,
                )
                _save_registration(event, settings_form, questions)
        except ValidationError as error:
            settings_form.add_error(None, error.messages)
        else:
            messages.success(request, _("“%(title)s” is created.") % {"title": event.title})
            return redirect("organisers:event_overview", slug=event.slug)
    context = {"form": event_form, "settings_form": settings_form, "questions": questions}
    status = 400 if event_form.is_bound else 200
    return render(request, "organisers/event_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = organised_event_or_404(request.user, slug)
    event_form, settings_form, questions = _forms(request, event)
    forms_valid = all(
        [
            event_form.is_valid(),
            settings_form.is_valid(),
            questions.is_valid(),
            questions.library.is_valid(),
        ]
    )
    if request.method == "POST" and forms_valid:
        try:
            with transaction.atomic():
                changed = update_event(
                    event=event,
                    values=event_form.event_values(venue_from(event_form)),
                    colocated_with=event_form.cleaned_data["colocated_with"],
                    by=request.user,
                )
                event.refresh_from_db()
                promoted = _save_registration(event, settings_form, questions)
        except ValidationError as error:
            settings_form.add_error(None, error.messages)
        else:
            notes = [_("Saved.")]
            if changed:
                fields = ", ".join(_field_name(name) for name in changed)
                notes.append(
                    _("Registrants are told about the change (%(fields)s).") % {"fields": fields}
                )
            if promoted:
                notes.append(
                    ngettext(
                        "%(count)d person moved up from the waiting list.",
                        "%(count)d people moved up from the waiting list.",
                        promoted,
                    )
                    % {"count": promoted}
                )
            messages.success(request, " ".join(notes))
            return redirect("organisers:event_overview", slug=event.slug)
    context = {
        "form": event_form,
        "settings_form": settings_form,
        "questions": questions,
        "event": event,
    }
    status = 400 if event_form.is_bound else 200
    return render(request, "organisers/event_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_clone(request, slug):
    event = organised_event_or_404(request.user, slug)
    if event.series_id:
        raise Http404("A meeting of a series is not repeated: its rule gives the next ones.")
    initial = {"start": wall_clock(next_year_start(event), event.zone)}
    form = CloneEventForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        clone = services.repeat_event(
            event=event, start=form.cleaned_data["start"], by=request.user
        )
        messages.success(
            request,
            _("Copied to “%(title)s”. Check the details below.") % {"title": clone.title},
        )
        return redirect("organisers:event_edit", slug=clone.slug)
    status = 400 if form.is_bound else 200
    context = {"form": form, "event": event}
    return render(request, "organisers/event_clone.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_cancel(request, slug):
    event = organised_event_or_404(request.user, slug)
    if request.method == "POST":
        if cancel_event(event=event):
            messages.success(
                request,
                _("The meeting is cancelled; registrants are told by e-mail.")
                if event.series_id
                else _("The event is cancelled; registrants are told by e-mail."),
            )
        else:
            messages.info(request, _("The event was already cancelled."))
        return redirect("organisers:event_overview", slug=event.slug)
    return render(request, "organisers/event_cancel.html", {"event": event})


def organisers_page(request, *, of: Event | Series, back: str, context: dict):
    """The organisers of an event or a series: listed, and one more added by e-mail."""
    series = isinstance(of, Series)
    form = CoOrganiserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = {"person": form.user}
        if services.add_co_organiser(of=of, user=form.user):
            added = (
                _("%(person)s now organises this series.")
                if series
                else _("%(person)s now organises this event.")
            )
            messages.success(request, added % person)
        else:
            already = (
                _("%(person)s already organises this series.")
                if series
                else _("%(person)s already organises this event.")
            )
            messages.info(request, already % person)
        return redirect(back)
    context = {**context, "form": form, "organisers": of.organisers.all()}
    status = 400 if form.is_bound else 200
    return render(request, "organisers/co_organisers.html", context, status=status)


def organiser_removal(request, *, of: Event | Series, user_id: int, back: str):
    """Someone stops organising an event or a series (never the last organiser)."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    try:
        services.remove_co_organiser(of=of, user=user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        gone = (
            _("%(person)s no longer organises this series.")
            if isinstance(of, Series)
            else _("%(person)s no longer organises this event.")
        )
        messages.success(request, gone % {"person": user})
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def co_organisers(request, slug):
    event = organised_event_or_404(request.user, slug)
    series_organisers = event.series.organisers.all() if event.series_id else []
    context = {"event": event, "series_organisers": series_organisers}
    back = reverse("organisers:co_organisers", kwargs={"slug": event.slug})
    return organisers_page(request, of=event, back=back, context=context)


@login_required
@require_POST
def co_organiser_remove(request, slug, user_id):
    event = organised_event_or_404(request.user, slug)
    back = reverse("organisers:co_organisers", kwargs={"slug": event.slug})
    return organiser_removal(request, of=event, user_id=user_id, back=back)
