"""Feedback surveys: built from the registration question kinds, opened after the event with one
mail per person who attended, answered once (a database constraint, anonymous too), results
counted and exported, and purged with the registrations."""

import csv
import io
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, close_old_connections, connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from escape_events.accounts.services import delete_account
from escape_events.events.models import Event
from escape_events.organisers.models import ExportLog
from escape_events.registrations.models import Registration
from escape_events.registrations.services.privacy import purge_event_registrations
from escape_events.surveys import services
from escape_events.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from escape_events.surveys.selectors import person_key, results

Mode, Status = Registration.Mode, Registration.Status


@pytest.fixture
def over(hands_on):
    """The hands-on, held yesterday."""
    start = timezone.now() - timedelta(days=1, hours=3)
    Event.objects.filter(pk=hands_on.pk).update(start=start, end=start + timedelta(hours=3))
    hands_on.refresh_from_db()
    return hands_on


@pytest.fixture
def people(over, register):
    """Who attended (checked in on site; confirmed remote) and who did not."""
    now = timezone.now()
    return {
        "onsite": register(over, checked_in_at=now - timedelta(days=1)).user,
        "remote": register(over, mode=Mode.REMOTE).user,
        "no_show": register(over).user,
        "cancelled": register(over, status=Status.CANCELLED, checked_in_at=now).user,
        "waiting": register(over, mode=Mode.REMOTE, status=Status.WAITING).user,
    }


@pytest.fixture
def opened(over, organiser, people):
    survey = services.survey_for(event=over, by=organiser)
    services.add_template_questions(survey=survey, by=organiser)
    services.open_survey(survey=survey, closes_at=timezone.now() + timedelta(days=14), by=organiser)
    mail.outbox.clear()
    return survey


def url(name, event):
    return reverse(f"organisers:{name}", args=[event.slug])


def answer_url(event):
    return reverse("site:survey", args=[event.slug])


def test_the_template_adds_the_hands_on_questions_of_registration_kinds(over, organiser):
    survey = services.survey_for(event=over, by=organiser)
    assert services.add_template_questions(survey=survey, by=organiser) == 5
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds == ["single_choice", "single_choice", "yes_no", "multiple_choice", "text"]


def test_questions_are_checked_as_registration_questions_are(signed_in, over):
    data = {
        "title": "How was it?", "intro": "", "anonymous": "on",
        "questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Pace?", "questions-0-kind": "single_choice",
        "questions-0-position": "1", "questions-0-choices_text": "Only one",
    }  # fmt: skip
    response = signed_in.post(url("survey", over), data)
    assert response.status_code == 400
    assert "Give at least two options" in response.content.decode()
    data["questions-0-choices_text"] = "Slow\nRight\nFast"
    assert signed_in.post(url("survey", over), data).status_code == 302
    question = SurveyQuestion.objects.get()
    assert (question.label, question.choices) == ("Pace?", ["Slow", "Right", "Fast"])


def test_it_opens_only_after_the_event_with_questions_and_a_sane_closing(hands_on, organiser):
    survey = services.survey_for(event=hands_on, by=organiser)
    later = timezone.now() + timedelta(days=40)
    with pytest.raises(services.SurveyRefused, match="once the event is over"):
        services.open_survey(survey=survey, closes_at=later, by=organiser)
    Event.objects.filter(pk=hands_on.pk).update(
        start=timezone.now() - timedelta(hours=4), end=timezone.now() - timedelta(hours=1)
    )
    survey.event.refresh_from_db()
    with pytest.raises(services.SurveyRefused, match="at least one question"):
        services.open_survey(survey=survey, closes_at=later, by=organiser)
    services.add_template_questions(survey=survey, by=organiser)
    for closes_at in (timezone.now() - timedelta(minutes=1), timezone.now() + timedelta(days=91)):
        with pytest.raises(services.SurveyRefused, match="90 days"):
            services.open_survey(survey=survey, closes_at=closes_at, by=organiser)


