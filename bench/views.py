"""The benchmark's floor: the cheapest page a signed-in user can get with the same 50 case rows.

It runs behind the same middleware (session, user, CSRF, no-store, history) as every page, makes one
query for the worker's 50 newest cases with the victim's name, and renders them into a minimal
template without the navigation's context processors. Every page is timed against it (docs/benchmarks.md).

The URL exists only in bench.urls, which the benchmark installs as ROOT_URLCONF for the run
(bench.run.run): production's config.urls never routes to it.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import get_template

from cases.models import Case

FLOOR_ROWS = 50


@login_required
def floor(request):
    rows = list(
        Case.objects.filter(assigned_worker=request.user)
        .select_related("victim")
        .only("number", "status", "opened_at", "victim__name")
        .order_by("-opened_at")[:FLOOR_ROWS]
    )
    # Rendered without the request: no context processors, so the one query above is the page's only one.
    return HttpResponse(get_template("bench/floor.html").render({"rows": rows}))
