"""Organiser pages about people: event dashboard, participant list, bulk actions, exports, mails."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from escape_events.events.when import describe_moment
from escape_events.outbox import services as outbox_services
from escape_events.outbox.selectors import undelivered_mails
from escape_events.registrations import question_kinds
from escape_events.registrations.models import Registration, RegistrationTag
from escape_events.registrations.selectors import removed_registrations, retention

from .. import placeholders, selectors, services
from ..charts import registrations_chart
from ..downloads import participants_download
from ..exports import columns_for
from ..forms import (
    BulkActionForm,
    ExportForm,
    MessageForm,
    ParticipantFilterForm,
    RetentionForm,
)
from ..models import ExportLog, ParticipantMessage
from ..permissions import organised_event_or_404

PAGE_SIZE = 100


@login_required
@require_GET
def event_overview(request, slug):
    event = organised_event_or_404(request.user, slug)
    stored = selectors.registration_settings(event)
    counts = selectors.registration_counts(event, stored)
    offered = [mode.mode for mode in counts if mode.offered]
    chart = registrations_chart(
        selectors.registrations_per_day(event, offered),
        dict(Registration.Mode.choices),
        until=selectors.chart_end(event, timezone.now()),
    )
    context = {
        "event": event,
        "registration": stored,
        "retention": retention(event, stored) if stored else None,
        "retention_form": RetentionForm(),
        "now": timezone.now(),
        "counts": counts,
        "statuses": Registration.Status.choices,
        "chart": chart,
        "exports": ExportLog.objects.filter(event=event).select_related("user")[:5],
        "sent_messages": ParticipantMessage.objects.filter(event=event)[:5],
        "undelivered_count": undelivered_mails(event).count(),
    }
    return render(request, "organisers/event_overview.html", context)


def _filtered(request, event, data):
    """The filter form, its questions and the matching registrations (None if the form is bad)."""
    questions = selectors.questions(event)
    form = ParticipantFilterForm(data, questions=questions)
    if not form.is_valid():
        return form, questions, None
    return form, questions, selectors.participants(event, form.to_filter(), questions)


@login_required
@require_GET
def participant_list(request, slug):
    event = organised_event_or_404(request.user, slug)
    form, questions, rows = _filtered(request, event, request.GET)
    if rows is None:
        context = {"event": event, "form": form, "page": None, "questions": questions}
        return render(request, "organisers/participants.html", context, status=400)
    page = Paginator(rows.prefetch_related("tags"), PAGE_SIZE).get_page(request.GET.get("page"))
    purged_at, removed = removed_registrations(event)
    shown = selectors.table_questions(questions)
    columns = [(question, selectors.answer_column(question)) for question in shown]
    for registration in page:
        registration.answer_values = [
            question_kinds.display(question, getattr(registration, column) or "")
            for question, column in columns
        ]
        registration.affiliation = getattr(registration, selectors.AFFILIATION)
    context = {
        "event": event,
        "purged_at": purged_at,
        "removed": removed,
        "form": form,
        "questions": shown,
        "page": page,
        "query": urlencode(form.as_query()),
        "bulk_form": BulkActionForm(),
        "tags": RegistrationTag.objects.filter(event=event),
        "export_form": ExportForm(),
        "filtered": form.as_query(),
    }
    return render(request, "organisers/participants.html", context)


def _back_to_list(event, query: str):
    target = reverse("organisers:participants", kwargs={"slug": event.slug})
    return redirect(f"{target}?{query}" if query else target)


@login_required
@require_POST
def participant_bulk(request, slug):
    event = organised_event_or_404(request.user, slug)
    ids = list(Registration.objects.filter(event=event).values_list("pk", flat=True))
    form = BulkActionForm(request.POST, registration_ids=ids)
    query = request.POST.get("query", "")[:1000]
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_list(event, query)
    selected = form.cleaned_data["selected"]
    action = form.cleaned_data["action"]
    if action == "message":
        target = reverse("organisers:message_compose", kwargs={"slug": event.slug})
        return redirect(f"{target}?" + urlencode({"ids": ",".join(map(str, selected))}))
    registrations = Registration.objects.filter(event=event, pk__in=selected).select_related(
        "event", "user"
    )
    if form.needs_confirmation:
        context = {
            "event": event,
            "action": action,
            "verb": BulkActionForm.ASK_FIRST[action],
            "registrations": registrations.order_by("user__last_name", "user__first_name"),
            "query": query,
        }
        return render(request, "organisers/bulk_confirm.html", context)
    outcome = services.apply_bulk_action(
        action=action, registrations=registrations, by=request.user, tag=form.cleaned_data["tag"]
    )
    if outcome.done:
        label = dict(BulkActionForm.base_fields["action"].choices)[action]
        messages.success(
            request,
            _("%(action)s: done for %(count)d.") % {"action": label, "count": outcome.done},
        )
    for reason, count in outcome.refused.items():
        messages.warning(
            request, _("Skipped %(count)d: %(reason)s") % {"count": count, "reason": reason}
        )
    return _back_to_list(event, query)


@login_required
@require_POST
def participant_export(request, slug):
    event = organised_event_or_404(request.user, slug)
    form, questions, rows = _filtered(request, event, request.POST)
    export_form = ExportForm(request.POST)
    if rows is None or not export_form.is_valid():
        for bad in (form, export_form):
            for errors in bad.errors.values():
                for error in errors:
                    messages.error(request, _("Export not made: %(error)s") % {"error": error})
        return redirect("organisers:participants", slug=event.slug)
    chosen = export_form.cleaned_data
    filters = form.as_query()
    if chosen["include_cancelled"]:
        filters["include_cancelled"] = "yes"  # logged with the filter: what was asked for
    else:
        rows = selectors.without_inactive(rows, form.to_filter())
    return participants_download(
        event=event,
        rows=rows,
        columns=columns_for(chosen["columns"], questions),
        file_format=chosen["format"],
        filters=filters,
        user=request.user,
    )


def _recipients(request, event, data):
    """Registrations the message goes to: ticked ones (?ids=) or the whole filtered list."""
    raw_ids = data.get("ids", "")
    if raw_ids:
        parts = [part.strip() for part in raw_ids.split(",") if part.strip()]
        # Digits only and short enough for a database id (a 400-digit number overflows it).
        if not all(part.isdecimal() and len(part) <= 18 for part in parts):
            raise ValidationError(_("The list of selected people is malformed."))
        wanted = {int(part) for part in parts}
        rows = Registration.objects.filter(event=event, pk__in=wanted)
        if rows.count() != len(wanted):
            raise ValidationError(_("A selected registration does not belong to this event."))
        return rows.select_related("user"), {"ids": raw_ids}
    form, _questions, rows = _filtered(request, event, data)
    if rows is None:
        raise ValidationError(
            _("The filter is not valid: %(problems)s")
            % {"problems": "; ".join(error for errors in form.errors.values() for error in errors)}
        )
    return rows, form.as_query()


@login_required
@require_http_methods(["GET", "POST"])
def message_compose(request, slug):
    event = organised_event_or_404(request.user, slug)
    try:
        # Who: always the query string (the form posts back to the same address).
        rows, filters = _recipients(request, event, request.GET)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("organisers:participants", slug=event.slug)
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        event=event,
        chosen_people="ids" in filters,
    )
    asked = request.method == "POST" and bool(request.POST.get("include_inactive"))
    include_inactive = asked or filters.get("status") in services.INACTIVE_STATUSES
    audiences = form.chosen_audiences()
    listed = rows
    if "ids" not in filters:  # ticked one by one: exactly those people
        rows = selectors.in_audiences(rows, audiences, include_inactive=include_inactive)
        filters = {**filters, "audiences": ",".join(audiences)}
    recipient_ids = selectors.message_recipients(
        rows, include_inactive=include_inactive, limit=services.MESSAGE_RECIPIENTS_MAX + 1
    )
    recipients = selectors.placeholder_recipients(recipient_ids[: services.MESSAGE_RECIPIENTS_MAX])
    previews = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placeholders.check([data["subject"], data["body"]], event=event, recipients=recipients)
        except ValidationError as error:
            form.add_error("body", error)
        if data["send_at"] is not None:
            try:
                services.check_send_at(data["send_at"])
            except ValidationError as error:
                form.add_error("send_at", error)
        try:
            services.check_attachments(
                data.get("attachments") or [], event=event, recipient_count=len(recipient_ids)
            )
        except ValidationError as error:
            form.add_error("attachments" if "attachments" in form.fields else None, error)
    if request.method == "POST" and form.is_valid():
        if "send" in request.POST:
            try:
                message = services.queue_participant_message(
                    event=event,
                    sender=request.user,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    registrations=rows,
                    filters=filters,
                    include_inactive=form.cleaned_data["include_inactive"],
                    send_at=form.cleaned_data["send_at"],
                    attachments=form.cleaned_data.get("attachments") or [],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
                status = 400
            else:
                count = message.recipient_count
                if message.send_at:
                    sent = ngettext(
                        "Your message to %(count)d person will go out on %(when)s.",
                        "Your message to %(count)d people will go out on %(when)s.",
                        count,
                    ) % {"count": count, "when": describe_moment(message.send_at, event.time_zone)}
                else:
                    sent = ngettext(
                        "Your message to %(count)d person is being sent.",
                        "Your message to %(count)d people is being sent.",
                        count,
                    ) % {"count": count}
                messages.success(request, sent)
                return redirect("organisers:messages", slug=event.slug)
        else:
            previews = services.message_previews(
                event=event,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                recipients=recipients,
            )
    elif request.method == "POST":
        status = 400
    context = {
        "event": event,
        "form": form,
        "filters": filters,
        "recipient_count": len(recipient_ids),
        "left_out": 0 if include_inactive else selectors.inactive_people_count(listed),
        "too_many": len(recipient_ids) > services.MESSAGE_RECIPIENTS_MAX,
        "limit": services.MESSAGE_RECIPIENTS_MAX,
        "sample": Registration.objects.filter(pk__in=recipient_ids[:10]).select_related("user"),
        "previews": previews,
    }
    return render(request, "organisers/message_form.html", context, status=status)


@login_required
@require_GET
def message_log(request, slug):
    event = organised_event_or_404(request.user, slug)
    context = {
        "event": event,
        "sent_messages": ParticipantMessage.objects.filter(event=event)
        .select_related("sender")
        .prefetch_related("attachments"),
        "exports": ExportLog.objects.filter(event=event).select_related("user")[:100],
        "undelivered": undelivered_mails(event)[:200],
    }
    return render(request, "organisers/message_log.html", context)


@login_required
@require_POST
def mail_retry(request, slug, pk):
    """One more round of tries for a mail the outbox gave up on (e.g. the address was fixed)."""
    event = organised_event_or_404(request.user, slug)
    mail = get_object_or_404(undelivered_mails(event), pk=pk)
    outbox_services.retry(mail=mail)
    messages.success(
        request,
        _("The mail to %(recipients)s will be sent again.")
        % {"recipients": ", ".join(mail.recipients)},
    )
    return redirect("organisers:messages", event.slug)
