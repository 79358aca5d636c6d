from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse


class User(AbstractUser):
    """A person: attendee, organiser or staff. People sign in with their e-mail address."""

    email = models.EmailField("e-mail address", unique=True)
    affiliation = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email.split("@")[0]


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
