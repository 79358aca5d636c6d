"""The person's names and affiliation: asked at sign-up, on the account page and, for accounts
that have none yet (a provider that sent no names), at the first registration."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import update_profile

NAME_HELP = _("As it should appear on participant lists, badges and certificates.")
LANGUAGE_HELP = _(
    "The language of the site's pages when you are signed in, and of the mails, reminders, "
    "badges and certificates we send you."
)


def default_language_name() -> str:
    """The site's default language in its own name ("English")."""
    return dict(settings.LANGUAGES)[settings.LANGUAGE_CODE]


class NamesForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Family name"),
        max_length=150,
        help_text=NAME_HELP,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    affiliation = forms.CharField(
        label=_("Affiliation"),
        max_length=200,
        required=False,
        help_text=_("Institute, university or company."),
        widget=forms.TextInput({"autocomplete": "organization"}),
    )

    def clean(self):
        return check_names(self, super().clean())

    def save_names(self, user) -> None:
        save_names(user, self.cleaned_data)


def check_names(form: forms.Form, data: dict) -> dict:
    """A name of spaces only is no name. Shared by every form that carries NamesForm's fields."""
    for name in ("first_name", "last_name"):
        if name in data and not " ".join(data[name].split()):
            form.add_error(name, _("This field is required."))
    return data


def save_names(user, data: dict) -> None:
    update_profile(
        user=user,
        **{name: data.get(name, "") for name in ("first_name", "last_name", "affiliation")},
    )


class SignupForm(NamesForm):
    """allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS) with names first; allauth also uses
    it for a provider login that needs a form, prefilled from the provider's claims."""

    field_order = ["first_name", "last_name", "affiliation", "email", "password1", "password2"]

    def signup(self, request, user):
        self.save_names(user)


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "affiliation", "language"]
        help_texts = {"last_name": NAME_HELP, "language": LANGUAGE_HELP}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        # Each language in its own name, as in the header's switcher.
        self.fields["language"].choices = [
            ("", _("The site's default (%(language)s)") % {"language": default_language_name()}),
            *settings.LANGUAGES,
        ]


class DeleteAccountForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my account is deleted for good and cannot be restored."),
        error_messages={
            "required": _("Tick the box to confirm that you want your account deleted.")
        },
    )
