"""Permission class of the KPI API. `kpis.rules` decides object by object (a person's
assignment is read by the person, their leaders and HR); the collection is open to every
member, and the lists then hold only what the caller may read (`kpis.selectors`). A viewset
says which permission each action asks of its object in `object_permissions`, and how to get
the object the rule reads from the URL's object in `rule_object` (a measurement's
assignment)."""

from rest_framework import permissions

from tandem.core.permissions import is_member


class KpiPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        check = getattr(view, "may_use", None)
        if not is_member(request.user):
            return False
        return check(request) if check is not None else True

    def has_object_permission(self, request, view, obj):
        action = getattr(view, "action", None)
        table = getattr(view, "object_permissions", {})
        perm = table.get(action) or table.get(request.method)
        if perm is None:
            return True  # decided by the service
        if callable(perm):
            return perm(request, obj)
        rule_object = getattr(view, "rule_object", None)
        target = rule_object(obj) if rule_object is not None else obj
        return request.user.has_perm(perm, target)
