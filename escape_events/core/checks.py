"""`manage.py check --deploy` warnings for production settings that are missing or unsafe when the
site runs on several app servers (each message says what breaks and which variable fixes it)."""

import os

from django.conf import settings
from django.core.checks import Tags, Warning, register

OUTBOX_BACKEND = "escape_events.outbox.backend.OutboxBackend"


def _warning(number: int, message: str, hint: str) -> Warning:
    return Warning(message, hint=hint, id=f"escape_events.W{number:03d}")


@register(Tags.security, deploy=True)
def production_settings(app_configs, **kwargs):
    warnings = []
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        warnings.append(
            _warning(
                1,
                "No shared cache: rate limits and cached feeds count per process, so each "
                "gunicorn worker allows its own ten failed logins.",
                "Set REDIS_URL=redis://host:6379/0.",
            )
        )
    if not os.environ.get("EMAIL_HOST"):
        warnings.append(
            _warning(
                2,
                "EMAIL_HOST is not set: mails go to an SMTP server on localhost:587.",
                "Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
            )
        )
    if settings.MAILERS["default"]["BACKEND"] != OUTBOX_BACKEND:
        warnings.append(
            _warning(
                4,
                "Mail bypasses the outbox: a mail server that is down or slow loses mails or "
                "holds requests.",
                f"Keep MAILERS['default'] = {OUTBOX_BACKEND} and run `manage.py deliver_mail`.",
            )
        )
    if not settings.ALLAUTH_TRUSTED_PROXY_COUNT and not settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
        warnings.append(
            _warning(
                5,
                "No trusted proxy: behind HAProxy or nginx every client has the proxy's address, "
                "so ten failed logins from anywhere lock everyone out.",
                "Set TRUSTED_PROXY_COUNT (proxies that append to X-Forwarded-For, e.g. 1) or "
                "TRUSTED_CLIENT_IP_HEADER.",
            )
        )
    filesystem = settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")
    if filesystem and not os.environ.get("MEDIA_ROOT"):
        warnings.append(
            _warning(
                6,
                "Uploads are stored in the project folder: other app servers will not find them.",
                "Set MEDIA_ROOT to a folder every app server shares, or AWS_STORAGE_BUCKET_NAME.",
            )
        )
    if not settings.SITE_IS_HTTPS:
        warnings.append(
            _warning(
                7,
                f"SITE_URL ({settings.SITE_URL}) is not https: cookies are sent in clear and "
                "calendar subscriptions go over plain HTTP.",
                "Serve the site over HTTPS and set SITE_URL=https://….",
            )
        )
    return warnings
