from decimal import Decimal

from tandem.goals.templatetags.okr import plain


def test_values_show_without_trailing_zeros_and_with_grouped_digits():
    assert plain(Decimal("262000.0000")) == "262,000"
    assert plain(Decimal("632384.3000")) == "632,384.3"
    assert plain(Decimal("0.5000")) == "0.5"
    assert plain(None) == ""


def test_the_check_in_form_offers_the_current_value_in_plain_digits(org):
    from django_scopes import scope

    from tandem.goals import services
    from tandem.goals.forms import CheckInForm
    from tandem.goals.testing import make_goals

    goals = make_goals(org)
    with scope(company=org.company.pk):
        services.check_in(key_result=goals.staff_kr, value=Decimal("262000"), confidence=7)
        form = CheckInForm(key_result=goals.staff_kr)
    assert form.fields["value"].initial == "262000"
