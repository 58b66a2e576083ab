from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("tandem.core.api_urls")),
    path("people/", include("tandem.org.urls")),
    path("goals/", include("tandem.goals.urls")),
    path("kpis/", include("tandem.kpis.urls")),
    path("pay/", include("tandem.pay.urls")),
    path("reviews/", include("tandem.reviews.urls")),
    path("insights/", include("tandem.insights.urls")),
    path("", include("tandem.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
