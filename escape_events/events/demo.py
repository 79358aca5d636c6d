"""A ready-made organiser account so that a newcomer can try the organiser's side at once."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from .models import Event, Series

DEMO_EMAIL = "organiser@example.org"
DEMO_PASSWORD = "escape-demo-organiser"  # noqa: S105 - development only, printed on purpose


def ensure_demo_organiser() -> tuple[str, str]:
    """Create (once) a verified organiser of every seeded event and series, allowed to create
    events of their own."""
    user, created = get_user_model().objects.get_or_create(
        email=DEMO_EMAIL,
        defaults={"username": "demo-organiser", "first_name": "Demo", "last_name": "Organiser"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="events", codename="add_event")
    )
    EmailAddress.objects.update_or_create(
        user=user, email=DEMO_EMAIL, defaults={"verified": True, "primary": True}
    )
    for event in Event.objects.filter(series__isnull=True):
        event.organisers.add(user)
    for series in Series.objects.all():
        series.organisers.add(user)
    return DEMO_EMAIL, DEMO_PASSWORD
