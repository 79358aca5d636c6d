"""Minutes per agenda item and per meeting: revisions, lost updates refused, restore, the diff,
the public agenda, the seeds and the move of the old one-text-per-event minutes."""

import importlib
from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from escape_events.events.models import Event
from escape_events.events.seeding import load_seeds
from escape_events.timetable.minutes import (
    MinutesConflict,
    diff_rows,
    history,
    minutes_by_entry,
    restore_revision,
    save_minutes,
)
from escape_events.timetable.models import Entry, Minutes, MinutesRevision
from escape_events.timetable.seeding import load_agenda_seeds

move = importlib.import_module("escape_events.timetable.migrations.0004_minutes_and_revisions")


@pytest.fixture
def item(hands_on, add):
    return add(hands_on, hands_on.start, hands_on.start + timedelta(minutes=30), title="SWAN")


def test_every_save_is_a_revision_with_its_author(hands_on, item, make_user):
    ada, grace = make_user(first_name="Ada"), make_user(first_name="Grace")
    first = save_minutes(event=hands_on, entry=item, text="Start\r\n", base_revision=0, by=ada)
    second = save_minutes(event=hands_on, entry=item, text="Start\nMore", base_revision=1, by=grace)
    minutes = Minutes.objects.get(entry=item)
    assert (first.number, second.number, minutes.revision) == (1, 2, 2)
    assert minutes.text == "Start\nMore"
    assert [(rev.number, rev.author, rev.text) for rev in history(minutes)] == [
        (2, grace, "Start\nMore"),
        (1, ada, "Start"),
    ]


def test_saving_the_same_text_or_nothing_adds_no_revision(hands_on, item):
    assert save_minutes(event=hands_on, entry=item, text="  ", base_revision=0, by=None) is None
    assert not Minutes.objects.exists()  # nothing written, no row
    save_minutes(event=hands_on, entry=item, text="Same", base_revision=0, by=None)
    assert save_minutes(event=hands_on, entry=item, text="Same\n", base_revision=1, by=None) is None
    assert MinutesRevision.objects.count() == 1


def test_a_save_from_an_older_revision_is_refused_and_says_who_saved_in_between(
    hands_on, item, make_user
):
    ada, grace = make_user(first_name="Ada"), make_user(first_name="Grace", last_name="Hopper")
    save_minutes(event=hands_on, entry=item, text="One", base_revision=0, by=ada)
    # Both opened revision 1; Grace saves first.
    save_minutes(event=hands_on, entry=item, text="Grace's", base_revision=1, by=grace)
    with pytest.raises(MinutesConflict) as refused:
        save_minutes(event=hands_on, entry=item, text="Ada's", base_revision=1, by=ada)
    assert "Grace Hopper saved these minutes (revision 2)" in str(refused.value)
    assert Minutes.objects.get(entry=item).text == "Grace's"  # nothing lost, nothing overwritten
    assert MinutesRevision.objects.count() == 2


def test_a_first_save_racing_another_first_save_is_refused_too(hands_on, item):
    save_minutes(event=hands_on, entry=item, text="First", base_revision=0, by=None)
    with pytest.raises(MinutesConflict):
        save_minutes(event=hands_on, entry=item, text="Also first", base_revision=0, by=None)


def test_restoring_brings_an_earlier_text_back_as_a_new_revision(hands_on, item):
    for number, text in enumerate(["One", "Two", "Three"]):
        save_minutes(event=hands_on, entry=item, text=text, base_revision=number, by=None)
    first = MinutesRevision.objects.get(number=1)
    restored = restore_revision(revision=first, base_revision=3, by=None)
    assert (restored.number, restored.text, restored.restored_from) == (4, "One", 1)
    assert Minutes.objects.get(entry=item).text == "One"
    assert MinutesRevision.objects.count() == 4  # the history keeps every step
    with pytest.raises(MinutesConflict):
        restore_revision(revision=first, base_revision=3, by=None)
    with pytest.raises(ValueError, match="the text the minutes have now"):
        restore_revision(revision=first, base_revision=4, by=None)


def test_an_item_of_another_event_is_refused(hands_on, camp, add):
    elsewhere = add(camp, camp.start, camp.start + timedelta(hours=1))
    with pytest.raises(ValueError):
        save_minutes(event=hands_on, entry=elsewhere, text="x", base_revision=0, by=None)


