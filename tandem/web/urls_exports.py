"""Excel export jobs under /exports/ (names in the "exports" namespace): a job's page, its
progress bar and its file. Each export starts at its own URL (in its app), which calls
`web.views_exports.start`."""

from django.urls import path

from . import views_exports

app_name = "exports"

urlpatterns = [
    path("<int:pk>/", views_exports.job_page, name="job"),
    path("<int:pk>/progress/", views_exports.job_progress, name="progress"),
    path("<int:pk>/download/", views_exports.job_download, name="download"),
]
