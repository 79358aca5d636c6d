from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse

# Shown where a person's name belongs but none was given (accounts made before names were
# asked): never the e-mail address or a part of it, which must not appear in public places.
NO_NAME = "Name not given"


def full_name(first_name: str, last_name: str) -> str:
    """The one display form of a person's name ("Ada Lovelace"), for pages, exports, mails and
    badges alike; exports read plain values, so it is a function and not only a property."""
    parts = ((first_name or "").strip(), (last_name or "").strip())
    return " ".join(part for part in parts if part) or NO_NAME


def display_name_of(user) -> str:
    """allauth's ACCOUNT_USER_DISPLAY: its pages and mails name people as ours do."""
    return user.display_name


class User(AbstractUser):
    """A person: attendee, organiser or staff. People sign in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    first_name = models.CharField("first name", max_length=150, blank=True)
    last_name = models.CharField("family name", max_length=150, blank=True)
    affiliation = models.CharField(
        max_length=200, blank=True, help_text="Institute, university or company."
    )
    # The language mails, reminders, badges and the personal feed are written in for this person;
    # blank until chosen (the site's default language is used then).
    language = models.CharField(
        "language", max_length=10, blank=True, choices=settings.LANGUAGES, default=""
    )

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return full_name(self.first_name, self.last_name)

    @property
    def preferred_language(self) -> str:
        """The language to write to this person in (mails, reminders, badges, personal feed)."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def has_name(self) -> bool:
        """Both names given: asked at sign-up, or at the first registration otherwise."""
        return bool(self.first_name.strip() and self.last_name.strip())


class ExternalGroup(models.Model):
    """A Django group that mirrors a group or entitlement claim of the identity provider.

    Membership of these groups is rewritten at every OpenID Connect login; groups an admin
    assigns by hand are never touched.
    """

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="external")
    claim = models.CharField(max_length=40, help_text="The claim it came from, e.g. wlcg.groups.")

    class Meta:
        ordering = ["group__name"]

    def __str__(self):
        return f"{self.group.name} ({self.claim})"


class PrivacyNotice(models.Model):
    """One published version of the site's privacy notice. A version never changes once
    published (registrations record the version the person accepted); publish a new one."""

    version = models.PositiveIntegerField(unique=True)
    text = models.TextField(help_text="Markdown.")
    changes = models.CharField(
        "what changed", max_length=300, blank=True, help_text="One line, shown with the notice."
    )
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="notice_version_1_up")
        ]

    def __str__(self):
        return f"Privacy notice, version {self.version}"

    def get_absolute_url(self):
        return reverse("privacy:version", kwargs={"version": self.version})