def test_the_meeting_and_each_item_have_their_own_minutes(hands_on, item):
    save_minutes(event=hands_on, text="Whole meeting", base_revision=0, by=None)
    save_minutes(event=hands_on, entry=item, text="Item", base_revision=0, by=None)
    found = minutes_by_entry(hands_on)
    assert (found[None].text, found[item.pk].text) == ("Whole meeting", "Item")


def test_diff_rows_pair_lines_and_mark_what_changed():
    rows = diff_rows("a\nb\nc", "a\nB\nc\nd")
    assert [(row.kind, row.old_line, row.new_line) for row in rows] == [
        ("equal", "a", "a"),
        ("changed", "b", "B"),
        ("equal", "c", "c"),
        ("added", "", "d"),
    ]
    assert [(row.old_number, row.new_number) for row in rows] == [(1, 1), (2, 2), (3, 3), (None, 4)]
    assert [row.kind for row in diff_rows("x\ny", "y")] == ["removed", "equal"]


def test_item_minutes_show_under_the_item_on_the_public_agenda_as_safe_markdown(
    client, hands_on, item
):
    text = "- **Accounts** for everyone\n\n<script>alert(1)</script>[x](javascript:alert(2))"
    save_minutes(event=hands_on, entry=item, text=text, base_revision=0, by=None)
    html = client.get(hands_on.get_absolute_url()).content.decode()
    entry_html = html[html.index(f'id="{item.anchor}"') :]
    assert "Minutes of this item" in entry_html
    assert "<strong>Accounts</strong>" in entry_html
    assert "<script>alert(1)" not in html and "javascript:" not in html


def test_the_seeds_put_the_4_sep_2019_minutes_under_their_items_and_keep_edits(db):
    load_seeds(today=date(2026, 11, 25))
    load_agenda_seeds()
    meeting = Event.objects.get(series__slug="escape-wp2-meeting")
    found = minutes_by_entry(meeting)
    titles = {entry.pk: entry.title for entry in Entry.objects.filter(event=meeting)}
    by_title = {titles.get(key, "meeting"): minutes.text for key, minutes in found.items()}
    assert len(by_title) == 6  # the meeting and its five items
    assert "hands-on session for SWAN" in by_title["Interfaces between WP2 and WP5: SWAN"]
    assert "tape endpoint" in by_title["Status of the pilot and next steps"]
    assert "Present: Andrea" in by_title["meeting"]
    coordination = Minutes.objects.get(entry__event=meeting, entry__title="Coordination")
    save_minutes(event=meeting, entry=coordination.entry, text="Edited", base_revision=1, by=None)
    load_seeds(today=date(2026, 11, 25))
    load_agenda_seeds()  # again: nothing overwritten, nothing added
    coordination.refresh_from_db()
    assert (coordination.text, coordination.revision) == ("Edited", 2)
    assert MinutesRevision.objects.filter(minutes__event=meeting).count() == 7


def test_old_plain_text_minutes_become_markdown_with_their_line_breaks():
    old = "Present: Ada\r\nGrace\r\n\r\n      • Indented bullet\n"
    assert move.plain_to_markdown(old) == "Present: Ada  \nGrace\n\n• Indented bullet"


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_events_minutes_as_its_meeting_minutes(django_db_blocker):
    before = [("events", "0006_description_text"), ("timetable", "0002_description_text")]
    after = [("events", "0007_minutes_per_item"), ("timetable", "0004_minutes_and_revisions")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldEvent = old_apps.get_model("events", "Event")
    start = OldEvent._meta.get_field("start").to_python("2019-09-04T12:00:00+00:00")
    kept = OldEvent.objects.create(
        title="WP2", slug="wp2", start=start, end=start + timedelta(hours=1),
        time_zone="Europe/Zurich", minutes="Coordination\nAgreed.",
    )  # fmt: skip
    OldEvent.objects.create(
        title="Empty", slug="empty", start=start, end=start + timedelta(hours=1),
        time_zone="Europe/Zurich",
    )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    minutes = Minutes.objects.get()
    assert (minutes.event_id, minutes.entry_id, minutes.text) == (
        kept.pk,
        None,
        "Coordination  \nAgreed.",
    )
    assert minutes.revisions.get().number == minutes.revision == 1


def test_the_admin_shows_minutes_with_their_history_read_only(admin_client, hands_on, item):
    from django.urls import reverse

    for number, text in enumerate(["One", "Two"]):
        save_minutes(event=hands_on, entry=item, text=text, base_revision=number, by=None)
    minutes = Minutes.objects.get()
    page = admin_client.get(reverse("admin:timetable_minutes_change", args=[minutes.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "One" in html and "Two" in html and 'name="_save"' not in html
