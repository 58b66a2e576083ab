from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("synergy/", views.synergy_report, name="synergy"),
    path("synergy/explain/", views.synergy_explain, name="synergy_explain"),
    path("synergy/export/", views.synergy_export, name="synergy_export"),
]
