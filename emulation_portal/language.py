"""The language of a page: Vietnamese unless the user chose otherwise."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


def chosen_language(request) -> str:
    """The language of the user's choice (the language switch's cookie) if it is one the
    portal offers, else the portal's default (``LANGUAGE_CODE``, Vietnamese)."""
    available = {code for code, _name in settings.LANGUAGES}
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in available:
        return chosen
    return settings.LANGUAGE_CODE


class PortalLocaleMiddleware(LocaleMiddleware):
    """Pages are Vietnamese whatever the browser's Accept-Language says (a ministry's staff
    often run English browsers), English only by the user's choice. The API still honours
    Accept-Language: its callers are programs that ask for what they parse."""

    def process_request(self, request):
        if request.path_info.startswith("/api/"):
            return super().process_request(request)
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
