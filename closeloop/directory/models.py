"""The directory: which people and departments come from LDAP, and each sync run with its changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from closeloop.org.models import Department, Organisation


class DirectoryAccount(models.Model):
    """A person kept by the directory: their entry, and when a sync last saw or deactivated them."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_account")
    dn = models.CharField(_("entry"), max_length=500)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    deactivated_at = models.DateTimeField(_("deactivated"), null=True, blank=True)

    class Meta:
        verbose_name = _("directory account")
        verbose_name_plural = _("directory accounts")

    def __str__(self):
        return self.dn


class DirectoryDepartment(models.Model):
    """A department kept by the directory, keyed by its path of organisational units (or attribute value)."""

    department = models.OneToOneField(Department, on_delete=models.CASCADE, related_name="directory_entry")
    key = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key"], name="directory_department_key_unique")]

    def __str__(self):
        return self.key


class SyncRun(models.Model):
    """One run of `closeloop directory sync` (or the worker's): what it changed, or would have."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="directory_runs")
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    ok = models.BooleanField(_("succeeded"), default=False)
    error = models.TextField(_("error"), blank=True)
    people_seen = models.PositiveIntegerField(_("people in the directory"), default=0)
    changes = models.JSONField(_("changes"), default=list)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("directory sync run")
        verbose_name_plural = _("directory sync runs")
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M} {'dry run' if self.dry_run else ''}"
