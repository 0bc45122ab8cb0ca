# One-command entry points. `make demo` and `make test` each set everything up first.
PY := .venv/bin/python
export QT_QPA_PLATFORM ?= offscreen

.PHONY: setup demo test test-fast package translations benchmark clean

setup:
	@bash scripts/setup.sh

demo: setup
	$(PY) -m engine demo --output demo_output
	$(PY) -m eo_plugin.demo_project demo_output

test: setup translations
	$(PY) -m pytest -q

test-fast: setup
	$(PY) -m pytest -q -m "not slow"

translations:
	@bash scripts/compile_translations.sh

package: translations
	@bash scripts/package.sh

benchmark: setup
	$(PY) benchmarks/throughput.py

clean:
	rm -rf dist build demo_output .pytest_cache
