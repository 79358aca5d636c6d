"""A ready-made organiser account so that a newcomer can try the organiser's side at once."""

from collections.abc import Collection

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from .models import Event, Series

DEMO_EMAIL = "organiser@example.org"
DEMO_PASSWORD = "escape-demo-organiser"  # noqa: S105 - development only, printed on purpose


def ensure_demo_organiser(
    *, new_events: Collection[str] = (), new_series: Collection[str] = ()
) -> tuple[str, str]:
    """Create, once, a verified organiser of every seeded event and series, allowed to create
    events of their own. Later loads only make them organise what they created (the slugs
    given): what was changed on the account or in an event's organisers stays."""
    user, created = get_user_model().objects.get_or_create(
        email=DEMO_EMAIL,
        defaults={"username": "demo-organiser", "first_name": "Demo", "last_name": "Organiser"},
    )
    events = Event.objects.filter(series__isnull=True)
    series = Series.objects.all()
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="events", codename="add_event")
        )
        EmailAddress.objects.create(user=user, email=DEMO_EMAIL, verified=True, primary=True)
    else:
        events = events.filter(slug__in=new_events)
        series = series.filter(slug__in=new_series)
    for event in events:
        event.organisers.add(user)
    for one in series:
        one.organisers.add(user)
    return DEMO_EMAIL, DEMO_PASSWORD
