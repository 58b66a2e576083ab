from django.urls import path

from . import views_tracking

urlpatterns = [
    path("", views_tracking.tracking_settings, name="tracking_settings"),
    path("risks/", views_tracking.risks, name="tracking_risks"),
    path("calibration/", views_tracking.calibration, name="tracking_calibration"),
]
