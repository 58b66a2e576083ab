"""Validators for Chinese identity data."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 11643-1999 (公民身份号码): 17 digits and a check character computed with ISO 7064 MOD 11-2.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^\+?[\d\- ]{5,20}$")


def id_number_check_character(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def validate_id_number(value: str) -> None:
    value = value.upper()
    if not _ID_PATTERN.match(value):
        raise ValidationError(_("An identity number has 17 digits followed by a digit or X."))
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("The birth date inside this identity number is not a real date.")) from None
    if id_number_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this identity number is wrong."))


def validate_phone(value: str) -> None:
    if not _PHONE_PATTERN.match(value):
        raise ValidationError(_("Enter a phone number of digits, spaces, dashes and an optional +."))
