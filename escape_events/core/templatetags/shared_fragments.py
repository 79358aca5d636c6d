from django import template

from escape_events.core import fragments

register = template.Library()

# What a shared fragment may be given: values whose repr says all they show.
PLAIN = (str, bool, int, type(None))


@register.simple_tag(takes_context=True)
def shared_fragment(context, template_name, **values):
    """`template_name` rendered from `values` alone, once per process for each set of values
    (core/fragments.py): plain values only, so that the key names everything it can show."""
    for name, value in values.items():
        if not isinstance(value, PLAIN):
            raise TypeError(f"shared_fragment {template_name}: {name} is not a plain value")
    # The type too: a str and a SafeString of the same text render differently.
    key = repr(sorted((name, type(value).__name__, value) for name, value in values.items()))
    return fragments.render(template_name, values, context.get("csrf_token"), shared_key=key)
