"""Django admin for operators (staff accounts): Pay's reference data, shared by every company —
cities, social-insurance policies with their scheme rates, minimum wages, the holiday table
and the special additional deduction standards. Changes are kept in their history.

Salary data (profiles, fixed pay items, declarations, attendance, work-injury rates) is not
here, on purpose: the admin spans companies and is for operators, while salary data is for a
company's HR, finance and the employee themself only (DESIGN.md); HR edits it in the app and
the API, inside the company's scope."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    City,
    CityPolicy,
    DeductionStandard,
    HolidayDay,
    HolidayYear,
    MinimumWage,
    SchemeRate,
)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en"]
    search_fields = ["code", "name", "name_en"]


class SchemeRateInline(admin.TabularInline):
    model = SchemeRate
    extra = 0


@admin.register(CityPolicy)
class CityPolicyAdmin(SimpleHistoryAdmin):
    list_display = ["city", "effective_from", "effective_to", "insurance_base_floor",
                    "insurance_base_ceiling", "confidence"]
    list_filter = ["city", "confidence"]
    inlines = [SchemeRateInline]


@admin.register(MinimumWage)
class MinimumWageAdmin(SimpleHistoryAdmin):
    list_display = ["city", "effective_from", "monthly_amount", "hourly_amount", "confidence"]
    list_filter = ["city"]


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source"]


@admin.register(HolidayDay)
class HolidayDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["name"]


@admin.register(DeductionStandard)
class DeductionStandardAdmin(SimpleHistoryAdmin):
    list_display = ["category", "variant", "effective_from", "effective_to", "monthly_amount",
                    "annual_amount", "monthly_withholding"]
    list_filter = ["category"]
