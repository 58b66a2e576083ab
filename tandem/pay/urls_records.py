"""The salary-data pages under /pay/: salary profiles, deduction declarations, the month's
attendance grid, one-off pay items and year-to-date openings, each with its Excel import
(`<list>/import/`) and template (`<list>/import/template/`)."""

from django.urls import path

from . import views_records, views_records_imports, views_records_inputs

urlpatterns = [
    path("salary-profiles/", views_records.profile_list, name="salary_profiles"),
    path("salary-profiles/new/", views_records.profile_create, name="salary_profile_create"),
    path("salary-profiles/<int:pk>/", views_records.profile_detail,
         name="salary_profile_detail"),
    path("salary-profiles/<int:pk>/edit/", views_records.profile_edit,
         name="salary_profile_edit"),
    path("deductions/", views_records.declaration_list, name="deduction_list"),
    path("deductions/new/", views_records.declaration_create, name="deduction_create"),
    path("deductions/<int:pk>/edit/", views_records.declaration_edit, name="deduction_edit"),
    path("attendance/", views_records_inputs.attendance_grid, name="attendance"),
    path("pay-items/", views_records_inputs.pay_item_list, name="pay_items"),
    path("pay-items/new/", views_records_inputs.pay_item_create, name="pay_item_create"),
    path("pay-items/<int:pk>/edit/", views_records_inputs.pay_item_edit, name="pay_item_edit"),
    path("pay-items/<int:pk>/delete/", views_records_inputs.pay_item_delete,
         name="pay_item_delete"),
    path("openings/", views_records_inputs.opening_list, name="openings"),
]

for _kind in views_records_imports.PAGES:
    _name = _kind.replace("-", "_")
    urlpatterns += [
        path(f"{_kind}/import/", views_records_imports.import_view(_kind),
             name=f"import_{_name}"),
        path(f"{_kind}/import/template/", views_records_imports.template_view(_kind),
             name=f"import_template_{_name}"),
    ]
