from django.contrib import admin

from maca.history import tracking

from .models import Agency, Area, LibraryTheme, Membership, Partnership


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    readonly_fields = ["version"]


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0
    readonly_fields = ["version"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    inlines = [AreaInline, AgencyInline]

    def save_model(self, request, obj, form, change):
        with tracking.actor(request.user, via="admin"):
            super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """An area or agency renamed here moves its version on, as a coordinator's rename
        does, so that a rename begun before it on the areas and agencies page is refused
        rather than overwriting it; the history records who did it."""
        with tracking.actor(request.user, via="admin"):
            rows = formset.save(commit=False)
            for row in rows:
                if row.pk is not None and hasattr(row, "version"):
                    row.version += 1
                row.save()
            for row in formset.deleted_objects:
                row.delete()
            formset.save_m2m()


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
