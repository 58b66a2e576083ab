from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from tandem.org.validators import id_number_check_character, validate_id_number, validate_phone

# GB 11643-1999 appendix example.
GB_EXAMPLE = "11010519491231002X"


def test_the_standards_own_example_is_valid():
    validate_id_number(GB_EXAMPLE)
    assert id_number_check_character(GB_EXAMPLE[:17]) == "X"


@given(
    region=st.integers(110000, 659999),
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2010, 12, 31)),
    serial=st.integers(0, 999),
)
def test_a_number_with_its_computed_check_character_is_valid_and_any_other_is_not(region, birth, serial):
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    check = id_number_check_character(first17)
    validate_id_number(first17 + check)
    for wrong in "0123456789X":
        if wrong != check:
            with pytest.raises(ValidationError):
                validate_id_number(first17 + wrong)


@pytest.mark.parametrize(
    "value", ["", "1101051949123100", "11010519491231002Y", "110105194902300021", "abcdefghijklmnopqr"]
)
def test_malformed_numbers_are_refused(value):
    with pytest.raises(ValidationError):
        validate_id_number(value)


def test_an_impossible_birth_date_is_refused_even_with_a_right_check_character():
    first17 = "11010519900230002"  # 30 February 1990
    with pytest.raises(ValidationError):
        validate_id_number(first17 + id_number_check_character(first17))


@pytest.mark.parametrize("value", ["13800000000", "+86 138-0000-0000", "010-12345678"])
def test_phone_numbers(value):
    validate_phone(value)


@pytest.mark.parametrize("value", ["call me", "<script>", "1"])
def test_bad_phone_numbers(value):
    with pytest.raises(ValidationError):
        validate_phone(value)
