"""Telling organisers what happens at their events: new registrations, cancellations,
promotions, people joining a waiting list, imports done, mails not delivered.

Per event (NotificationSettings): who is told (every organiser, chosen ones, extra addresses),
about which happenings, at once or in a daily digest. Each happening is recorded once per
recipient (OrganiserNotice, unique on the happening's key and the address) in the transaction
of the change it reports, so a retried or repeated report mails nobody twice; the mails go
through the outbox like every other. Each recipient reads them in their account's language
(the site's default for an address without an account).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings as site_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from escape_events.core.headers import header_text
from escape_events.events.models import Event
from escape_events.events.permissions import organisers_of
from escape_events.outbox.messages import EventMail
from escape_events.outbox.services import send_written_later

from .models import Happening, NotificationSettings, OrganiserNotice

Frequency = NotificationSettings.Frequency
# How long which happenings an event's organisers want is kept; saving the settings forgets it.
WANTED_SECONDS = 3600


def _wanted_key(event_id: int) -> str:
    return f"organiser-notifications:{event_id}"


def wanted_happenings(event_id: int) -> list[str]:
    """What the event's organisers asked to be told about ([]: nothing), kept in the cache so
    that registering, on its hot path, asks the database nothing when nobody wants to know."""
    key = _wanted_key(event_id)
    wanted = cache.get(key)
    if wanted is None:
        stored = NotificationSettings.objects.filter(event_id=event_id)
        wanted = stored.values_list("happenings", flat=True).first() or []
        cache.add(key, wanted, WANTED_SECONDS)
    return wanted


def recipients(settings: NotificationSettings) -> list[str]:
    """The addresses told about the event, each once (case aside), in a stable order."""
    people = (
        organisers_of(settings.event)
        if settings.all_organisers
        else settings.chosen_organisers.all()
    )
    found: dict[str, str] = {}
    for address in [*people.values_list("email", flat=True), *settings.extra_addresses]:
        if address:
            found.setdefault(address.casefold(), address)
    return sorted(found.values(), key=str.casefold)


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """The language to write to each address in (casefolded address -> language): its account's
    preferred language, else the site's default."""
    addresses = list(addresses)
    found = {address.casefold(): site_settings.LANGUAGE_CODE for address in addresses}
    accounts = get_user_model().objects.annotate(folded=Lower("email"))
    known = accounts.filter(folded__in=[address.lower() for address in addresses])
    for email, language in known.values_list("email", "language"):
        found[email.casefold()] = language or site_settings.LANGUAGE_CODE
    return found


def notify(*, event: Event, happening: str, key: str, text: Callable[[], str], now=None) -> int:
    """Record the happening for each recipient who asked for it, once per `key`, and mail those
    told at once; returns how many were newly told (0 on a repeat). `text()` words the happening
    in the active language: it is called in each recipient's."""
    if happening not in wanted_happenings(event.pk):
        return 0
    stored = NotificationSettings.objects.filter(event=event).select_related("event").first()
    if stored is None or happening not in stored.happenings:
        return 0
    now = now or timezone.now()
    digest = stored.frequency == Frequency.DAILY
    told = 0
    addresses = recipients(stored)
    languages = languages_of(addresses)
    for address in addresses:
        with translation.override(languages[address.casefold()]):
            worded, subject = text(), _subject(event, happening)
        try:
            with transaction.atomic():
                notice = OrganiserNotice.objects.create(
                    event=event,
                    happening=happening,
                    key=key,
                    recipient=address,
                    text=worded,
                    created_at=now,
                    digest=digest,
                    sent_at=None if digest else now,
                )
        except IntegrityError:
            continue  # this recipient was told of this happening already
        told += 1
        if not digest:
            send_written_later(
                composer=notice_mail,
                facts={"notice_ids": [notice.pk]},
                to=address,
                subject=subject,
                event_id=event.pk,
            )
    return told


def _subject(event: Event, happening: str) -> str:
    # Translators: a notice mail's subject, e.g. "New registration: ESCAPE school 2027".
    return header_text(
        gettext("%(happening)s: %(event)s")
        % {"happening": Happening(happening).label, "event": event.display_title}
    )


def _digest_subject(count: int) -> str:
    return header_text(
        ngettext(
            "What happened at your events (%(count)d)",
            "What happened at your events (%(count)d)",
            count,
        )
        % {"count": count}
    )


def send_digests(*, now=None) -> int:
    """Send each recipient one mail with what waits for their digest; returns the mails sent.

    Each recipient's notices are claimed (SKIP LOCKED) and marked sent in the transaction that
    stores the digest in the outbox: two runs at once, or a run retried, send each notice once."""
    now = now or timezone.now()
    waiting = OrganiserNotice.objects.filter(digest=True, sent_at__isnull=True)
    addresses = list(waiting.values_list("recipient", flat=True).distinct().order_by("recipient"))
    sent = 0
    languages = languages_of(addresses)
    for address in addresses:
        with transaction.atomic():
            notices = list(
                waiting.filter(recipient=address)
                .select_for_update(skip_locked=True)
                .order_by("created_at", "pk")
            )
            if not notices:
                continue
            OrganiserNotice.objects.filter(pk__in=[notice.pk for notice in notices]).update(
                sent_at=now
            )
            with translation.override(languages[address.casefold()]):
                subject = _digest_subject(len(notices))
            send_written_later(
                composer=notice_mail,
                facts={"notice_ids": [notice.pk for notice in notices]},
                to=address,
                subject=subject,
            )
            sent += 1
    return sent


