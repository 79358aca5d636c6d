"""Every page of the site, as a visitor, an attendee, an organiser and site staff see it.

`test_every_page.py` opens each entry of `SITE_PAGES` in Chromium, runs axe-core on it and checks
that it fits a 390 px phone screen. Adding a page? Add an entry here: a name, who looks at it,
its address (a string, or a function of the `Site` built below) and, for a page that only a
form shows (e.g. the one-time feed link), what to click once the address is open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from escape_events.events.demo import ensure_demo_organiser
from escape_events.events.models import Event, Series
from escape_events.events.seeding import load_seeds
from escape_events.events.selectors import next_occurrences
from escape_events.events.services import add_attachment, materialise_occurrence
from escape_events.organisers import services as organiser_services
from escape_events.organisers.models import PrintJob
from escape_events.organisers.printouts import certificates
from escape_events.registrations.models import AttendanceDay, Question, Registration
from escape_events.registrations.seeding import load_question_library, load_registration_seeds
from escape_events.registrations.services import edit_registration, register
from escape_events.surveys import services as survey_services
from escape_events.timetable.minutes import minutes_of, save_minutes
from escape_events.timetable.models import Entry, Material
from escape_events.timetable.seeding import load_agenda_seeds
from escape_events.timetable.services import add_material_link

VISITOR, ATTENDEE, ORGANISER, STAFF = "visitor", "attendee", "organiser", "staff"
LONG_URL = "https://swan.cern.ch/user/escape/notebooks/" + "data-lake-exercises/" * 7 + "run.ipynb"


@dataclass
class Site:
    """The seeded ESCAPE events with people in them: what the pages below are made of."""

    organiser: object
    attendee: object
    staff: object
    hands_on: Event
    camp: Event
    series: Series
    meeting: Event  # an opened meeting of the series (it has its own row)
    onsite: Registration
    remote: Registration
    past_meeting: Event  # the 4 Sep 2019 meeting: its minutes per item and a feedback survey
    print_job: object = None  # a PDF of badges made in the background
    certificate_token: str = ""  # the address of a camper's certificate

    def computed_meeting(self):
        """The next meeting that has no row of its own."""
        return next(item for item in next_occurrences(self.series, 3) if item.override is None)


def _person(email: str, first: str, last: str, **extra):
    user = get_user_model().objects.create_user(
        username=email.split("@")[0], email=email, first_name=first, last_name=last, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def build_site() -> Site:
    load_seeds()
    load_agenda_seeds()  # as load_seeds the command does: agendas with their materials
    load_registration_seeds()
    ensure_demo_organiser()
    organiser = get_user_model().objects.get(email="organiser@example.org")
    attendee = _person("ada@example.org", "Ada", "Lovelace", affiliation="CERN")
    staff = _person("root@example.org", "Site", "Staff", is_staff=True, is_superuser=True)
    hands_on = Event.objects.get(slug="swan-hands-on-demo")
    camp = Event.objects.get(slug="rucio-coding-camp-demo")
    series = Series.objects.get(slug="escape-wp2-meeting")
    answers = {question.pk: "yes" for question in hands_on.questions.filter(kind="yes_no")}
    answers |= {question.pk: "CERN" for question in hands_on.questions.filter(kind="text")}
    onsite, _ = register(event=hands_on, user=attendee, mode="onsite", answers=answers)
    others = [_person(f"p{n}@example.org", f"Person{n}", "Example") for n in range(3)]
    placed = [
        register(event=hands_on, user=other, mode="remote" if number else "onsite",
                 answers=answers, consent_to_list=True)[0]
        for number, other in enumerate(others)
    ]  # fmt: skip
    remote = placed[1]
    for days_ago, registration in enumerate([onsite, *placed]):  # a chart with some history
        Registration.objects.filter(pk=registration.pk).update(
            created_at=timezone.now() - timedelta(days=3 * (len(placed) - days_ago) + 1)
        )
    camp_answers = {question.pk: "CERN" for question in camp.questions.filter(kind="text")}
    register(event=camp, user=others[0], mode="onsite", answers=camp_answers)
    _richer_form(camp)
    load_question_library(organiser)
    meeting = materialise_occurrence(
        series=series, recurrence_id=next_occurrences(series, 1)[0].recurrence_id
    )
    add_attachment(
        event=hands_on,
        uploaded_file=SimpleUploadedFile("agenda.txt", b"14:00 Welcome\n", "text/plain"),
        title="Agenda",
        kind="agenda",
    )
    # A link whose title is a long address: it must wrap on a phone, not widen the page.
    exercise = Entry.objects.get(event=hands_on, title__startswith="Exercise 1")
    add_material_link(entry=exercise, url=LONG_URL, title=LONG_URL)
    export = organiser_services.start_export(
        event=hands_on, user=organiser, format="csv", columns=["Name"], filters={}
    )
    organiser_services.end_export(log=export, rows=4, completed=True)
    # A history of changes: the attendee's own, and the organisers' note and tags.
    ticked = {question.pk: "CTAO" for question in hands_on.questions.filter(kind="multiple_choice")}
    edit_registration(registration=onsite, by=attendee, answers=answers | ticked)
    edit_registration(
        registration=onsite, by=organiser, note="Brings a laptop", tags=["speaker", "visa"]
    )
    past_meeting = _past_meeting_with_survey(organiser, attendee, others)
    site = Site(
        organiser, attendee, staff, hands_on, camp, series, meeting, onsite, remote, past_meeting
    )
    site.print_job = PrintJob.objects.create(
        event=hands_on, kind="badges", fingerprint="seeded", total=4, done=4,
        status=PrintJob.Status.DONE, finished_at=timezone.now(),
        file=SimpleUploadedFile("badges.pdf", b"%PDF-1.7\n"),
    )  # fmt: skip
    # Someone else's (the attendee registers for the camp on the form pages).
    at_camp = Registration.objects.get(event=camp, user=others[0])
    AttendanceDay.objects.create(
        registration=at_camp, day=camp.local_start.date(), source="organiser"
    )
    site.certificate_token = certificates.token_for(certificates.issue(registration=at_camp))
    return site


def _richer_form(camp: Event) -> None:
    """The camp's form asks every kind: a section, a conditional question, a limited option."""
    kind = Question.Kind
    last = camp.questions.count()

    def ask(label, kind, **fields):
        nonlocal last
        last += 1
        return Question.objects.create(event=camp, label=label, kind=kind, position=last, **fields)

    ask("Travel and stay", kind.SECTION, help_text="Only for people coming to CERN.")
    ask("Arrival date", kind.DATE)
    ask("Nights at the hostel", kind.NUMBER, min_value=0, max_value=5)
    ask("Country of your institute", kind.COUNTRY, help_text="For the visa letter.")
    laptop = ask(
        "Borrow a laptop?", kind.SINGLE_CHOICE, choices=["Yes, lend me one", "No"],
        option_limits={"Yes, lend me one": 5},
    )  # fmt: skip
    ask(
        "Which operating system?", kind.SINGLE_CHOICE, choices=["Linux", "macOS"],
        required=True, shown_if=laptop, shown_if_value="Yes, lend me one",
    )  # fmt: skip
    ask("Your supervisor's e-mail", kind.EMAIL)
    ask("Your project's page", kind.URL)
    ask("What would you like to hack on?", kind.LONG_TEXT)


