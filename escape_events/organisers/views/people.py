"""Adding people by hand and importing a list: preview first, store only when confirmed."""

from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from escape_events.core.limits import limit_posts
from escape_events.registrations.models import Registration
from escape_events.registrations.services import RegistrationRefused, add_participant

from .. import selectors
from ..forms import AddParticipantForm, ImportConfirmForm, ImportForm
from ..imports import ListUnreadable, preview, read_people, seal, unseal
from ..notifications import notify_import_done
from ..permissions import organised_event_or_404


def _modes(event) -> list[str]:
    stored = selectors.registration_settings(event)
    if stored is None or not stored.registration_required:
        return []
    return [mode for mode in Registration.Mode.values if stored.allows(mode)]


def _page(request, event, *, add_form=None, import_form=None, status=200, **extra):
    modes = _modes(event)
    context = {
        "event": event,
        "takes_registrations": bool(modes),
        "add_form": add_form or AddParticipantForm(modes=modes),
        "import_form": import_form or ImportForm(modes=modes),
        **extra,
    }
    return render(request, "organisers/add_people.html", context, status=status)


# What an import did, besides the registrations' statuses.
ALREADY, INVITED = "already registered", "invited"


def _import_summary(done: Counter) -> str:
    """What an import did ("confirmed: 3, 1 already registered"), in the active language."""
    parts = []
    for what, count in done.items():
        if not count:
            continue
        if what == ALREADY:
            parts.append(
                ngettext("%(count)d already registered", "%(count)d already registered", count)
                % {"count": count}
            )
        elif what == INVITED:
            # Translators: people invited to make an account, as they had none.
            parts.append(
                ngettext("%(count)d invited", "%(count)d invited", count) % {"count": count}
            )
        elif what == Registration.Status.CONFIRMED:
            parts.append(
                ngettext("%(count)d confirmed", "%(count)d confirmed", count) % {"count": count}
            )
        elif what == Registration.Status.WAITING:
            parts.append(
                ngettext("%(count)d on the waiting list", "%(count)d on the waiting list", count)
                % {"count": count}
            )
        elif what == Registration.Status.PENDING:
            parts.append(
                ngettext("%(count)d pending approval", "%(count)d pending approval", count)
                % {"count": count}
            )
        else:
            parts.append(
                _("%(status)s: %(count)d")
                % {"status": Registration.Status(what).label, "count": count}
            )
    return ", ".join(parts) or _("nobody to add")


@login_required
@require_GET
def add_people(request, slug):
    return _page(request, organised_event_or_404(request.user, slug))


def _done_message(added) -> str:
    registration = added.registration
    person = registration.user
    facts = {
        "person": person.display_name,
        "status": registration.get_status_display().lower(),
        "mode": registration.get_mode_display(),
    }
    if not added.registered:
        return _("%(person)s was already registered (%(status)s, %(mode)s); nothing changed.") % (
            facts
        )
    if added.invited:
        return (
            _(
                "%(person)s is registered (%(status)s, %(mode)s). An invitation to choose a "
                "password went with the confirmation."
            )
            % facts
        )
    return _("%(person)s is registered (%(status)s, %(mode)s).") % facts


@login_required
@require_POST
def add_participant_view(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = AddParticipantForm(request.POST, modes=_modes(event))
    if not form.is_valid():
        return _page(request, event, add_form=form, status=400)
    data = form.cleaned_data
    try:
        added = add_participant(
            event=event,
            by=request.user,
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            affiliation=data["affiliation"],
            mode=data["mode"],
        )
    except RegistrationRefused as refused:
        form.add_error(None, refused.message)
        return _page(request, event, add_form=form, status=refused.status)
    messages.success(request, _done_message(added))
    return redirect("organisers:participants", slug=event.slug)


@login_required
@limit_posts("upload", "UPLOAD_RATE_LIMIT", what="uploads")
@require_POST
def import_preview(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = ImportForm(request.POST, request.FILES, modes=_modes(event))
    if not form.is_valid():
        return _page(request, event, import_form=form, status=400)
    questions = selectors.questions(event)
    try:
        rows, encoding = read_people(
            form.cleaned_data["file"].read(),
            default_mode=form.cleaned_data["default_mode"],
            questions=questions,
        )
    except ListUnreadable as error:
        form.add_error("file", str(error))
        return _page(request, event, import_form=form, status=400)
    outcomes = preview(event, rows, questions)
    storing = [outcome.row for outcome in outcomes if outcome.will_store]
    context = {
        "event": event,
        "outcomes": outcomes,
        "counts": Counter(outcome.action for outcome in outcomes),
        "encoding": encoding,
        "filename": form.cleaned_data["file"].name,
        "confirm_form": ImportConfirmForm(initial={"rows": seal(event, request.user, storing)}),
        "storing": len(storing),
    }
    return render(request, "organisers/import_preview.html", context)


@login_required
@require_POST
def import_confirm(request, slug):
    event = organised_event_or_404(request.user, slug)
    form = ImportConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ListUnreadable(_("The import could not be confirmed; upload the file again."))
        rows = unseal(event, request.user, form.cleaned_data["rows"])
    except ListUnreadable as error:
        messages.error(request, str(error))
        return redirect("organisers:add_people", slug=event.slug)
    done: Counter = Counter()
    refused: list[str] = []
    for row in rows:
        try:
            added = add_participant(
                event=event,
                by=request.user,
                email=row.email,
                first_name=row.first_name,
                last_name=row.last_name,
                affiliation=row.affiliation,
                mode=row.mode,
                answers={int(pk): value for pk, value in row.answers.items()},
            )
        except RegistrationRefused as refusal:
            refused.append(
                _("line %(line)s (%(email)s): %(reason)s")
                % {"line": row.line, "email": row.email, "reason": refusal.message}
            )
            continue
        if not added.registered:
            done[ALREADY] += 1
            continue
        done[added.registration.status] += 1
        done[INVITED] += added.invited
    notify_import_done(event=event, by=request.user, summary=lambda: _import_summary(done))
    messages.success(request, _("Import done: %(summary)s.") % {"summary": _import_summary(done)})
    for line in refused:
        messages.warning(request, _("Not imported: %(line)s") % {"line": line})
    return redirect("organisers:participants", slug=event.slug)
