"""Bookkeeping for the scheduled scans that the worker runs between deliveries."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScanRun(models.Model):
    """One row per scan: when it is due next, and how its last run went.

    A worker claims a scan by moving `next_run_at` one lease ahead (under SKIP LOCKED on PostgreSQL),
    so only one worker runs it at a time; a worker that dies mid-scan leaves it due again after the lease.
    """

    name = models.CharField(_("scan"), max_length=50, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished at"), null=True, blank=True)
    last_count = models.PositiveIntegerField(_("notifications queued by the last run"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("scheduled scan")
        verbose_name_plural = _("scheduled scans")
        ordering = ["name"]

    def __str__(self):
        return self.name
