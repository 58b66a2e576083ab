"""Opening an uploaded Excel workbook safely, for every import.

`open_workbook(uploaded_file)` refuses, with a message a person can act on, whatever is not a
readable .xlsx: too large, empty, an old .xls or a password-protected workbook (both OLE2
containers), a CSV or any other non-zip file, a zip that is not a workbook, a damaged
workbook, and a "zip bomb" whose contents would unpack far beyond the upload. It returns the
openpyxl workbook in read-only mode (values, not formulas); close it when done."""

import io
import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and encrypted .xlsx
WORKBOOK_PART = "xl/workbook.xml"


def open_workbook(uploaded_file, *, max_bytes: int = MAX_UPLOAD_BYTES,
                  max_unpacked_bytes: int = MAX_UNPACKED_BYTES):
    """The workbook in `uploaded_file` (a Django UploadedFile or any binary file object), or
    ValidationError saying why it cannot be read (code: the reason, for callers and tests)."""
    data = _read_at_most(uploaded_file, max_bytes)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if data.startswith(OLE2_SIGNATURE):
        raise ValidationError(
            _("This is an old-format (.xls) or password-protected workbook. Open it in Excel, "
              "remove any password and save it as .xlsx, then upload it again."),
            code="old_format",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise ValidationError(
            _("This file is not an Excel workbook. Upload an .xlsx file saved from Excel, WPS "
              "or LibreOffice."),
            code="not_excel",
        )
    _check_zip(data, max_unpacked_bytes)
    return _load(data)


def _read_at_most(uploaded_file, max_bytes: int) -> bytes:
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise _too_large(max_bytes)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(
        _("The file is larger than %(limit)s. Split it into smaller workbooks.")
        % {"limit": filesizeformat(max_bytes)},
        code="too_large",
    )


def _damaged() -> ValidationError:
    return ValidationError(
        _("This workbook is damaged and cannot be read. Open it in Excel, save it again as "
          ".xlsx and upload the new file."),
        code="damaged",
    )


def _check_zip(data: bytes, max_unpacked_bytes: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise _damaged() from None
    if WORKBOOK_PART not in {member.filename for member in members}:
        raise ValidationError(
            _("This is a zip file but not an Excel workbook (a Word document or another "
              "archive?). Upload an .xlsx file."),
            code="not_excel",
        )
    if sum(member.file_size for member in members) > max_unpacked_bytes:
        raise ValidationError(
            _("This workbook unpacks to more than %(limit)s. Split it into smaller workbooks.")
            % {"limit": filesizeformat(max_unpacked_bytes)},
            code="too_large",
        )


def _load(data: bytes):
    from openpyxl import load_workbook  # imported on use: only imports need it

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 (openpyxl raises many kinds on a broken file)
        raise _damaged() from None
