# The two commands of the README: `make run` and `make test`.
PORT ?= 8000
.PHONY: run test lint bench

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

bench:
	.venv/bin/python manage.py bench $(BENCH_ARGS)
