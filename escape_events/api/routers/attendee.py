"""The signed-in person's own registrations: list, register, cancel, switch mode, change
answers and names, leave or join the other mode's waiting list.

The registrations services decide everything (who may, which seat, which refusal), exactly as
for the pages; a refusal becomes a problem with the page's message.
"""

from django.conf import settings as site_settings
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Query, Router, Status

from escape_events.accounts.services import privacy_notice_in_force
from escape_events.events.models import Event
from escape_events.registrations import services
from escape_events.registrations.models import Registration
from escape_events.registrations.selectors import colocated_open_events, my_registrations

from .. import output
from ..auth import AUTH, REGISTRATIONS, require_scope
from ..pagination import PageQuery, page_of
from ..problems import Problem
from ..schemas import (
    ChangeIn,
    ChangeOut,
    Id,
    MyRegistration,
    MyRegistrationPage,
    RegisterIn,
    RegisterOut,
    Slug,
    SwitchIn,
    WaitingLineIn,
)
from ..writes import note, write

router = Router(tags=["my registrations"], auth=AUTH)

REFUSALS = {400: Problem, 403: Problem, 404: Problem, 409: Problem}


def _own(request, pk: Id) -> Registration:
    require_scope(request, REGISTRATIONS)
    return get_object_or_404(Registration.objects.select_related("event"), pk=pk, user=request.auth)


def _answers(user, *pks: int) -> list[dict]:
    """Registrations as "My registrations" shows them: place in line, mode it could take."""
    mine = {item.pk: item for item in my_registrations(user)}
    if not all(pk in mine for pk in pks):
        raise Http404(gettext("You have no registration with this number."))
    return [output.my_registration(mine[pk]) for pk in pks]


def _answer(user, pk: int) -> dict:
    return _answers(user, pk)[0]


@router.get("/me/registrations", response=MyRegistrationPage, summary="My registrations")
def mine(request, page: Query[PageQuery]):
    require_scope(request, REGISTRATIONS)
    return page_of(request, my_registrations(request.auth), page, output.my_registration)


@router.get(
    "/me/registrations/{pk}",
    response={200: MyRegistration, 404: Problem},
    summary="One of my registrations",
)
def my_registration(request, pk: Id):
    require_scope(request, REGISTRATIONS)
    return _answer(request.auth, pk)


@router.post(
    "/events/{slug}/registrations",
    response={200: RegisterOut, 201: RegisterOut, **REFUSALS},
    summary="Register for an event (full: the waiting list)",
    description="201 with a new registration; 200 with the one you already have (a retry "
    "never makes a second). Refusals say why, as the event page does. With `also`, events "
    "held alongside are registered in the same transaction: all or none.",
)
@write("register")
def register(request, slug: Slug, data: RegisterIn):
    require_scope(request, REGISTRATIONS)
    event = get_object_or_404(Event, slug=slug)
    note(request, event=event)
    notice = _accepted_notice(data.privacy_notice_version)
    requests = [
        _request(event, data.mode, data.answers, data.consent_to_list, notice, data.wait_for_mode)
    ]
    if data.also:
        partners = {partner.slug: partner for partner in colocated_open_events(event)}
        for wanted in data.also:
            if wanted.event not in partners:
                raise services.RegistrationRefused(
                    f"“{wanted.event}” is not held alongside this event, or does not take "
                    "registrations now.",
                    code="not_colocated",
                )
            partner = partners[wanted.event]
            requests.append(
                _request(partner, wanted.mode, wanted.answers, data.consent_to_list, notice)
            )
    results = services.register_together(user=request.auth, requests=requests)
    (registration, created), *together = results
    note(request, registration=registration)
    first, *others = _answers(request.auth, registration.pk, *(item.pk for item, _ in together))
    return Status(201 if created else 200, {**first, "together": others})


