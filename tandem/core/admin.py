"""Django admin for operators (superusers): companies and who belongs to them, and, read-only,
the group robots and their delivery log (to help when a robot fails). Company data is managed
in the app itself, inside each company's scope."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from .models import Company, Membership
from .notifications.models import WebhookChannel, WebhookDelivery


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


class CompanyScopedAdmin(admin.ModelAdmin):
    """Operators read every company's rows: the one place outside a company's scope."""

    def get_queryset(self, request):
        with scopes_disabled():
            return super().get_queryset(request)


@admin.register(WebhookChannel)
class WebhookChannelAdmin(CompanyScopedAdmin):
    """Read-only for operators, to help a company whose robot fails: the secret is never
    shown, the address only masked. Companies configure robots in the app."""

    list_display = ["name", "company", "platform", "enabled", "masked_address", "has_secret",
                    "updated_at"]
    list_filter = ["platform", "enabled"]
    search_fields = ["name", "company__name"]
    fields = ["company", "name", "platform", "masked_address", "has_secret", "keyword",
              "enabled", "categories", "created_at", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("secret set"))
    def has_secret(self, obj):
        return obj.has_secret

    @admin.display(description=_("webhook address"))
    def masked_address(self, obj):
        return obj.masked_address


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(CompanyScopedAdmin):
    list_display = ["created_at", "company", "channel", "kind", "status", "attempts",
                    "http_status", "error_code"]
    list_filter = ["status"]
    list_select_related = ["company", "channel"]
    readonly_fields = ["company", "channel", "kind", "notification_count", "text", "mentions",
                       "status", "attempts", "http_status", "error_code", "error_message",
                       "created_at", "last_attempt_at", "sent_at"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
