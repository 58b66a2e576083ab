"""The People module's entries in the left navigation (discovered by `web.apps.WebConfig`)."""

from django.utils.translation import gettext_lazy as _

from tandem.web.nav import registry

registry.section("people", _("People"), order=50)
registry.entry("people", "employees", _("Employees"), "org:employee_list", icon="users",
               permission="org.view_employee", order=10)
registry.entry("people", "departments", _("Departments"), "org:department_list",
               icon="building", permission="org.view_department", order=20)
registry.entry("people", "positions", _("Positions"), "org:position_list", icon="briefcase",
               permission="org.view_position", order=30)
