"""Links the account page shows to pages of the apps above accounts.

accounts cannot name those apps' URLs (the layers run downward), so each app adds its own link
once, at start-up (its AppConfig.ready), e.g. the API app its "API tokens" page.
"""

from django.urls import reverse

_links: dict[str, str] = {}


def add_account_link(*, label: str, url_name: str) -> None:
    _links[label] = url_name


def account_links() -> list[tuple[str, str]]:
    """(label, address) of every link an app added, in the order they were added."""
    return [(label, reverse(url_name)) for label, url_name in _links.items()]
