"""The title and description of an event or a series in other languages than the original:
readers whose language has a translation see it, everyone else the original."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from escape_events.events.models import Event, Series, translation_languages
from escape_events.events.services import set_translations
from escape_events.events.when import list_text

from ..forms.translations import TranslationForm
from ..permissions import organised_event_or_404, organised_series_or_404


@login_required
@require_http_methods(["GET", "POST"])
def event_translations(request, slug):
    event = organised_event_or_404(request.user, slug)
    return _translations_page(request, of=event, context={"event": event})


@login_required
@require_http_methods(["GET", "POST"])
def series_translations(request, series_slug):
    series = organised_series_or_404(request.user, series_slug)
    return _translations_page(request, of=series, context={"series": series})


def _translations_page(request, *, of: Event | Series, context: dict):
    stored = {item.language: item for item in of.translations.all()}
    forms = []
    for language, name in translation_languages():
        found = stored.get(language)
        initial = {"title": found.title, "description": found.description} if found else {}
        forms.append(
            TranslationForm(
                request.POST or None,
                initial=initial,
                language=language,
                language_name=name,
            )
        )
    if request.method == "POST" and all(form.is_valid() for form in forms):
        texts = {
            form.language: (form.cleaned_data["title"], form.cleaned_data["description"])
            for form in forms
        }
        changed = set_translations(of=of, texts=texts)
        if changed:
            names = dict(translation_languages())
            messages.success(
                request,
                gettext("Translations saved: %(languages)s.")
                % {"languages": list_text([names[code] for code in changed])},
            )
        else:
            messages.info(request, gettext("Nothing changed."))
        return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    context = {**context, "item": of, "forms": forms}
    return render(request, "organisers/event_translations.html", context, status=status)