def test_opening_mails_those_who_attended_once_each(signed_in, over, people):
    signed_in.post(url("survey_template", over))
    closes = (timezone.now() + timedelta(days=7)).astimezone(over.zone)
    response = signed_in.post(
        url("survey_open", over), {"closes_at": closes.strftime("%Y-%m-%dT%H:%M")}, follow=True
    )
    assert "its link went to 2 participants" in response.content.decode()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [people["onsite"].email, people["remote"].email]
    )
    text = mail.outbox[0].body
    assert f"/events/{over.slug}/feedback/" in text and "anonymously" in text
    again = signed_in.post(url("survey_invite", over), follow=True)
    assert "had the link already" in again.content.decode()
    assert len(mail.outbox) == 2
    Registration.objects.filter(user=people["no_show"]).update(checked_in_at=timezone.now())
    signed_in.post(url("survey_invite", over))
    assert [message.to for message in mail.outbox[2:]] == [[people["no_show"].email]]


def test_an_attendee_answers_once_and_anonymously(client, over, people, opened):
    client.force_login(people["remote"])
    page = client.get(answer_url(over)).content.decode()
    assert "How useful was the hands-on for your work?" in page
    questions = {question.label: question for question in opened.questions.all()}
    useful = questions["How useful was the hands-on for your work?"]
    more = questions["What would you like more of next time?"]
    change = questions["What should we change next time?"]
    data = {f"q{useful.pk}": "Useful", f"q{more.pk}": ["Exercises", "Introduction"],
            f"q{change.pk}": "=HYPERLINK(\"x\")"}  # fmt: skip
    response = client.post(answer_url(over), data, follow=True)
    assert "your answers are in" in response.content.decode()
    stored = SurveyResponse.objects.get()
    assert stored.user is None and stored.person_key == person_key(opened, people["remote"])
    assert SurveyAnswer.objects.get(question=more).value == "Exercises\nIntroduction"
    second = client.post(answer_url(over), data, follow=True).content.decode()
    assert "You have answered this survey" in second
    assert SurveyResponse.objects.count() == 1


def test_one_answer_per_person_is_a_database_constraint(over, people, opened):
    key = person_key(opened, people["onsite"])
    SurveyResponse.objects.create(survey=opened, person_key=key, submitted_at=timezone.now())
    with pytest.raises(IntegrityError):
        SurveyResponse.objects.create(survey=opened, person_key=key, submitted_at=timezone.now())


def test_a_required_question_left_empty_is_a_400_with_its_message(client, over, people, opened):
    client.force_login(people["onsite"])
    response = client.post(answer_url(over), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("who", ["no_show", "cancelled", "waiting"])
def test_who_did_not_attend_is_refused(client, over, people, opened, who):
    client.force_login(people[who])
    response = client.get(answer_url(over))
    assert response.status_code == 403
    assert "for the people who attended" in response.content.decode()
    assert client.post(answer_url(over), {}).status_code == 403
    assert not SurveyResponse.objects.exists()


def test_a_closed_survey_takes_no_answers(client, over, people, opened, organiser):
    services.close_survey(survey=opened, by=organiser)
    client.force_login(people["onsite"])
    assert client.get(answer_url(over)).status_code == 403
    with pytest.raises(services.SurveyRefused, match="closed"):
        services.submit_response(survey=opened, user=people["onsite"], answers={})


def test_a_survey_not_opened_is_404_and_strangers_must_sign_in(client, over, people, organiser):
    services.survey_for(event=over, by=organiser)
    client.force_login(people["onsite"])
    assert client.get(answer_url(over)).status_code == 404
    client.logout()
    assert client.get(answer_url(over)).status_code == 302


def test_anonymity_cannot_change_once_someone_answered(over, people, opened, organiser):
    services.submit_response(survey=opened, user=people["onsite"], answers={})
    with pytest.raises(services.SurveyRefused, match="cannot change now"):
        services.update_survey(survey=opened, values={"anonymous": False}, by=organiser)


def _answer_all(opened, people):
    questions = {question.kind: question for question in opened.questions.all()}
    pace = opened.questions.get(label="Was the pace right?")
    for who, choice, text in (("onsite", "Right", "More time"), ("remote", "Too fast", "")):
        services.submit_response(
            survey=opened,
            user=people[who],
            answers={pace.pk: choice, questions["yes_no"].pk: "yes", questions["text"].pk: text},
        )


def test_results_count_each_option_and_list_free_text(signed_in, over, people, opened):
    _answer_all(opened, people)
    found = {result.question.label: result for result in results(opened).questions}
    pace = found["Was the pace right?"]
    assert [(bar.label, bar.count, bar.percent) for bar in pace.bars] == [
        ("Too slow", 0, 0),
        ("Right", 1, 50),
        ("Too fast", 1, 50),
    ]
    assert found["What should we change next time?"].texts == ["More time"]
    page = signed_in.get(url("survey_results", over)).content.decode()
    assert "2 answers from 2 participants" in page
    assert 'width="50"' in page and "More time" in page


def test_results_take_a_fixed_number_of_queries(over, people, opened, django_assert_num_queries):
    _answer_all(opened, people)
    with django_assert_num_queries(4):
        results(opened)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_export_is_formula_safe_and_logged(signed_in, over, people, opened, file_format):
    change = opened.questions.get(kind="text")
    services.submit_response(
        survey=opened, user=people["onsite"], answers={change.pk: "=cmd|' /C calc'!A0"}
    )
    response = signed_in.get(url("survey_export", over), {"format": file_format})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(body)).active
        rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert (
        rows[0][0] == "Answered at (Europe/Zurich)" and "Name" not in rows[0]
    )  # anonymous: no name column
    assert "'=cmd|' /C calc'!A0" in rows[1]
    assert ExportLog.objects.get().filters == {"survey": opened.title}
    assert signed_in.get(url("survey_export", over), {"format": "pdf"}).status_code == 302


