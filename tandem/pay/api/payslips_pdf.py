"""The payslip PDF through the API: the same document as the page's PDF
(`pay.views_payslips.pdf_response`), for HR, finance and the employee (their own, once the run
is approved; `pay.rules_payroll`). 503 with the reason when the server cannot make PDFs."""

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, renderers
from rest_framework.response import Response

from tandem.core.api import (
    AutoSchema,
    CompanyScopedMixin,
    ErrorSerializer,
    IsCompanyMember,
    RulesPermission,
)

from .. import pdf
from ..models import Payslip
from ..views_payslips import pdf_response


class PDFRenderer(renderers.BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`; an error answer is still JSON."""

    media_type = "application/pdf"
    format = None  # no ?format= switch: the Accept header chooses
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return renderers.JSONRenderer().render(data)


class PdfSchema(AutoSchema):
    """The errors are JSON whatever the client accepts; only the 200 is the PDF."""

    def map_renderers(self, attribute):
        return ["application/json"]


class PayslipPdfView(CompanyScopedMixin, generics.GenericAPIView):
    queryset = Payslip.objects
    permission_classes = [permissions.IsAuthenticated, IsCompanyMember, RulesPermission]
    renderer_classes = [renderers.JSONRenderer, PDFRenderer]
    filter_backends = []
    pagination_class = None
    schema = PdfSchema()

    def get_queryset(self):
        return Payslip.objects.select_related("run", "employee", "company")

    @extend_schema(
        operation_id="payslips_pdf_retrieve",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description=(
                gettext_lazy("The payslip as a PDF (attachment)."))),
            503: OpenApiResponse(ErrorSerializer, description=gettext_lazy(
                "The server cannot make PDFs (WeasyPrint or the Chinese font missing).")),
        },
        description=gettext_lazy(
            "A payslip as a PDF, with every line and how it was computed: HR and finance "
            "any, an employee their own once the run is approved."))
    def get(self, request, pk=None):
        payslip = self.get_object()
        problem = pdf.unavailable_reason()
        if problem is not None:
            return Response({"detail": problem}, status=503)
        return pdf_response(payslip)
