from allauth.socialaccount.admin import SocialAppAdmin as AllauthSocialAppAdmin
from allauth.socialaccount.models import SocialApp
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from maca.history import tracking

from .models import SignInProvider, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login", "last_sign_in_via"]
    list_filter = ["is_active", "is_staff", "last_sign_in_via"]
    search_fields = ["email", "name"]
    readonly_fields = ["last_login", "last_sign_in_via", "unused_notice_sent_at"]
    fieldsets = [
        (None, {"fields": ["email", "name", "password"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (
            "Dates",
            {"fields": ["last_login", "last_sign_in_via", "unused_notice_sent_at", "date_joined"]},
        ),
    ]
    add_fieldsets = [(None, {"fields": ["email", "name", "password1", "password2"]})]


class SignInProviderInline(admin.StackedInline):
    """Whose addresses the app signs in, and for which partnership (decision 75)."""

    model = SignInProvider
    extra = 1
    max_num = 1
    can_delete = True


# allauth's page for an OpenID Connect app (provider "OpenID Connect"; its provider id names
# its URLs, /accounts/oidc/<provider id>/login/callback/; settings {"server_url": issuer}),
# with maca's part of it on the same page.
admin.site.unregister(SocialApp)


@admin.register(SocialApp)
class SocialAppAdmin(AllauthSocialAppAdmin):
    inlines = [SignInProviderInline]

    def save_formset(self, request, form, formset, change):
        with tracking.actor(request.user, via="admin"):
            super().save_formset(request, form, formset, change)


@admin.register(SignInProvider)
class SignInProviderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "partnership", "agency", "email_domains"]

    def save_model(self, request, obj, form, change):
        with tracking.actor(request.user, via="admin"):
            super().save_model(request, obj, form, change)
