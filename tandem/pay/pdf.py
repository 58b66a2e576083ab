"""Payslips as PDF: the payslip template's print variant rendered by WeasyPrint, with the
Noto Sans CJK SC font embedded (DESIGN.md: reportlab's CID fonts are not embedded and show
blank glyphs where the reader lacks CJK fonts). The font file is the `TANDEM_PDF_FONT`
setting, else what fontconfig finds for "Noto Sans CJK SC" (Debian: fonts-noto-cjk). Without
the font or WeasyPrint's libraries the system check `tandem.pay.W001`/`W002` warns and the PDF
views answer 503 with the reason."""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
# WeasyPrint logs every rendering step (and its own stylesheets, on import) at INFO: noise in
# a server's log and in every management command, which import it through the system check.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

FONT_FAMILY = "Noto Sans CJK SC"
PRINT_CSS = Path(__file__).parent / "static" / "pay" / "payslip-print.css"


@functools.cache
def _fontconfig_font() -> Path | None:
    """The file fontconfig gives for the family, only if it is that family (fc-match always
    answers something: a fallback font without CJK glyphs is no answer)."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(  # noqa: S603  (fixed arguments, no user input)
            [fc_match, "-f", "%{family}\n%{file}", FONT_FAMILY], capture_output=True,
            text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _newline, file = found.partition("\n")
    if FONT_FAMILY not in families.split(",") or not file:
        return None
    return Path(file)


def font_path() -> Path | None:
    """The CJK font file to embed, None when there is none on this machine."""
    configured = getattr(settings, "TANDEM_PDF_FONT", "")
    path = Path(configured) if configured else _fontconfig_font()
    return path if path is not None and path.is_file() else None


def weasyprint_problem() -> str | None:
    """Why WeasyPrint cannot run here (not installed, or Pango/HarfBuzz missing), else None."""
    try:
        import weasyprint  # noqa: F401  (loads Pango through cffi: fails without it)
    except (ImportError, OSError) as error:
        return str(error)
    return None


def unavailable_reason() -> str | None:
    """What stops PDFs from being made here, in the reader's language; None when they can."""
    problem = weasyprint_problem()
    if problem is not None:
        return _("WeasyPrint cannot run on this server (%(error)s).") % {"error": problem}
    if font_path() is None:
        return _("The Chinese font Noto Sans CJK SC is not installed on this server "
                 "(Debian package fonts-noto-cjk, or the TANDEM_PDF_FONT setting).")
    return None


def _font_css(font: Path) -> str:
    return (f'@font-face {{ font-family: "Tandem CJK"; src: url("{font.as_uri()}"); }}\n'
            f'html {{ font-family: "Tandem CJK", "{FONT_FAMILY}", sans-serif; }}\n')


def _local_files_only(font: Path):
    """WeasyPrint may read the font file and nothing else: the document is our template,
    and no value in it (a name, an item's wording) may make the server fetch a URL."""
    from weasyprint.urls import URLFetcher

    allowed = font.as_uri()

    class FontFileFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url != allowed:
                raise ValueError(f"PDF resources are limited to the font file, not {url}")
            return super().fetch(url, headers)

    return FontFileFetcher(allowed_protocols=["file"])


def html_to_pdf(html: str) -> bytes:
    """A PDF of `html` with the print stylesheet and the CJK font (subset, embedded).
    Call `unavailable_reason()` first: this raises when WeasyPrint or the font is missing."""
    import weasyprint

    font = font_path()
    if font is None:
        raise RuntimeError(unavailable_reason())
    fetcher = _local_files_only(font)
    stylesheets = [weasyprint.CSS(string=_font_css(font), url_fetcher=fetcher),
                   weasyprint.CSS(string=PRINT_CSS.read_text(encoding="utf-8"),
                                  url_fetcher=fetcher)]
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)


def payslip_filename(payslip) -> str:
    number = "".join(c for c in payslip.employee.employee_number if c.isalnum() or c in "-_")
    return f"payslip-{payslip.month:%Y-%m}-{number or payslip.employee_id}.pdf"


def payslip_pdf(payslip) -> bytes:
    """The payslip document (`views_payslips.payslip_document`) as a PDF."""
    from .views_payslips import payslip_document

    html = render_to_string("pay/payslips/print.html", payslip_document(payslip))
    return html_to_pdf(html)
