"""What every page of the shell needs: the company, the acting person and the navigation."""

from django.utils.functional import SimpleLazyObject

from .nav import registry


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "company": actor.company if actor else None,
        # Built only when a template shows the navigation (not for API or error responses).
        "nav_menu": SimpleLazyObject(lambda: registry.menu(request)),
    }
