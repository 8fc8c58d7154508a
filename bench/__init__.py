"""Load benchmark: seed fictional volume (seed.py) and time the busiest pages (run.py).

Run through `manage.py bench`; see bench/README.md and docs/benchmarks.md.
"""
