from django.contrib.auth.models import AbstractUser
from django.db import models


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
