"""The registration box and the series' "Taking part" box: each person's own parts of the public
pages, rendered for every request (never inside a cached block)."""

from django import template

from escape_events.events.selectors import prefetch_translations
from escape_events.events.when import list_text
from escape_events.registrations.forms import RegistrationForm
from escape_events.registrations.reminders import describe_minutes, reminder_minutes_for
from escape_events.registrations.rules import sees_remote_link
from escape_events.registrations.selectors import follows
from escape_events.registrations.selectors import registration_panel as build_panel

from .. import wording

register = template.Library()


@register.inclusion_tag("site/registration_panel.html", takes_context=True)
def registration_panel(context, event):
    """The registration box of an event page; after a failed POST it shows the submitted form."""
    request = context["request"]
    panel = build_panel(event, request.user)
    # The titles of the person's clashing registrations in the reader's language, in one query.
    overlapping = [item.event for item in panel.overlapping]
    prefetch_translations(overlapping, "translations", "series__translations")
    form = context.get("registration_form")
    if form is None and panel.settings and not panel.registration and not panel.refusal:
        form = RegistrationForm(panel=panel, user=request.user)
    return {
        "panel": panel,
        "form": form,
        "error": context.get("registration_error", ""),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("site/series_box.html", takes_context=True)
def series_participation(context, series, show_link=True):
    """Follow a series (reminders before each meeting) and, for signed-in people, its video
    link, as for open events; visitors are asked to sign in. Opened meetings that take
    registrations show the link in their registration box instead (`show_link=False`)."""
    request = context["request"]
    return {
        "series": series,
        "following": follows(request.user, series),
        "plan": describe_minutes(reminder_minutes_for(series)),
        "show_link": show_link and bool(series.online_url),
        "sees_link": sees_remote_link(
            user=request.user, registration=None, registration_required=False
        ),
        "user": request.user,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def other_offer(panel, offer):
    """The panel's other way of attending (for the "take the other mode now" button)."""
    return panel.other_offer(offer)


# Names joined as a sentence says them: "A, B and C", "A, B et C".
register.filter("spoken_list", list_text)
# A label inside a sentence: `|lower` would write German nouns small ("vor ort").
register.filter("in_sentence", wording.in_sentence)