def _past_meeting_with_survey(organiser, attendee, others) -> Event:
    """The 4 Sep 2019 meeting, its seeded minutes revised once, and an open feedback survey
    that one of the two people who attended has answered."""
    load_agenda_seeds()
    meeting = Event.objects.get(series__slug="escape-wp2-meeting", start__year=2019)
    meeting.organisers.add(organiser)
    item = Entry.objects.filter(event=meeting).order_by("start").first()
    save_minutes(
        event=meeting, entry=item, base_revision=1, by=organiser,
        text=minutes_of(meeting, item).text + "\n- **Action** on Simone: send the new dates.",
    )  # fmt: skip
    for person in (attendee, others[2]):
        Registration.objects.create(event=meeting, user=person, mode="remote", status="confirmed")
    survey = survey_services.survey_for(event=meeting, by=organiser)
    survey_services.add_template_questions(survey=survey, by=organiser)
    survey_services.open_survey(
        survey=survey, closes_at=timezone.now() + timedelta(days=14), by=organiser
    )
    answers = {question.pk: (question.choices or ["yes"])[0] for question in survey.questions.all()}
    answers[survey.questions.get(kind="text").pk] = "More time for the exercises, please."
    survey_services.submit_response(survey=survey, user=others[2], answers=answers)
    return meeting


def _org(name: str, *args) -> Callable[[Site], str]:
    return lambda site: reverse(f"organisers:{name}", args=[arg(site) for arg in args])


