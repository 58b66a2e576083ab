"""REST resources of the org chart: departments, positions, employees and their job history.
`serializers` check the shape of the input, `filters` narrow the lists, `views` hold the thin
viewsets that `core.api_v1` registers; the services in `org.services` apply the rules."""

from .views import DepartmentViewSet, EmployeeViewSet, PositionViewSet

__all__ = ["DepartmentViewSet", "EmployeeViewSet", "PositionViewSet"]
