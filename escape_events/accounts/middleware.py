"""A signed-in person's stored language wins over the switcher's cookie and the browser's
Accept-Language (LocaleMiddleware chose from those just before)."""

from django.conf import settings
from django.utils import translation

from .languages import site_language


class UserLanguageMiddleware:
    """Placed right after AuthenticationMiddleware; LocaleMiddleware's response half then says
    the language chosen here in Content-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in; asking request.user would read the
        # session and mark every response Vary: Cookie (the feeds and cached pages are cookie-free).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = site_language(user.language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
