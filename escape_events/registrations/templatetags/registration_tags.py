from django import template

from ..forms import RegistrationForm
from ..selectors import registration_panel as build_panel

register = template.Library()


@register.inclusion_tag("registrations/panel.html", takes_context=True)
def registration_panel(context, event):
    """The registration box of an event page; after a failed POST it shows the submitted form."""
    request = context["request"]
    panel = build_panel(event, request.user)
    form = context.get("registration_form")
    if form is None and panel.settings and not panel.registration and not panel.refusal:
        form = RegistrationForm(panel=panel, user=request.user)
    return {
        "panel": panel,
        "form": form,
        "error": context.get("registration_error", ""),
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
    }


@register.filter
def other_offer(panel, offer):
    """The panel's other way of attending (for the "take the other mode now" button)."""
    return panel.other_offer(offer)
