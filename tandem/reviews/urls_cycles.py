"""Review cycle set-up, the calibration board and the company's review settings (HR,
administrators; the board also for department leaders)."""

from django.urls import path

from . import views_calibration, views_cycles, views_settings

urlpatterns = [
    path("cycles/", views_cycles.cycles, name="cycles"),
    path("cycles/new/", views_cycles.cycle_new, name="cycle_new"),
    path("cycles/<int:pk>/", views_cycles.cycle, name="cycle"),
    path("cycles/<int:pk>/edit/", views_cycles.cycle_edit, name="cycle_edit"),
    path("cycles/<int:pk>/delete/", views_cycles.cycle_delete, name="cycle_delete"),
    path("cycles/<int:pk>/open/", views_cycles.cycle_open, name="cycle_open"),
    path("cycles/<int:pk>/calibrate/", views_cycles.cycle_calibrate, name="cycle_calibrate"),
    path("cycles/<int:pk>/publish/", views_cycles.cycle_publish, name="cycle_publish"),
    path("cycles/<int:pk>/close/", views_cycles.cycle_close, name="cycle_close"),
    path("cycles/<int:pk>/calibration/", views_calibration.calibration, name="calibration"),
    path("<int:pk>/grade/", views_calibration.change_grade, name="change_grade"),
    path("<int:pk>/return/", views_calibration.return_review, name="return_review"),
    path("settings/", views_settings.settings_page, name="settings"),
    path("settings/overrides/", views_settings.overrides, name="overrides"),
    path("settings/overrides/<int:pk>/delete/", views_settings.override_delete,
         name="override_delete"),
]