def prune_notices(*, now=None) -> int:
    """Forget notices told more than OUTBOX_KEEP_DAYS ago: they name people, and a report of the
    same happening that late is no retry any more. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=site_settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OrganiserNotice.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def notice_mail(*, notice_ids: Iterable[int]) -> EventMail | None:
    """One happening, or a digest of several, for one recipient, grouped by event, in the
    recipient's language."""
    notices = list(
        OrganiserNotice.objects.filter(pk__in=list(notice_ids))
        .select_related("event")
        .order_by("event__start", "event_id", "created_at", "pk")
    )
    if not notices:
        return None  # the events were deleted meanwhile: nothing left to tell
    by_event: dict[Event, list[OrganiserNotice]] = defaultdict(list)
    for notice in notices:
        by_event[notice.event].append(notice)
    groups = [
        {
            "event": event,
            "notices": items,
            "participants_url": site_settings.SITE_URL
            + reverse("organisers:participants", kwargs={"slug": event.slug}),
            "settings_url": site_settings.SITE_URL
            + reverse("organisers:notifications", kwargs={"slug": event.slug}),
        }
        for event, items in by_event.items()
    ]
    first = notices[0]
    single = len(notices) == 1
    context = {"groups": groups, "single": single, "site_url": site_settings.SITE_URL}
    language = languages_of([first.recipient])[first.recipient.casefold()]
    with translation.override(language):
        subject = (
            _subject(first.event, first.happening) if single else _digest_subject(len(notices))
        )
        message = EventMail(
            event_id=first.event_id if len(groups) == 1 else None,
            subject=subject,
            body=render_to_string("mail/organisers/notice.txt", context),
            to=[first.recipient],
        )
        message.attach_alternative(
            render_to_string("mail/organisers/notice.html", context), "text/html"
        )
    return message


def notify_registration(*, registration, happening: str) -> int:
    """A registration happening, as registrations announces it (in the change's transaction)."""
    person = str(registration.person)

    def worded() -> str:
        """The happening in the active language (the recipient's)."""
        facts = {
            "person": person,
            "mode": registration.get_mode_display().lower(),
            "status": registration.get_status_display().lower(),
        }
        if happening == Happening.WAITING:
            line = registration.get_waiting_for_mode_display() or registration.get_mode_display()
            # Translators: the list is a mode of taking part, e.g. "(on-site)".
            return gettext("%(person)s joined the waiting list (%(line)s).") % {
                "person": person,
                "line": line.lower(),
            }
        if happening == Happening.PROMOTED:
            return gettext("%(person)s moved up from the waiting list (%(mode)s, %(status)s).") % (
                facts
            )
        if happening == Happening.CANCELLED:
            return gettext("The registration of %(person)s (%(mode)s) was cancelled.") % facts
        return gettext("%(person)s registered (%(mode)s, %(status)s).") % facts

    if happening == Happening.WAITING:
        key = f"waiting:{registration.pk}:{registration.waiting_since.isoformat()}"
    elif happening == Happening.PROMOTED:
        key = f"promoted:{registration.pk}:{registration.status_changed_at.isoformat()}"
    elif happening == Happening.CANCELLED:
        key = f"cancelled:{registration.pk}"
    else:
        key = f"registered:{registration.pk}"
    return notify(event=registration.event, happening=happening, key=key, text=worded)


def notify_import_done(*, event: Event, by, summary: Callable[[], str], now=None) -> int:
    """An import of participants is done; `summary()` says what it did in the active language."""
    now = now or timezone.now()
    return notify(
        event=event,
        happening=Happening.IMPORTED,
        key=f"imported:{event.pk}:{by.pk}:{now.isoformat()}",
        text=lambda: (
            gettext("%(person)s imported a list of participants: %(summary)s.")
            % {"person": by.display_name, "summary": summary()}
        ),
        now=now,
    )


def notify_undelivered(*, mail) -> int:
    """A mail about one of the event's people could not be delivered. Organisers' notices are
    not reported this way: one that fails would report itself again and again."""
    if mail.event_id is None or mail.composer == f"{__name__}.{notice_mail.__qualname__}":
        return 0
    event = Event.objects.filter(pk=mail.event_id).first()
    if event is None:
        return 0
    to = ", ".join(mail.recipients)
    return notify(
        event=event,
        happening=Happening.UNDELIVERED,
        key=f"undelivered:{mail.pk}",
        text=lambda: (
            gettext('The mail "%(subject)s" to %(to)s could not be delivered (%(error)s).')
            % {"subject": mail.subject, "to": to, "error": mail.last_error}
        ),
    )


def save_notification_settings(*, event: Event, values: dict | None) -> NotificationSettings | None:
    """Store who is told what about the event (None: nobody any more); what is kept of it in
    the cache is forgotten now, and again on commit (over an answer read meanwhile)."""
    key = _wanted_key(event.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    if values is None:
        NotificationSettings.objects.filter(event=event).delete()
        return None
    values = dict(values)
    chosen = values.pop("chosen_organisers", [])
    stored, _ = NotificationSettings.objects.update_or_create(event=event, defaults=values)
    stored.chosen_organisers.set(chosen)
    return stored
