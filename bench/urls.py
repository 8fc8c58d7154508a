"""The URLs of a benchmark run: the project's, plus the floor (bench.views.floor).

Installed as ROOT_URLCONF only inside bench.run.run (override_settings), so the floor is never
reachable from config.urls, in production or in the access matrix.
"""

from django.urls import path

from bench.views import floor
from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("bench/floor/", floor, name="bench_floor")]
