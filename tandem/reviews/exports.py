"""The Excel export of a review cycle's bonus awards (`core.exports`): one row per person with
the policy, the formula's result, the bonus, its status and pay month and the explanation, and
a total row. One query. Salary data: HR, administrators and finance (the view checks it)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from tandem.core.exports import DATE, DECIMAL, MONEY, TEXT, Column, Sheet

from .models import BonusAward, ReviewCycle


def awards_of(cycle: ReviewCycle):
    return (BonusAward.objects.filter(review__cycle=cycle)
            .select_related("review__employee", "review__department", "policy")
            .order_by("review__employee__employee_number", "pk"))


def award_sheets(cycle: ReviewCycle) -> list[Sheet]:
    awards = list(awards_of(cycle))
    columns = [Column(_("Employee number"), TEXT, 12), Column(_("Name"), TEXT, 14),
               Column(_("Department"), TEXT, 16), Column(_("Final score"), DECIMAL),
               Column(pgettext("review", "Grade"), TEXT, 8), Column(_("Policy"), TEXT, 16),
               Column(_("Formula result"), MONEY), Column(_("Bonus"), MONEY),
               Column(_("Status"), TEXT, 10), Column(_("Pay month"), DATE),
               Column(_("Explanation"), TEXT, 60)]
    rows = [(award.review.employee.employee_number, award.review.employee.name,
             str(award.review.department or ""), award.review.final_score, award.review.grade,
             award.policy.name, award.raw, award.amount, award.get_status_display(),
             award.month, " ".join(str(line) for line in award.explanation))
            for award in awards]
    total = sum((award.amount for award in awards), Decimal("0.00"))
    people = ngettext("%(count)s person", "%(count)s people", len(awards)) % {
        "count": len(awards)}
    return [Sheet(_("Bonuses"), columns, rows,
                  total=(_("Total"), people, "", None, "", "", None, total, "", None, ""))]


def award_filename(cycle: ReviewCycle) -> str:
    return _("bonuses-%(cycle)s.xlsx") % {"cycle": cycle.name}
