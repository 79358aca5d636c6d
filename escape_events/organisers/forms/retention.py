"""How long an event keeps its registration data: organisers may shorten the site's period."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator


class RetentionForm(forms.Form):
    months = forms.IntegerField(
        label="Keep registration data for (months after the event)",
        min_value=0,
        required=False,
        help_text="Empty: the site's period.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = settings.REGISTRATION_RETENTION_MONTHS
        field = self.fields["months"]
        field.validators.append(
            MaxValueValidator(
                site,
                message=f"At most the site's period, {site} months: organisers may shorten it, "
                "not extend it.",
            )
        )
        field.widget.attrs["max"] = site
