from django.urls import include, path

app_name = "kpis"

urlpatterns = [
    # The library, assignments, measurements, my and my team's KPIs.
    path("", include("tandem.kpis.urls_pages")),
    # Pace and alert settings of the company.
    path("tracking/", include("tandem.kpis.urls_tracking")),
]
