# Chaînon — set-up, tests, demo, plugin zip, translations.
# `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
SHELL := /bin/bash
APT_PACKAGES := qgis python3-qgis qgis-providers python3-rasterio python3-sklearn \
                python3-scipy python3-h5py python3-venv python3-pip qttools5-dev-tools xvfb unzip
VENV := .venv
PY := $(VENV)/bin/python
export QT_QPA_PLATFORM := offscreen
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: setup test demo package translations benchmark clean

setup: $(VENV)/.done translations

# Rechecked when the Makefile (its package list) changes.
$(VENV)/.apt.done: Makefile
	@if ! dpkg -s $(APT_PACKAGES) >/dev/null 2>&1; then \
	  echo "Installing Debian packages (QGIS, rasterio, scikit-learn...)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	    apt-get install -y -q --no-install-recommends $(APT_PACKAGES); fi
	@mkdir -p $(VENV) && touch $@

# Plugin venv: Debian's QGIS, numpy and rasterio seen through
# --system-site-packages; pip adds only the test tools (never numpy/rasterio).
$(VENV)/.done: $(VENV)/.apt.done requirements-test.txt
	@test -x $(PY) || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q -r requirements-test.txt
	@$(PY) -c "import numpy, rasterio, qgis.core" || { echo "QGIS or rasterio missing"; exit 1; }
	@touch $@

translations: $(patsubst %.ts,%.qm,$(wildcard i18n/*.ts))

i18n/%.qm: i18n/%.ts
	@if command -v lrelease >/dev/null; then lrelease -silent $< -qm $@; \
	 else /usr/lib/qt5/bin/lrelease -silent $< -qm $@; fi

# Plugin tests (QGIS venv, includes the plugin's remote mode against the real
# service), then the service's own tests in its venv (no QGIS).
test: setup backend-venv
	$(PY) -m pytest -q -ra --ignore=tests/backend
	$(BACKEND_VENV)/bin/python -m pytest -q -ra -p no:cacheprovider tests/backend

demo: setup package backend-venv
	$(PY) tools/demo.py --out demo_output

# One table for the eight products (time, CPU, peak memory, ratio to reading
# the inputs, OTB), then the compute centre's 1 -> 2 workers speed-up and
# France-wide CPU-hours from that table; not part of `make test` (~90 min).
benchmark: setup backend-venv
	@# Orfeo ToolBox: the reference of snow cover (LIS pass 1) and land cover (its Random
	@# Forest, on a gdalbuildvrt stack); not needed by tests
	@dpkg -s otb-bin gdal-bin >/dev/null 2>&1 || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends otb-bin gdal-bin)
	@mkdir -p build
	nice -n 10 $(PY) tools/benchmark.py --json build/benchmark.json
	nice -n 10 $(BACKEND_VENV)/bin/python -m backend.benchmark --table build/benchmark.json \
	  --wait-idle 300

package: translations
	python3 tools/package.py

clean:
	rm -rf build demo_output .pkgroot i18n/*.qm

# Compute-centre service venv (backend/): PyPI wheels, no QGIS, default python3.
.PHONY: backend-venv
BACKEND_VENV := .venv-backend
backend-venv: $(BACKEND_VENV)/.done
$(BACKEND_VENV)/.done: requirements-backend.txt
	@test -x $(BACKEND_VENV)/bin/python || python3 -m venv $(BACKEND_VENV)
	$(BACKEND_VENV)/bin/python -m pip install -q --disable-pip-version-check -r requirements-backend.txt
	@touch $@
