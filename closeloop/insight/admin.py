from django.contrib import admin

from closeloop.insight.models import HourlyCost, InsightSettings


@admin.register(HourlyCost)
class HourlyCostAdmin(admin.ModelAdmin):
    list_display = ["title", "hourly_cost", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["title"]


@admin.register(InsightSettings)
class InsightSettingsAdmin(admin.ModelAdmin):
    list_display = ["organisation", "signoff_workdays", "currency"]
    filter_horizontal = ["management"]
