"""Random sequences of everything people and organisers do, over two modes, with the seat rules
checked after every step (Hypothesis stateful testing).

Steps: register (optionally "the other mode now, stay in line", optionally borrowing one of the
laptops, an option with a limit), cancel, switch mode (optionally keeping one's place in line),
approve, reject, promote by hand, change capacities, change the laptop limit, edit answers (the
person or an organiser), leave the other mode's line keeping one's place, join the other mode's
line from one's place. After each:
- seats held never exceed the capacity, except through a hand promotion (or a capacity lowered
  below the seats already held, which takes nobody's place); laptops lent never exceed their
  limit (nor does anyone get one past it), a lowered limit takes nobody's;
- a seat is never free while someone waits for it (the event is open throughout);
- lines are first come first served: nobody moves up past someone still waiting before them;
- one active registration per person and event;
- each promotion is mailed exactly once, and nobody else gets that mail;
- each change kept in a registration's history is mailed once to its person (a switch off the
  waiting list is told by the promotion's mail instead), and no other change mail goes out;
- editing answers moves no seat and no line;
- the availability object and the waiting positions agree with a recount of the rows.

Fast by default (`STATE_MACHINE_EXAMPLES`, default 20 sequences of up to 20 steps); run e.g.
`STATE_MACHINE_EXAMPLES=1000 pytest tests/registrations/test_state_machine.py` to dig deeper.
"""

import contextlib
import itertools
import os
from collections import Counter
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from escape_events.events.models import Event
from escape_events.registrations import services
from escape_events.registrations.availability import (
    load_availability,
    options_free,
    with_waiting_positions,
)
from escape_events.registrations.models import (
    Answer,
    Question,
    Registration,
    RegistrationChange,
    RegistrationSettings,
)

Mode = Registration.Mode
Status = Registration.Status
PEOPLE = 6
SEATS = Registration.SEAT_STATUSES
numbers = itertools.count(1)

capacities = st.one_of(st.none(), st.integers(min_value=0, max_value=3))
people = st.integers(min_value=0, max_value=PEOPLE - 1)
modes = st.sampled_from(Mode.values)
laptop_limits = st.integers(min_value=0, max_value=3)
LAPTOP = "Yes, lend me one"


def line_of(row: dict) -> str:
    if row["status"] == Status.WAITING:
        return row["mode"]
    if row["status"] in SEATS:
        return row["waiting_for_mode"]
    return ""


