"""System checks of Pay: payslip PDFs need WeasyPrint's libraries and the Noto Sans CJK SC
font (DESIGN.md). A machine without them must say so loudly, not produce blank glyphs."""

from django.core.checks import Warning, register

from . import pdf


@register()
def pdf_can_be_made(app_configs=None, **kwargs):
    problem = pdf.weasyprint_problem()
    if problem is not None:
        return [Warning(f"WeasyPrint cannot run: {problem}", id="tandem.pay.W001",
                        hint="Install WeasyPrint's system libraries (Pango, HarfBuzz); "
                             "payslip PDFs answer 503 until then.")]
    if pdf.font_path() is None:
        return [Warning("The font Noto Sans CJK SC is not installed: payslip PDFs answer 503.",
                        id="tandem.pay.W002",
                        hint="apt-get install fonts-noto-cjk, or set TANDEM_PDF_FONT to the "
                             "font file.")]
    return []
