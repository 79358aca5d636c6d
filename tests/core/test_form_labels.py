"""Every visible form field has its own translatable label: without `label=`, Django makes one of
the field's name ("Sort", "Mode"), which no catalogue can translate, and the French page, its
error summaries and screen readers would say it in English."""

import inspect
import pkgutil
from importlib import import_module

from django import forms
from django.utils import translation
from django.utils.functional import Promise

import escape_events


def form_modules():
    for module in pkgutil.walk_packages(escape_events.__path__, prefix="escape_events."):
        if "form" in module.name:
            yield import_module(module.name)


def form_classes():
    for module in form_modules():
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm):
                yield module, name, cls


def test_form_modules_are_found():
    names = {module.__name__ for module in form_modules()}
    assert "escape_events.organisers.forms.participants" in names
    assert "escape_events.registrations.forms" in names
    assert "escape_events.events.forms" in names


def test_every_visible_field_has_a_label():
    offenders = [
        f"{module.__name__}.{name}.{field_name}"
        for module, name, cls in form_classes()
        for field_name, field in getattr(cls, "base_fields", {}).items()
        if field.label is None and not field.widget.is_hidden
    ]
    assert not offenders, "Fields without label=_(…):\n" + "\n".join(sorted(offenders))


def test_every_label_is_translatable():
    """A label given as a plain string, or taken from a model field without a translated
    verbose_name (ModelForm), stays English on every page."""
    offenders = [
        f"{module.__name__}.{name}.{field_name}: {field.label!r}"
        for module, name, cls in form_classes()
        for field_name, field in getattr(cls, "base_fields", {}).items()
        if field.label is not None
        and not field.widget.is_hidden
        and not isinstance(field.label, Promise)
    ]
    assert not offenders, "Labels that no catalogue translates:\n" + "\n".join(sorted(offenders))


def test_labels_follow_the_language():
    """Needs the compiled catalogues (`make compile-messages`)."""
    from escape_events.organisers.forms.participants import ParticipantFilterForm

    with translation.override("fr"):
        label = str(ParticipantFilterForm.base_fields["status"].label)
    assert label == "Statut"