class RegistrationMachine(RuleBasedStateMachine):
    @initialize(
        onsite=capacities, remote=capacities, needs_approval=st.booleans(), laptops=laptop_limits
    )
    def open_an_event(self, onsite, remote, needs_approval, laptops):
        # Each sequence runs in its own savepoint, rolled back at the end (see teardown).
        self.savepoint = transaction.atomic()
        self.savepoint.__enter__()
        number = next(numbers)
        now = timezone.now()
        start = now + timedelta(days=30)
        self.event = Event.objects.create(
            title=f"Hands-on {number}",
            slug=f"hands-on-{number}",
            start=start,
            end=start + timedelta(hours=3),
        )
        RegistrationSettings.objects.create(
            event=self.event,
            opens_at=now - timedelta(days=1),
            onsite_capacity=onsite,
            remote_capacity=remote,
            needs_approval=needs_approval,
        )
        self.laptop = Question.objects.create(
            event=self.event,
            label="Borrow a laptop?",
            kind=Question.Kind.SINGLE_CHOICE,
            choices=[LAPTOP, "No"],
            option_limits={LAPTOP: laptops},
        )
        users = get_user_model().objects
        self.organiser = users.create(username=f"organiser{number}")
        self.event.organisers.add(self.organiser)
        self.question = Question.objects.create(event=self.event, label="Affiliation")
        self.people = []
        for index in range(PEOPLE):
            person = users.create(
                username=f"p{number}-{index}", email=f"p{number}-{index}@example.org"
            )
            EmailAddress.objects.create(user=person, email=person.email, verified=True)
            self.people.append(person)
        self.before = self.rows()

    def teardown(self):
        if getattr(self, "savepoint", None) is not None:
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

    # -- reading the state -------------------------------------------------------------------

    def rows(self) -> dict[int, dict]:
        return {
            row["pk"]: row
            for row in Registration.objects.filter(event=self.event)
            .order_by("waiting_since", "pk")
            .values("pk", "user_id", "mode", "status", "waiting_for_mode", "waiting_since")
        }

    def active(self, index: int) -> Registration | None:
        return Registration.objects.filter(
            event=self.event, user=self.people[index], status__in=Registration.ACTIVE_STATUSES
        ).first()

    def step(self, action, *, by_hand=None, switcher=None, newcomer=None):
        """Run one service call with its mails sent, then check what the step changed.

        `by_hand`: the registration an organiser promotes; `switcher`: the person switching
        mode; `newcomer`: (person, mode asked for) of a registration."""
        self.by_hand, self.switcher, self.newcomer = by_hand, switcher, newcomer
        mail.outbox = []
        self.before = self.rows()
        self.laptops_before = self.laptops_lent()
        self.last_change = (
            RegistrationChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        )
        capacity_before = self.capacity_now()
        with (
            TestCase.captureOnCommitCallbacks(execute=True),
            contextlib.suppress(services.RegistrationRefused),  # refusing is a fine answer
        ):
            action()
        self.check_step(capacity_before)

    def laptops_lent(self) -> set[int]:
        """Registrations (active) holding a laptop."""
        return set(
            Answer.objects.filter(
                question=self.laptop,
                value=LAPTOP,
                registration__status__in=Registration.ACTIVE_STATUSES,
            ).values_list("registration_id", flat=True)
        )

    def laptop_limit(self) -> int:
        return Question.objects.get(pk=self.laptop.pk).option_limits[LAPTOP]

    def capacity_now(self) -> dict[str, int | None]:
        stored = RegistrationSettings.objects.get(event=self.event)
        return {mode: stored.capacity_for(mode) for mode in Mode.values}

    # -- steps -------------------------------------------------------------------------------

    @rule(person=people, mode=modes, stay_in_line=st.booleans(), borrow=st.booleans())
    def register(self, person, mode, stay_in_line, borrow):
        other = Mode.REMOTE if mode == Mode.ONSITE else Mode.ONSITE
        self.step(
            lambda: services.register(
                event=self.event,
                user=self.people[person],
                mode=mode,
                wait_for_mode=other if stay_in_line else "",
                answers={self.laptop.pk: LAPTOP if borrow else "No"},
            ),
            newcomer=(self.people[person].pk, mode),
        )

    @rule(person=people, by_organiser=st.booleans())
    def cancel(self, person, by_organiser):
        registration = self.active(person)
        if registration is not None:
            by = self.organiser if by_organiser else self.people[person]
            self.step(lambda: services.cancel_registration(registration=registration, by=by))

    @rule(person=people, keep_waiting=st.booleans())
    def switch(self, person, keep_waiting):
        registration = self.active(person)
        if registration is not None:
            other = Mode.REMOTE if registration.mode == Mode.ONSITE else Mode.ONSITE
            self.step(
                lambda: services.switch_mode(
                    registration=registration,
                    mode=other,
                    by=self.people[person],
                    keep_waiting=keep_waiting,
                ),
                switcher=self.people[person].pk,
            )

    @rule(person=people)
    def approve(self, person):
        registration = self.active(person)
        if registration is not None:
            self.step(lambda: services.approve(registration=registration, by=self.organiser))

    @rule(person=people)
    def reject(self, person):
        registration = self.active(person)
        if registration is not None:
            self.step(lambda: services.reject(registration=registration, by=self.organiser))

    @rule(person=people)
    def promote_by_hand(self, person):
        registration = self.active(person)
        if registration is not None:
            self.step(
                lambda: services.promote_by_hand(registration=registration, by=self.organiser),
                by_hand=registration,
            )

    @rule(onsite=capacities, remote=capacities)
    def change_capacities(self, onsite, remote):
        stored = RegistrationSettings.objects.get(event=self.event)
        self.step(
            lambda: services.set_capacity(
                settings=stored, onsite_capacity=onsite, remote_capacity=remote
            )
        )

    @rule(laptops=laptop_limits)
    def change_laptop_limit(self, laptops):
        Question.objects.filter(pk=self.laptop.pk).update(option_limits={LAPTOP: laptops})

    @rule(person=people, answer=st.sampled_from(["CERN", "DESY", ""]), by_organiser=st.booleans())
    def edit(self, person, answer, by_organiser):
        registration = self.active(person)
        if registration is not None:
            by = self.organiser if by_organiser else self.people[person]
            self.step(
                lambda: services.edit_registration(
                    registration=registration, by=by, answers={self.question.pk: answer}
                ),
            )
            assert self.rows() == self.before  # no seat, no line moved

    @rule(person=people)
    def leave_line(self, person):
        registration = self.active(person)
        if registration is not None:
            self.step(
                lambda: services.leave_waiting_line(
                    registration=registration, by=self.people[person]
                )
            )

    @rule(person=people)
    def join_line(self, person):
        registration = self.active(person)
        if registration is not None:
            other = Mode.REMOTE if registration.mode == Mode.ONSITE else Mode.ONSITE
            self.step(
                lambda: services.join_waiting_line(
                    registration=registration, mode=other, by=self.people[person]
                )
            )

    # -- what one step may do ----------------------------------------------------------------

    def check_step(self, capacity_before):
        by_hand = self.by_hand
        after = self.rows()
        capacity = self.capacity_now()
        # Laptops: nobody gets one past the limit (whatever else the step did).
        lent = self.laptops_lent()
        if lent - self.laptops_before:
            assert len(lent) <= self.laptop_limit(), (lent, self.laptop_limit())
        # Seats: only a hand promotion takes one beyond the capacity.
        for mode in Mode.values:
            if by_hand is not None or capacity[mode] is None:
                continue
            held_before = sum(
                row["mode"] == mode and row["status"] in SEATS for row in self.before.values()
            )
            held_after = sum(
                row["mode"] == mode and row["status"] in SEATS for row in after.values()
            )
            assert held_after <= max(capacity[mode], held_before), (mode, capacity, after)
        # Who got a place they waited for, and who was told.
        placed = []
        for pk, old in self.before.items():
            new = after.get(pk)
            if new is None:
                continue
            line = line_of(old)
            left_the_list = old["status"] == Status.WAITING and new["status"] in SEATS
            moved_over = (
                old["status"] in SEATS
                and old["waiting_for_mode"]
                and new["status"] in SEATS
                and new["mode"] == old["waiting_for_mode"]
            )
            if left_the_list or moved_over:
                placed.append((pk, line))
        hand = by_hand.pk if by_hand is not None else None
        expected = Counter(self.people_by_id[after[pk]["user_id"]] for pk, _line in placed)
        if hand is not None and self.before.get(hand, {}).get("status") == Status.PENDING:
            old, new = self.before[hand], after[hand]
            if new["status"] == Status.CONFIRMED and not old["waiting_for_mode"]:
                expected[self.people_by_id[new["user_id"]]] += 1  # pending, confirmed by hand
        for pk, new in after.items():
            if pk in self.before or self.newcomer is None:
                continue
            user_id, asked = self.newcomer
            if new["user_id"] == user_id and new["status"] in SEATS and new["mode"] != asked:
                expected[self.people_by_id[user_id]] += 1  # took the other mode, moved at once
        told = Counter(
            message.to[0]
            for message in mail.outbox
            if message.subject.startswith("A place opened up")
        )
        assert told == expected, (told, expected)
        # Each change kept is mailed once to its person, unless a promotion's mail tells it.
        kept = RegistrationChange.objects.filter(
            registration__event=self.event, pk__gt=self.last_change
        ).select_related("registration")
        expected_changes = Counter(
            self.people_by_id[change.registration.user_id]
            for change in kept
            if change.public_changes
            and not (
                self.before[change.registration_id]["status"] == Status.WAITING
                and after[change.registration_id]["status"] != Status.WAITING
            )
        )
        told_changes = Counter(
            message.to[0] for message in mail.outbox if message.subject.endswith("was changed")
        )
        assert told_changes == expected_changes, (told_changes, expected_changes)
        # First come, first served: nobody still waiting was before someone moved up from the
        # same line (a hand promotion is the organisers' call; a switch is the person's own).
        order = list(self.before)  # ordered by waiting_since, pk
        for pk, line in placed:
            if pk == hand or after[pk]["user_id"] == self.switcher:
                continue
            for other in order[: order.index(pk)]:
                if line_of(self.before[other]) == line and other in after:
                    assert line_of(after[other]) != line, ("overtaken", other, pk, line)

    @property
    def people_by_id(self) -> dict[int, str]:
        return {person.pk: person.email for person in self.people}

    # -- what always holds -------------------------------------------------------------------

    @invariant()
    def the_rows_agree_with_every_rule(self):
        rows = list(self.rows().values())  # by waiting_since, pk: the order of arrival
        # One active registration per person and event.
        active = [row["user_id"] for row in rows if row["status"] in Registration.ACTIVE_STATUSES]
        assert len(active) == len(set(active))
        # The availability object agrees with a recount; no seat is free while someone waits.
        stored = RegistrationSettings.objects.get(event=self.event)
        availability = load_availability(stored)
        for mode in Mode.values:
            places = availability[mode]
            taken = sum(row["mode"] == mode and row["status"] in SEATS for row in rows)
            waiting = sum(line_of(row) == mode for row in rows)
            assert (places.taken, places.waiting) == (taken, waiting)
            capacity = stored.capacity_for(mode)
            assert places.free == (None if capacity is None else max(capacity - taken, 0))
            assert places.waiting == 0 or places.free == 0, (mode, places)
        # Waiting positions follow the order of arrival, per line.
        expected = {}
        for mode in Mode.values:
            line = [row["pk"] for row in rows if line_of(row) == mode]
            expected.update({pk: position for position, pk in enumerate(line, start=1)})
        positions = dict(
            with_waiting_positions(Registration.objects.filter(event=self.event))
            .exclude(waiting_position=None)
            .values_list("pk", "waiting_position")
        )
        assert positions == expected
        # The laptops left agree with a recount, and never go below none.
        lent = len(self.laptops_lent())
        limit = self.laptop_limit()
        assert options_free([Question.objects.get(pk=self.laptop.pk)]) == {
            self.laptop.pk: {LAPTOP: max(limit - lent, 0)}
        }


EXAMPLES = int(os.environ.get("STATE_MACHINE_EXAMPLES", "20"))


@pytest.mark.django_db
def test_registration_rules_hold_over_random_sequences():
    run_state_machine_as_test(
        RegistrationMachine,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
