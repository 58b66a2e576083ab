"""Django admin for operators (superusers): companies and who belongs to them. Company data is
managed in the app itself, inside each company's scope."""

from django.contrib import admin

from .models import Company, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "created_at"]
    search_fields = ["name", "name_en"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "is_active"]
    list_filter = ["role", "is_active", "company"]
    search_fields = ["user__username", "company__name"]
    autocomplete_fields = ["user"]
