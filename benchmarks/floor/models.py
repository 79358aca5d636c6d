from django.conf import settings
from django.db import models


class Event(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    seats = models.PositiveIntegerField()

    def __str__(self):
        return self.title


class Registration(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    status = models.CharField(max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="one_per_person")]

    def __str__(self):
        return f"{self.user_id} {self.status}"
