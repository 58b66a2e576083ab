"""What every page of the shell needs: the company, the acting person, the navigation and the
bell's unread count."""

from django.utils.functional import SimpleLazyObject

from tandem.core.notifications.selectors import unread_count_of_user

from .nav import registry


def shell(request):
    actor = getattr(request, "actor", None)
    return {
        "actor": actor,
        "company": actor.company if actor else None,
        # Built only when a template shows the navigation (not for API or error responses).
        "nav_menu": SimpleLazyObject(lambda: registry.menu(request)),
        # One query, and only when a template shows the bell.
        "notifications_unread": SimpleLazyObject(
            lambda: unread_count_of_user(actor.user, actor.company) if actor else 0),
    }