def _accepted_notice(version: int):
    """The notice in force, when that is the version the caller accepts (the form's box)."""
    notice = privacy_notice_in_force()
    if version != notice.version:
        address = site_settings.SITE_URL + notice.get_absolute_url()
        raise services.RegistrationRefused(
            gettext(
                "The privacy notice in force is version %(version)s (%(address)s): read it and "
                "send privacy_notice_version %(version)s to accept it."
            )
            % {"version": notice.version, "address": address},
            code="privacy_notice",
            status=409,
        )
    return notice


def _request(event, mode, answers, consent_to_list, notice, wait_for_mode=""):
    """Several choices arrive as a list and are stored one per line, as the form sends them; a
    number may arrive as a JSON number."""
    return services.RegistrationRequest(
        event=event,
        mode=mode,
        answers={
            pk: "\n".join(value) if isinstance(value, list) else str(value)
            for pk, value in answers.items()
        },
        consent_to_list=consent_to_list,
        privacy_notice_id=notice.pk,
        wait_for_mode=wait_for_mode,
    )


@router.post(
    "/me/registrations/{pk}/cancel",
    response={200: MyRegistration, **REFUSALS},
    summary="Cancel my registration, or leave the waiting list",
)
@write("cancel")
def cancel(request, pk: Id):
    registration = _own(request, pk)
    note(request, registration=registration)
    registration = services.cancel_registration(registration=registration, by=request.auth)
    return Status(200, _answer(request.auth, registration.pk))


@router.post(
    "/me/registrations/{pk}/switch",
    response={200: MyRegistration, **REFUSALS},
    summary="Switch to the other mode when it has room",
)
@write("switch_mode")
def switch(request, pk: Id, data: SwitchIn):
    registration = _own(request, pk)
    note(request, registration=registration)
    registration = services.switch_mode(
        registration=registration, mode=data.mode, by=request.auth, keep_waiting=data.keep_waiting
    )
    return Status(200, _answer(request.auth, registration.pk))


@router.post(
    "/me/registrations/{pk}/change",
    response={200: ChangeOut, **REFUSALS},
    summary="Change my answers or names (until the modification deadline)",
    description="Every change is kept in the registration's history and mailed to you. After "
    "`modify_until`, 409 says whom to write to.",
)
@write("change_registration")
def change(request, pk: Id, data: ChangeIn):
    registration = _own(request, pk)
    note(request, registration=registration)
    names = {
        name: value
        for name in ("first_name", "last_name", "affiliation")
        if (value := getattr(data, name)) is not None
    }
    answers = None
    if data.answers is not None:
        answers = {
            pk: "\n".join(value) if isinstance(value, list) else value
            for pk, value in data.answers.items()
        }
    kept = services.edit_registration(
        registration=registration, by=request.auth, answers=answers, names=names or None
    )
    return Status(
        200,
        {
            "registration": _answer(request.auth, registration.pk),
            "changes": kept.public_changes if kept else [],
        },
    )


@router.post(
    "/me/registrations/{pk}/waiting-list/leave",
    response={200: MyRegistration, **REFUSALS},
    summary="Leave the other mode's waiting list, keeping my place",
)
@write("leave_waiting_list")
def leave_waiting_list(request, pk: Id, data: WaitingLineIn):
    registration = _own(request, pk)
    note(request, registration=registration)
    if registration.waiting_for_mode != data.mode:
        raise services.RegistrationRefused(
            gettext("You are not on this waiting list."), code="state"
        )
    services.leave_waiting_line(registration=registration, by=request.auth)
    return Status(200, _answer(request.auth, registration.pk))


@router.post(
    "/me/registrations/{pk}/waiting-list/join",
    response={200: MyRegistration, **REFUSALS},
    summary="Join the other mode's waiting list, keeping my place meanwhile",
)
@write("join_waiting_list")
def join_waiting_list(request, pk: Id, data: WaitingLineIn):
    registration = _own(request, pk)
    note(request, registration=registration)
    services.join_waiting_line(registration=registration, mode=data.mode, by=request.auth)
    return Status(200, _answer(request.auth, registration.pk))
