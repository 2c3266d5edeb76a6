from django.contrib import admin

from .models import Agency, Area, LibraryTheme, Membership, Partnership


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [AreaInline, AgencyInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "role", "agency"]
    list_filter = ["partnership", "role"]
    search_fields = ["user__email", "user__name"]
    autocomplete_fields = ["user"]


@admin.register(LibraryTheme)
class LibraryThemeAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership"]
    list_filter = ["partnership"]
    # A merge moves the audit themes and records why (maca.learning.library): only the theme
    # library's merge does it, never a field typed here.
    readonly_fields = ["merged_into", "merged_at", "version"]
