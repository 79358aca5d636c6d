"""The organiser's Reminders pages: choose the plan, see when each goes out, preview the mail."""

from django.urls import reverse

from escape_events.registrations.models import Registration, ReminderPlan, SeriesFollower


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
