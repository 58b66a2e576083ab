"""Guards shared by every page: signed in, member of a company, allowed by the rules."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect


def member_required(view):
    """Signed-in members of a company only. Visitors go to the sign-in page (htmx requests
    too, with a full-page redirect); a user without a company gets a page that says so."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            response = redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if getattr(request, "htmx", False):
                return HttpResponseClientRedirect(response["Location"])
            return response
        if getattr(request, "actor", None) is None:
            return render(request, "web/no_company.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def require_perm(request, perm: str, obj=None) -> None:
    """403 unless the rules allow it. Objects come from scoped querysets, so another
    company's object never gets this far: it is already a 404."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
