# The two commands of the README: `make run` and `make test`; `make bench` measures (docs/benchmarks.md).
PORT ?= 8000
.PHONY: run test lint bench faults prod

run:
	scripts/bootstrap
	scripts/dev-env
	.venv/bin/python manage.py migrate --noinput
	.venv/bin/python manage.py seed_demo
	.venv/bin/python manage.py runserver 127.0.0.1:$(PORT)

test:
	scripts/bootstrap --for-tests
	.venv/bin/lint-imports
	DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest $(PYTEST_ARGS)

lint:
	.venv/bin/ruff check .

# The 100k-case page benchmark and the 50-user load test, both written into docs/benchmarks.md.
bench:
	BENCH_ARGS="$(BENCH_ARGS)" LOAD_ARGS="$(LOAD_ARGS)" scripts/bench

# Fault drills (docs/faults.md): PostgreSQL restarted, Redis stopped, worker killed, two beats.
faults:
	.venv/bin/python -m ops.faults.run $(FAULTS)

# Production (README, docs/runbook.md): gunicorn, a Celery worker and beat against DATABASE_URL and
# CELERY_BROKER_URL; refuses DEBUG and development keys.
prod:
	scripts/prod
