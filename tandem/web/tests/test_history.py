"""Change history as people read it: labels, names instead of ids, a bounded list."""

from datetime import date

from django.utils import translation
from django_scopes import scope

from tandem.core.testing import make_department
from tandem.org.models import Department, Employee
from tandem.web.history import change_history


def test_newest_first_with_the_fields_each_save_changed(org):
    staff = org.employees["staff"]
    with scope(company=org.company.pk), translation.override("en"):
        staff.english_name = "Stef"
        staff.save()
        staff.save()  # no visible change: left out
        staff.hire_date = date(2024, 4, 1)
        staff.save()
        entries = [(e.kind, e.kind_label, [(c.label, c.old, c.new) for c in e.changes])
                   for e in change_history(Employee.objects.get(pk=staff.pk))]

    assert entries == [
        ("~", "Changed", [("hire date", "2024-03-01", "2024-04-01")]),
        ("~", "Changed", [("English name", "—", "Stef")]),
        ("+", "Created", []),
    ]


def test_a_deleted_related_object_is_shown_by_its_id(org):
    staff = org.employees["staff"]
    temporary = make_department(org.company, "临时组")
    with scope(company=org.company.pk), translation.override("zh-hans"):
        staff.department = temporary
        staff.save()
        staff.department = org.platform
        staff.save()
        Department.objects.filter(pk=temporary.pk).delete()
        entries = change_history(staff)

    assert [(c.old, c.new) for c in entries[0].changes] == [(f"#{temporary.pk}", "平台组")]


def test_the_list_is_bounded_and_the_oldest_shown_entry_still_has_its_diff(org):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        for i in range(5):
            staff.english_name = f"v{i}"
            staff.save()
        entries = change_history(staff, limit=3)

    assert [[(c.old, c.new) for c in e.changes] for e in entries] == [
        [("v3", "v4")], [("v2", "v3")], [("v1", "v2")],
    ]


def test_excluded_fields_are_left_out(org):
    staff = org.employees["staff"]
    with scope(company=org.company.pk):
        staff.home_address = "秘密"
        staff.save()
        entries = change_history(staff, exclude=("home_address",))

    assert [e.kind for e in entries] == ["+"]
