# QuestionsRT developer commands.

.PHONY: run test test-fast bench

# Install runtime dependencies, migrate, load demo data and serve on http://127.0.0.1:8000/
run:
	bash scripts/run.sh

# Full suite on throwaway PostgreSQL + Redis servers (extra pytest args: make test ARGS="-k foo")
test:
	bash scripts/test.sh $(ARGS)

# Quick suite on SQLite + the in-memory channel layer
test-fast:
	QRT_FAST=1 bash scripts/test.sh $(ARGS)

bench:
	bash bench/run.sh $(ARGS)
