"""PDFs of long lists made by a worker (`manage.py make_printouts`), not in the request.

A small job table rather than a task queue: the rows carry the progress the page shows and the
file kept while the data stay the same (`fingerprint`), and the worker is the outbox's pattern
(poll, a short claim with SKIP LOCKED, a lease taken over when a worker dies).
"""

import hashlib
import json
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from escape_events.events.locking import lock_event
from escape_events.events.models import Event

from ..models import PrintJob
from . import PRINTOUTS, Printout, certificates, people_for, render_printout
from .badges import answers_by_registration, design_for, roles

logger = logging.getLogger(__name__)
Status = PrintJob.Status
LEASE = timedelta(minutes=10)
# Lists up to this many people are made in the request (a few seconds at most).
IN_REQUEST_MAX = 120


def fingerprint(printout: Printout, event: Event, people: list) -> str:
    """A digest of everything the PDF shows: the event, the design and each person's line, in
    the language of the page around the people (badges and certificates: each person's own)."""
    design = design_for(event)
    organisers, speakers = roles(event)
    answers = answers_by_registration(design, people) if printout.slug == "badges" else {}
    certified = printout.slug == "certificates"  # their rows come with days and certificate
    facts = {
        "kind": printout.slug,
        "language": translation.get_language(),
        "event": [event.title, event.start.isoformat(), event.end.isoformat(), event.time_zone,
                  event.all_day, str(event.venue.location_line) if event.venue_id else ""],
        "design": [design.pk, design.updated_at.isoformat() if design.updated_at else ""],
        "roles": [sorted(organisers), sorted(speakers)],
        "people": [
            [person.pk, person.user.display_name, person.user.affiliation, person.mode,
             person.check_in_code, answers.get(person.pk, []), person.user.preferred_language,
             [str(day.day) for day in person.attendance_days.all()] if certified else [],
             getattr(getattr(person, "certificate", None), "nonce", "") if certified else ""]
            for person in people
        ],
    }  # fmt: skip
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def current_job(printout: Printout, event: Event, print_fingerprint: str) -> PrintJob | None:
    """The job for these very data: done, or still being made."""
    return (
        PrintJob.objects.filter(event=event, kind=printout.slug, fingerprint=print_fingerprint)
        .exclude(status=Status.FAILED)
        .first()
    )


def request_job(*, printout: Printout, event: Event, by) -> PrintJob:
    """The job making this PDF of the data as they are now (an existing one if the data did not
    change since: a double click or a second organiser makes no second PDF)."""
    people = people_for(printout, event)
    if printout.slug == "certificates":
        certificates.issue_all(people)
    digest = fingerprint(printout, event, people)
    with transaction.atomic():
        lock_event(event.pk)  # one request at a time
        job = current_job(printout, event, digest)
        if job is None:
            job = PrintJob.objects.create(
                event=event, kind=printout.slug, fingerprint=digest, requested_by=by,
                total=len(people), language=translation.get_language() or "",
            )  # fmt: skip
    return job


def _claim(now) -> PrintJob | None:
    with transaction.atomic():
        job = (
            PrintJob.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=Status.QUEUED) | Q(status=Status.RUNNING, leased_until__lt=now),
            )
            .order_by("created_at", "pk")
            .first()
        )
        if job is None:
            return None
        job.status = Status.RUNNING
        job.leased_until = now + LEASE
        job.done = 0
        job.save(update_fields=["status", "leased_until", "done"])
    return job


def make_next(now=None) -> PrintJob | None:
    """Make the oldest waiting PDF; the job, or None when there was nothing to do."""
    job = _claim(now or timezone.now())
    if job is None:
        return None
    printout = PRINTOUTS[job.kind]
    event = job.event
    people = people_for(printout, event)
    if len(people) != job.total:  # the list changed since the request: show the new count
        PrintJob.objects.filter(pk=job.pk).update(total=len(people))

    def progress(done: int) -> None:
        """Shown on the job's page; the lease runs on while the PDF grows."""
        PrintJob.objects.filter(pk=job.pk).update(
            done=min(done, len(people)), leased_until=timezone.now() + LEASE
        )

    try:
        with translation.override(job.language or None):
            pdf, count = render_printout(printout, event, people=people, progress=progress)
    except Exception as error:  # recorded for the organiser; the worker carries on
        logger.exception("Print job %s failed", job.pk)
        PrintJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, failure=str(error)[:500], finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    job.refresh_from_db()
    job.file.save(f"{event.slug}-{job.kind}.pdf", ContentFile(pdf), save=False)
    job.status, job.done, job.total = Status.DONE, count, count
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "status", "done", "total", "finished_at"])
    _forget_older(job)
    return job


def _forget_older(job: PrintJob) -> None:
    """Files of the same printout made from older data are deleted: only the newest is kept."""
    older = PrintJob.objects.filter(event=job.event, kind=job.kind, created_at__lte=job.created_at)
    for stale in older.exclude(pk=job.pk).exclude(status=Status.RUNNING):
        if stale.file:
            stale.file.delete(save=False)
        stale.delete()
