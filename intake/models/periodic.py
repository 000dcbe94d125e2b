"""The periodic jobs' lease rows: when each last ran, and who holds it now."""

from django.db import models

__all__ = ["PeriodicJob"]


class PeriodicJob(models.Model):
    name = models.CharField(max_length=100, primary_key=True)
    # Held by one process until it finishes, or until the lease expires if it died.
    locked_until = models.DateTimeField(null=True, blank=True)
    locked_by = models.CharField(max_length=100, blank=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "periodic job"

    def __str__(self):
        return self.name
