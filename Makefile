# The two commands of the README. Each sets up what it needs first.
.PHONY: run test lint bench setup

run:  ## set up, then run the main job on the default home (data/)
	@bash scripts/bootstrap.sh
	uv run valvonta run

test:  ## set up (including system programs the tests drive), then run every test
	@bash scripts/bootstrap.sh --test
	uv run pytest

lint:
	uv run ruff check flows expectations dashboards tests benchmarks

bench:
	uv run python benchmarks/ingest_benchmark.py --tier county
