"""Permission class of the review API: the KPI API's table-driven class. `reviews.rules` decides
object by object; a viewset names the permission each action asks of its object in
`object_permissions` (a name, or a callable of the request and the object), and may limit the
whole collection to some callers with `may_use(request)`. The lists are open to every member
and hold only what the caller may read (`reviews.selectors`)."""

from tandem.kpis.api.permissions import KpiPermission


class ReviewPermission(KpiPermission):
    """The same checks; its own name, so the review API reads on its own."""
