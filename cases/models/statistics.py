from __future__ import annotations

from django.db import models


class UnitStatistic(models.Model):
    """單位統計: one chart of the supervisor overview, as last computed (cases/dashboards.py).

    The overview reads these few rows instead of aggregating every case on each request; a Celery beat
    job (`cases.tasks.refresh_unit_statistics`) recomputes them, and the page shows when.
    """

    key = models.CharField("統計項目", max_length=60, primary_key=True)
    data = models.JSONField("統計內容")
    computed_at = models.DateTimeField("統計時間")

    class Meta:
        verbose_name = "單位統計"
        verbose_name_plural = "單位統計"

    def __str__(self) -> str:
        return self.key


class UnitCounter(models.Model):
    """單位計數: one signed change of a count the supervisor overview shows (cases by state, flagged
    cases, waiting intakes); a counter is the sum of its key's rows.

    Written only by database triggers in the transaction of the change, folded by the beat job
    (cases/counters.py says why deltas).
    """

    id = models.BigAutoField(primary_key=True)
    key = models.CharField("計數項目", max_length=40)
    value = models.BigIntegerField("增減")

    class Meta:
        verbose_name = "單位計數"
        verbose_name_plural = "單位計數"

    def __str__(self) -> str:
        return f"{self.key} {self.value:+d}"
