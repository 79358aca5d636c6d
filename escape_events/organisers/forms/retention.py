"""How long an event keeps its registration data: organisers may shorten the site's period."""

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _


class RetentionForm(forms.Form):
    months = forms.IntegerField(
        label=_("Keep registration data for (months after the event)"),
        min_value=0,
        required=False,
        help_text=_("Empty: the site's period."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        site = settings.REGISTRATION_RETENTION_MONTHS
        field = self.fields["months"]
        field.validators.append(
            MaxValueValidator(
                site,
                message=_(
                    "At most the site's period, %(months)d months: organisers may shorten it, "
                    "not extend it."
                )
                % {"months": site},
            )
        )
        field.widget.attrs["max"] = site
