"""The organiser's Reminders pages: choose the plan, see when each goes out, preview the mail."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from escape_events.registrations.models import Registration, ReminderPlan, SeriesFollower
from escape_events.registrations.reminders import Reminder, reminder_message
from escape_events.timetable.models import Entry


def test_event_reminders_page_shows_the_plan_schedule_and_a_preview(
    client, organiser, hands_on, register
):
    hands_on.online_url = "https://meet.example.org/swan"
    hands_on.save()
    register(hands_on)
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])

    page = client.get(url).content.decode()

    assert "1 day before and 1 hour before" in page  # the default plan
    assert page.count("<tr>") == 3  # header + the two reminders
    assert f"Goes out ({hands_on.time_zone})" in page
    assert "Hello Olga Organiser," in page  # the preview, as an attendee reads it
    assert "Join remotely: https://meet.example.org/swan" in page  # the remote preview
    assert "show the attached QR code at the entrance" in page  # the on-site preview


def test_organisers_choose_the_reminders_or_none(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])
    assert client.post(url, {"minutes_before": ["10080", "15"]}).status_code == 302
    assert ReminderPlan.objects.get(event=hands_on).minutes_before == [10080, 15]
    assert "1 week before and 15 minutes before" in client.get(url).content.decode()
    client.post(url, {})
    assert ReminderPlan.objects.get(event=hands_on).minutes_before == []


def test_a_made_up_reminder_time_is_refused_and_nothing_changes(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])
    response = client.post(url, {"minutes_before": ["1", "abc"]})
    assert response.status_code == 400
    assert "Pick reminders from the list." in response.content.decode()
    assert not ReminderPlan.objects.exists()


def test_series_reminders_page_previews_a_followers_mail(
    client, organiser, wp2_series, make_person
):
    wp2_series.organisers.add(organiser)
    wp2_series.online_url = "https://meet.example.org/wp2"
    wp2_series.save()
    SeriesFollower.objects.create(series=wp2_series, user=make_person())
    client.force_login(organiser)
    url = reverse("organisers:series_reminders", args=[wp2_series.slug])

    page = client.get(url).content.decode()

    assert "The 1 follower of this series" in page
    assert "Next meeting: Wed" in page and "(Europe/Zurich)" in page
    assert "Join remotely: https://meet.example.org/wp2" in page
    client.post(url, {"minutes_before": ["180"]})
    assert ReminderPlan.objects.get(series=wp2_series).minutes_before == [180]


def test_the_reminders_tab_is_on_every_event_page(client, organiser, hands_on):
    client.force_login(organiser)
    page = client.get(reverse("organisers:event_overview", args=[hands_on.slug])).content.decode()
    assert reverse("organisers:reminders", args=[hands_on.slug]) in page
    assert Registration.objects.count() == 0


def test_the_organisers_paragraph_agenda_and_calendar_file_go_into_the_reminder(
    client, organiser, hands_on, register
):
    Entry.objects.create(
        event=hands_on,
        title="Welcome & SWAN login check",
        start=hands_on.start,
        end=hands_on.start + timedelta(minutes=30),
    )
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])
    note = "Check that your SWAN login works <b>and</b> bring a laptop."
    response = client.post(
        url,
        {"minutes_before": ["1440"], "note": note, "include_agenda": "on",
         "include_calendar": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    plan = ReminderPlan.objects.get(event=hands_on)
    assert (plan.note, plan.include_agenda, plan.include_calendar) == (note, True, True)

    page = client.get(url).content.decode()
    assert "Check that your SWAN login works &lt;b&gt;and&lt;/b&gt; bring a laptop." in page
    assert "Welcome &amp; SWAN login check" in page  # the agenda, in the preview
    assert "<b>and</b>" not in page  # the preview is escaped

    registration = register(hands_on)
    reminder = Reminder(registration.user, hands_on, 1440, registration)
    message = reminder_message(reminder, now=hands_on.start - timedelta(days=1))
    assert note in message.body and "Agenda (times in Europe/Zurich):" in message.body
    assert f"{hands_on.slug}.ics" in [name for name, _content, _type in message.attachments]
    html = message.alternatives[0][0]
    assert "&lt;b&gt;and&lt;/b&gt;" in html and "<b>and</b>" not in html


def test_without_a_plan_of_their_own_reminders_carry_no_agenda_or_calendar(hands_on, register):
    registration = register(hands_on)
    message = reminder_message(Reminder(registration.user, hands_on, 60, registration))
    assert "Agenda" not in message.body
    assert not [name for name, *_ in message.attachments if name.endswith(".ics")]


def test_send_a_test_to_me_saves_and_mails_the_organiser_each_modes_reminder(
    client, organiser, hands_on
):
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])
    response = client.post(
        url, {"minutes_before": ["60"], "note": "Room 40-S2-A01.", "test": "1"}, follow=True
    )
    assert ReminderPlan.objects.get(event=hands_on).note == "Room 40-S2-A01."
    assert [message.to for message in mail.outbox] == [[organiser.email]] * 2  # on-site, remote
    assert all(
        message.subject.startswith("[Test] Reminder: SWAN hands-on") for message in mail.outbox
    )
    assert all("Room 40-S2-A01." in message.body for message in mail.outbox)
    assert f"2 test mails sent to {organiser.email}" in response.content.decode()


def test_a_paragraph_longer_than_allowed_is_refused(client, organiser, hands_on):
    client.force_login(organiser)
    url = reverse("organisers:reminders", args=[hands_on.slug])
    response = client.post(url, {"minutes_before": ["60"], "note": "x" * 2001})
    assert response.status_code == 400
    assert not ReminderPlan.objects.exists()
