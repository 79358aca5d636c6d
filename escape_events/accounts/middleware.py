"""A signed-in person's stored language wins over the switcher's cookie and the browser's
Accept-Language (LocaleMiddleware chose from those just before)."""

from django.utils import translation

from .languages import site_language


class UserLanguageMiddleware:
    """Placed right after AuthenticationMiddleware; LocaleMiddleware's response half then says
    the language chosen here in Content-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = site_language(user.language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
