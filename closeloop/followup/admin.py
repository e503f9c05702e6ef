"""The scheduled scans in the admin, read-only: when each ran, what it queued, its last error."""

from django.contrib import admin

from .models import ScanRun


@admin.register(ScanRun)
class ScanRunAdmin(admin.ModelAdmin):
    list_display = ["name", "last_started_at", "last_finished_at", "last_count", "runs", "next_run_at", "last_error"]
    readonly_fields = ["name", "next_run_at", "last_started_at", "last_finished_at", "last_count", "last_error",
                       "runs"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