def test_the_registrations_purge_deletes_the_answers_and_keeps_the_count(
    signed_in, over, people, opened
):
    _answer_all(opened, people)
    purge_event_registrations(event=over)
    assert not SurveyAnswer.objects.exists()
    assert SurveyResponse.objects.filter(survey=opened, person_key="").count() == 2
    opened.refresh_from_db()
    assert opened.purged_at is not None
    page = signed_in.get(url("survey_results", over)).content.decode()
    assert "deleted with the registration data" in page


def test_deleting_an_account_lets_go_of_its_answers(over, people, opened, organiser):
    services.update_survey(survey=opened, values={"anonymous": False}, by=organiser)
    services.submit_response(survey=opened, user=people["onsite"], answers={})
    lines = delete_account(user=people["onsite"], by=people["onsite"]).done
    stored = SurveyResponse.objects.get()
    assert (stored.user, stored.person_key) == (None, "")
    assert any("feedback survey" in line for line in lines)


def test_the_survey_pages_are_the_organisers_only(client, over, people, opened, other_organiser):
    client.force_login(people["onsite"])
    for name in ("survey", "survey_results", "survey_export"):
        assert client.get(url(name, over)).status_code == 404
    for name in ("survey_template", "survey_open", "survey_invite", "survey_close"):
        assert client.post(url(name, over)).status_code == 404
    assert Survey.objects.get().closes_at > timezone.now()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_at_the_same_instant_stores_one_answer(over, people, opened):
    """Two connections at once (a double click on a slow line): the unique index decides."""
    barrier = threading.Barrier(2)
    refused: list[Exception] = []

    def submit():
        try:
            barrier.wait()
            services.submit_response(survey=opened, user=people["onsite"], answers={})
        except services.SurveyRefused as error:
            refused.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert [str(error) for error in refused] == [
        "You have answered this survey already: thank you."
    ]
    assert SurveyResponse.objects.count() == 1


def test_my_registrations_lists_the_open_survey_until_it_is_answered(client, over, people, opened):
    client.force_login(people["remote"])
    page = client.get(reverse("site:mine")).content.decode()
    assert "Feedback wanted" in page and f'href="{answer_url(over)}"' in page
    services.submit_response(survey=opened, user=people["remote"], answers={})
    assert "Feedback wanted" not in client.get(reverse("site:mine")).content.decode()
    client.force_login(people["no_show"])
    assert "Feedback wanted" not in client.get(reverse("site:mine")).content.decode()


def test_looking_at_the_survey_page_drafts_nothing(signed_in, over):
    assert signed_in.get(url("survey", over)).status_code == 200
    assert not Survey.objects.exists()


def test_the_mail_gives_dates_in_the_events_own_zone(over, people, organiser):
    Event.objects.filter(pk=over.pk).update(time_zone="America/Chicago")
    over.refresh_from_db()
    survey = services.survey_for(event=over, by=organiser)
    services.add_template_questions(survey=survey, by=organiser)
    closes_at = timezone.now() + timedelta(days=7)
    services.open_survey(survey=survey, closes_at=closes_at, by=organiser)
    local = closes_at.astimezone(over.zone)
    assert f"{local:%H:%M} {local:%Z} (America/Chicago)" in mail.outbox[0].body
