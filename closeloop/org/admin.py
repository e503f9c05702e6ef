"""The organisation in the admin: departments, people, projects, calendar days; policy and tokens to read."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import ApiToken, Department, Organisation, Person, Policy, Project


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "country"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "head", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["parent", "head", "organisation"]
    autocomplete_fields = ["head", "parent"]


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "display_name", "email", "department", "role", "language", "is_active"]
    list_filter = ["role", "language", "is_active", "organisation", "department"]
    search_fields = ["username", "display_name", "email", "first_name", "last_name"]
    list_select_related = ["department"]
    fieldsets = UserAdmin.fieldsets + (
        (_("Closeloop"), {"fields": ["organisation", "display_name", "department", "title", "role", "language",
                                     "time_zone"]}),
    )
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Closeloop"), {"fields": ["organisation", "display_name", "department", "role", "email"]}),
    )


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "lead", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]
    list_select_related = ["department", "lead"]


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    """Read here; change on the policy page, which checks the values, locks and audits."""

    list_display = ["organisation", "version"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owner; an administrator can look and revoke (audited), not edit."""

    list_display = ["name", "person", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "person__username"]
    fields = ["person", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        from closeloop.org.services import token_revoke

        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, actor=request.user)