def _hands_on(site: Site) -> str:
    return site.hands_on.slug


def _camp(site: Site) -> str:
    return site.camp.slug


def _print_job(site: Site):
    return site.print_job.pk


def _meeting(site: Site) -> str:
    return site.meeting.slug


def _series(site: Site) -> str:
    return site.series.slug


def _past_meeting(site: Site) -> str:
    return site.past_meeting.slug


def _first_item(site: Site) -> int:
    return Entry.objects.filter(event=site.past_meeting).order_by("start").first().pk


def _meeting_id(site: Site):
    return site.computed_meeting().recurrence_id


def _material(site: Site, title: str) -> str:
    """A seeded material of the demo hands-on: registrants only, or held back until it starts."""
    return Material.objects.get(event=site.hands_on, title=title).download_path


def _click(name: str) -> Callable:
    return lambda page: page.get_by_role("button", name=name).click()


IMPORT_CSV = (
    "Name,Email,Affiliation,Mode\n"
    '"Lovelace, Ada",ada@example.org,CERN,on-site\n'
    "Grace Hopper,grace@example.org,US Navy,online\n"
    "Nobody,not-an-address,,carrier pigeon\n"
)


def _preview_import(page):
    page.get_by_label("CSV file").set_input_files(
        {"name": "list.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}
    )
    page.get_by_role("button", name="Preview").click()


def _make_api_token(page) -> None:
    """The token is shown once, right after it is made."""
    page.get_by_label("Name").fill("experiment dashboard")
    page.get_by_label("Events I organise").select_option("read")
    page.get_by_role("button", name="Make the token").click()


def _open_every_operation(page) -> None:
    """Swagger UI draws the page from the schema: wait for it, then open every operation."""
    page.locator(".opblock").first.wait_for()
    for control in page.locator(".opblock-summary-control").all():
        control.click()


@dataclass(frozen=True)
class SitePage:
    name: str
    who: str
    path: str | Callable[[Site], str]
    then: Callable | None = None  # what to do once open, e.g. press the button showing the page
    status: int = 200

    def address(self, site: Site) -> str:
        return self.path if isinstance(self.path, str) else self.path(site)


SITE_PAGES = [
    # Public pages
    SitePage("home", VISITOR, "/"),
    SitePage("home-kind-meeting", VISITOR, "/?kind=meeting"),
    SitePage("home-search", VISITOR, "/?q=WP2"),
    SitePage("home-bad-filter", VISITOR, "/?kind=nonsense", status=400),
    SitePage("past", VISITOR, "/past/"),
    SitePage("event", VISITOR, lambda site: site.hands_on.get_absolute_url()),
    SitePage("event-with-minutes", VISITOR, "/events/escape-wp2-meeting-2019-09-04/"),
    SitePage("series", VISITOR, lambda site: site.series.get_absolute_url()),
    SitePage("computed-meeting", VISITOR, lambda site: site.computed_meeting().get_absolute_url()),
    SitePage("opened-meeting", VISITOR, lambda site: site.meeting.get_absolute_url()),
    SitePage("not-found", VISITOR, "/events/no-such-event/", status=404),
    SitePage(
        "material-sign-in", VISITOR, lambda site: _material(site, "Exercise 1 notebook"), status=403
    ),
    SitePage("api-docs", VISITOR, "/api/docs", _open_every_operation),
    SitePage("sign-in", VISITOR, "/accounts/login/"),
    SitePage("sign-up", VISITOR, "/accounts/signup/"),
    SitePage("password-reset", VISITOR, "/accounts/password/reset/"),
    SitePage("password-reset-done", VISITOR, "/accounts/password/reset/done/"),
    SitePage("admin-sign-in", VISITOR, "/admin/login/?next=/admin/"),
    SitePage("privacy-notice", VISITOR, lambda site: reverse("privacy:notice")),
    # An attendee's pages
    SitePage("event-registered", ATTENDEE, lambda site: site.hands_on.get_absolute_url()),
    SitePage(
        "material-not-yet",
        ATTENDEE,
        lambda site: _material(site, "Exercise 1 solutions"),
        status=403,
    ),
    SitePage("event-register-form", ATTENDEE, lambda site: site.camp.get_absolute_url()),
    SitePage(
        "event-register-errors",
        ATTENDEE,
        lambda site: site.camp.get_absolute_url(),
        lambda page: (
            page.get_by_label("Also register for").check(),
            page.get_by_role("button", name="Register").click(),
        ),
        status=200,
    ),
    SitePage(
        "event-register-conditional",
        ATTENDEE,
        lambda site: site.camp.get_absolute_url(),
        lambda page: page.get_by_label("Yes, lend me one").check(),
    ),
    SitePage("my-registrations", ATTENDEE, "/registrations/"),
    SitePage(
        "survey-answer",
        ATTENDEE,
        lambda site: reverse("site:survey", args=[site.past_meeting.slug]),
    ),
    SitePage(
        "my-registrations-cancel-asks",
        ATTENDEE,
        "/registrations/",
        lambda page: page.locator("details.confirm-cancel > summary").first.click(),
    ),
    SitePage(
        "my-registration-change",
        ATTENDEE,
        lambda site: reverse("site:edit_registration", args=[site.onsite.pk]),
    ),
    SitePage(
        "computed-meeting-signed-in",
        ATTENDEE,
        lambda site: site.computed_meeting().get_absolute_url(),
    ),
    SitePage("my-calendar", ATTENDEE, "/feeds/personal/"),
    SitePage("my-calendar-with-link", ATTENDEE, "/feeds/personal/", _click("Create my feed link")),
    SitePage("account", ATTENDEE, "/accounts/profile/"),
    SitePage("api-tokens", ORGANISER, "/accounts/api-tokens/"),
    SitePage("api-token-made", ORGANISER, "/accounts/api-tokens/", _make_api_token),
    SitePage("account-emails", ATTENDEE, "/accounts/email/"),
    SitePage("account-password", ATTENDEE, "/accounts/password/change/"),
    SitePage("my-data", ATTENDEE, lambda site: reverse("accounts:my_data")),
    SitePage("delete-account", ATTENDEE, lambda site: reverse("accounts:delete")),
    SitePage("sign-out", ATTENDEE, "/accounts/logout/"),
    SitePage("admin-refused", ATTENDEE, "/admin/", status=403),
    # The organiser's side
    SitePage("organise", ORGANISER, "/organise/"),
    SitePage("event-new", ORGANISER, _org("event_create")),
    SitePage("question-library", ORGANISER, _org("question_library")),
    SitePage("camp-edit", ORGANISER, _org("event_edit", lambda site: site.camp.slug)),
    SitePage("event-overview", ORGANISER, _org("event_overview", _hands_on)),
    SitePage("event-edit", ORGANISER, _org("event_edit", _hands_on)),
    SitePage("event-repeat", ORGANISER, _org("event_clone", _hands_on)),
    SitePage("event-cancel", ORGANISER, _org("event_cancel", _hands_on)),
    SitePage("co-organisers", ORGANISER, _org("co_organisers", _hands_on)),
    SitePage("participants", ORGANISER, _org("participants", _hands_on)),
    SitePage(
        "participants-export",
        ORGANISER,
        _org("participants", _hands_on),
        lambda page: page.get_by_text("Export these").click(),
    ),
    SitePage(
        "participants-waiting",
        ORGANISER,
        lambda site: (
            reverse("organisers:participants", args=[site.hands_on.slug]) + "?status=waiting"
        ),
    ),
    SitePage(
        "participants-bulk-cancel-asks",
        ORGANISER,
        _org("participants", _hands_on),
        lambda page: (
            page.locator("input[name=selected]").first.check(),
            page.select_option("#id_action", "cancel"),
            page.get_by_role("button", name="Apply").click(),
        ),
    ),
    SitePage(
        "participant-registration",
        ORGANISER,
        lambda site: reverse("organisers:registration", args=[site.hands_on.slug, site.onsite.pk]),
    ),
    SitePage("notifications", ORGANISER, _org("notifications", _hands_on)),
    SitePage("add-people", ORGANISER, _org("add_people", _hands_on)),
    SitePage(
        "add-person-errors",
        ORGANISER,
        _org("add_people", _hands_on),
        _click("Add and send the confirmation"),
        status=200,
    ),
    SitePage("import-preview", ORGANISER, _org("add_people", _hands_on), _preview_import),
    SitePage("printouts", ORGANISER, _org("printouts", _hands_on)),
    SitePage("print-design", ORGANISER, _org("print_design", _hands_on)),
    SitePage(
        "print-design-errors",
        ORGANISER,
        _org("print_design", _hands_on),
        lambda page: (
            page.get_by_label("Labels, Avery L7163").check(),
            page.get_by_label("print a back side").check(),
            page.get_by_role("button", name="Save the design").click(),
        ),
    ),
    SitePage("printout-job", ORGANISER, _org("printout_job", _hands_on, _print_job)),
    SitePage("certificates", ORGANISER, _org("certificates", _camp)),
    SitePage(
        "certificate-check",
        VISITOR,
        lambda site: reverse("site:certificate", args=[site.certificate_token]),
    ),
    SitePage("certificate-forged", VISITOR, "/certificates/0123456789abcdef/", status=404),
    SitePage("reminders", ORGANISER, _org("reminders", _hands_on)),
    SitePage("series-reminders", ORGANISER, _org("series_reminders", _series)),
    SitePage("messages", ORGANISER, _org("messages", _hands_on)),
    SitePage("message-compose", ORGANISER, _org("message_compose", _hands_on)),
    SitePage(
        "message-compose-preview",
        ORGANISER,
        _org("message_compose", _hands_on),
        lambda page: (
            page.fill("#id_subject", "{event}: the room"),
            page.fill("#id_body", "Dear {first_name},\nwe meet in 4-3-006 at {event}."),
            page.get_by_role("button", name="Preview").click(),
        ),
    ),
    SitePage("check-in", ORGANISER, _org("check_in", _hands_on)),
    SitePage(
        "check-in-scanned",
        ORGANISER,
        lambda site: (
            reverse("organisers:check_in", args=[site.hands_on.slug])
            + f"?code={site.onsite.check_in_code}"
        ),
    ),
    SitePage(
        "check-in-remote-ticket",
        ORGANISER,
        lambda site: (
            reverse("organisers:check_in", args=[site.hands_on.slug])
            + f"?code={site.remote.check_in_code}"
        ),
    ),
    SitePage(
        "check-in-search",
        ORGANISER,
        lambda site: reverse("organisers:check_in", args=[site.hands_on.slug]) + "?q=Person",
    ),
    SitePage("attendance", ORGANISER, _org("attendance", _meeting)),
    SitePage("files", ORGANISER, _org("files", _hands_on)),
    SitePage("minutes", ORGANISER, _org("minutes", _past_meeting)),
    SitePage("minutes-item", ORGANISER, _org("minutes_entry", _past_meeting, _first_item)),
    SitePage("minutes-meeting", ORGANISER, _org("minutes_meeting", _past_meeting)),
    SitePage(
        "minutes-history",
        ORGANISER,
        lambda site: (
            _org("minutes_entry_history", _past_meeting, _first_item)(site) + "?revision=2"
        ),
    ),
    SitePage("survey-draft", ORGANISER, _org("survey", _hands_on)),
    SitePage("survey-open", ORGANISER, _org("survey", _past_meeting)),
    SitePage("survey-results", ORGANISER, _org("survey_results", _past_meeting)),
    SitePage("agenda", ORGANISER, _org("agenda", _hands_on)),
    SitePage("materials", ORGANISER, _org("materials", _hands_on)),
    SitePage("agenda-entry-new", ORGANISER, _org("agenda_entry_add", _hands_on)),
    SitePage("agenda-session-new", ORGANISER, _org("agenda_session_add", _hands_on)),
    SitePage("agenda-import", ORGANISER, _org("agenda_import", _hands_on)),
    SitePage("meeting-overview", ORGANISER, _org("event_overview", _meeting)),
    SitePage("series-meetings", ORGANISER, _org("series_meetings", _series)),
    SitePage("meeting-move", ORGANISER, _org("meeting_move", _series, _meeting_id)),
    SitePage("meeting-add", ORGANISER, _org("meeting_add", _series)),
    SitePage("meeting-edit", ORGANISER, _org("event_edit", _meeting)),
    SitePage("meeting-cancel", ORGANISER, _org("event_cancel", _meeting)),
    SitePage("series-new", ORGANISER, _org("series_create")),
    SitePage("series-edit", ORGANISER, _org("series_edit", _series)),
    SitePage("series-organisers", ORGANISER, _org("series_organisers", _series)),
    SitePage(
        "series-new-refused",
        ORGANISER,
        _org("series_create"),
        lambda page: page.get_by_role("button", name="Create the series").click(),
        status=200,
    ),
    # Site staff
    SitePage("admin", STAFF, "/admin/"),
]
