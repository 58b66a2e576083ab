from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .api import api_not_found

# Swagger UI's page carries one inline <style> block; its scripts stay under script-src 'self'.
swagger_ui = csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", swagger_ui, name="api-docs"),
    path("v1/", include("tandem.core.api_v1")),
    # Anything else under /api/ gets the API's JSON 404, not the HTML page.
    re_path(r"^", api_not_found),
]
