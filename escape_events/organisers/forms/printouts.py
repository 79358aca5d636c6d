"""The badge and certificate design, and attendance marked or imported for certificates."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from escape_events.events.attachments import validate_upload

from ..models import PrintDesign

LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_MAX_PIXELS = 4000
LOGO_MIN_PIXELS = 32
ATTENDANCE_LIST_MAX_BYTES = 1024 * 1024


def validate_logo(uploaded) -> None:
    """A PNG or JPEG image Pillow can read whole, of a sensible size."""
    if uploaded.name.rsplit(".", 1)[-1].lower() not in {"png", "jpg", "jpeg"}:
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    validate_upload(uploaded)  # extension, leading bytes, the site's upload limit
    if uploaded.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(LOGO_MAX_BYTES)}
        )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(uploaded) as image:
            width, height = image.size
            kind = image.format
            if width * height <= LOGO_MAX_PIXELS**2:
                image.verify()  # reads the whole file: a truncated or forged one fails here
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(_("The logo is not a readable PNG or JPEG image.")) from None
    finally:
        uploaded.seek(0)
    if kind not in {"PNG", "JPEG"}:
        raise ValidationError(_("The logo must be a PNG or JPEG image."))
    if max(width, height) > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is %(width)d × %(height)d pixels; at most %(most)d on a side.")
            % {"width": width, "height": height, "most": LOGO_MAX_PIXELS}
        )
    if min(width, height) < LOGO_MIN_PIXELS:
        raise ValidationError(
            _(
                "The logo is %(width)d × %(height)d pixels; at least %(least)d on a side, "
                "or it prints blurred."
            )
            % {"width": width, "height": height, "least": LOGO_MIN_PIXELS}
        )


class PrintDesignForm(forms.ModelForm):
    class Meta:
        model = PrintDesign
        fields = [
            "layout", "logo", "colour_organiser", "colour_speaker", "colour_onsite",
            "colour_remote", "show_affiliation", "show_qr", "questions", "back_side",
            "back_text", "signer", "signer_role",
        ]  # fmt: skip
        widgets = {
            "layout": forms.RadioSelect,
            "logo": forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
            "colour_organiser": forms.TextInput(attrs={"type": "color"}),
            "colour_speaker": forms.TextInput(attrs={"type": "color"}),
            "colour_onsite": forms.TextInput(attrs={"type": "color"}),
            "colour_remote": forms.TextInput(attrs={"type": "color"}),
            "questions": forms.CheckboxSelectMultiple,
            "back_text": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "colour_organiser": _("Band colour: organisers"),
            "colour_speaker": _("Band colour: speakers"),
            "colour_onsite": _("Band colour: on-site participants"),
            "colour_remote": _("Band colour: remote participants"),
            "questions": _("Answers shown on the badge"),
            "back_text": _("Text on the back"),
            "layout": _("Badge size"),
            "logo": _("Logo"),
            "show_affiliation": _("Show the affiliation"),
            "signer_role": _("Role of the signer"),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questions"].queryset = event.questions.all()
        self.fields["logo"].help_text = _(
            "PNG or JPEG, at most 2 MB and 4000 pixels on a side; printed on badges and "
            "certificates."
        )

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            validate_logo(logo)
        return logo

    def clean(self):
        data = super().clean()
        if data.get("back_side") and data.get("layout") == PrintDesign.Layout.LABELS:
            self.add_error("back_side", _("Labels have no back side: pick another size for one."))
        return data


class AttendanceListForm(forms.Form):
    """A video-conference attendance list (Zoom, Teams, Indico, a spreadsheet) as CSV."""

    file = forms.FileField(
        label=_("Attendance list (CSV)"),
        help_text=_(
            "Needs an e-mail column; a join-time column gives the day, a duration column "
            "the minutes. At most 1 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    day = forms.TypedChoiceField(
        label=_("Day, for rows without a join time"), choices=(), coerce=str, required=False
    )

    def __init__(self, *args, days=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].choices = [(day.isoformat(), f"{day:%a %d %b %Y}") for day in days]
        if len(days) == 1:
            self.fields["day"].initial = days[0].isoformat()

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > ATTENDANCE_LIST_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is 1 MB: split it.")
                % {"size": filesizeformat(uploaded.size)}
            )
        return uploaded.read()


class MarkAttendanceForm(forms.Form):
    """The days one remote (or forgotten) person was there, as an organiser marks them."""

    registration = forms.IntegerField(widget=forms.HiddenInput)
    days = forms.MultipleChoiceField(
        label=_("Present on"), choices=(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, days=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(day.isoformat(), f"{day:%a %d %b}") for day in days]
