from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "closeloop.insight"
    label = "insight"
    verbose_name = _("insight")

    def ready(self):
        from closeloop.insight.notifications import monthly_report_scan
        from closeloop.insight.pages import home_panel
        from closeloop.meetings.pages import home_panel as home_panel_hook
        from closeloop.notify.scans import register_scan

        home_panel_hook.provide(home_panel)

        from closeloop.insight.selectors import report_recipients
        from closeloop.org.selectors import management_group

        management_group.provide(report_recipients)

        from closeloop.insight.selectors import insight_settings
        from closeloop.minutes.scans import signoff_workdays

        signoff_workdays.provide(lambda organisation: insight_settings(organisation).signoff_workdays)

        # Hourly: the scan sends only on the organisation's first working day of a month, once per person.
        register_scan("insight_monthly_report", monthly_report_scan, every=3600)
