from django.conf import settings
from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

# Shown where a person's name belongs but none was given (accounts made before names were
# asked): never the e-mail address or a part of it, which must not appear in public places.
NO_NAME = gettext_noop("Name not given")


def full_name(first_name: str, last_name: str) -> str:
    """The one display form of a person's name ("Ada Lovelace"), for pages, exports, mails and
    badges alike; exports read plain values, so it is a function and not only a property."""
    parts = ((first_name or "").strip(), (last_name or "").strip())
    return " ".join(part for part in parts if part) or gettext(NO_NAME)


def display_name_of(user) -> str:
    """allauth's ACCOUNT_USER_DISPLAY: its pages and mails name people as ours do."""
    return user.display_name


class User(AbstractUser):
    """A person: attendee, organiser or staff. People sign in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("family name"), max_length=150, blank=True)
    affiliation = models.CharField(
        _("affiliation"),
        max_length=200,
        blank=True,
        help_text=_("Institute, university or company."),
    )
    # The language mails, reminders, badges and the personal feed are written in for this person;
    # blank until chosen (the site's default language is used then).
    language = models.CharField(
        _("language"), max_length=10, blank=True, choices=settings.LANGUAGES, default=""
    )

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

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
    claim = models.CharField(
        _("claim"), max_length=40, help_text=_("The claim it came from, e.g. wlcg.groups.")
    )

    class Meta:
        ordering = ["group__name"]
        verbose_name = _("external group")
        verbose_name_plural = _("external groups")

    def __str__(self):
        return f"{self.group.name} ({self.claim})"


class PrivacyNotice(models.Model):
    """One published version of the site's privacy notice. A version never changes once
    published (registrations record the version the person accepted); publish a new one."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    changes = models.CharField(
        _("what changed"),
        max_length=300,
        blank=True,
        help_text=_("One line, shown with the notice."),
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.CheckConstraint(condition=models.Q(version__gte=1), name="notice_version_1_up")
        ]

    def __str__(self):
        return gettext("Privacy notice, version %(version)s") % {"version": self.version}

    def get_absolute_url(self):
        return reverse("privacy:version", kwargs={"version": self.version})
