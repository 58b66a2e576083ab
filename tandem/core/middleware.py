from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_scopes import scope

from .actor import resolve_actor

SESSION_COMPANY_KEY = "tandem_company_id"


class LanguageMiddleware:
    """Chinese unless the user chose otherwise: the language cookie set by the switch wins;
    the browser's Accept-Language is deliberately ignored so that zh-hans stays the default on
    every machine, whatever language the browser was installed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supported = {code for code, _ in settings.LANGUAGES}
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in supported:
            language = settings.LANGUAGE_CODE
        # override, not activate: the language must not outlive the request in this thread.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class CompanyMiddleware:
    """Resolves `request.company` and `request.actor` from the signed-in user's membership and
    runs the rest of the request inside `scope(company=...)`. API views authenticated by token
    open their own scope (see `core.api.CompanyScopedAPIView`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        actor = resolve_actor(request.user, request.session.get(SESSION_COMPANY_KEY))
        request.actor = actor
        request.company = actor.company if actor else None
        if actor is None:
            # No company: every scoped query matches nothing rather than everything.
            with scope(company=[]):
                return self.get_response(request)
        with scope(company=actor.company.pk):
            return self.get_response(request)
