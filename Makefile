# Two commands do everything on a fresh machine:  `make demo`  and  `make test`.
# They create .venv (CPU torch first), install reviewaug with its extras, and set up WordNet offline.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
CACHE  ?= $(or $(REVIEWAUG_CACHE),$(HOME)/.cache/reviewaug)
ARGS   ?=
PYTEST_ARGS ?=

.PHONY: setup wordnet demo test lint format clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	# CPU torch first: a plain `torch` requirement would pull a multi-GB CUDA build
	$(VENV)/bin/pip install -q torch==2.13.0
	$(VENV)/bin/pip install -q -e '.[all,dev,bench]'
	touch $(STAMP)

# WordNet 3.0: nltk data or a copy reviewaug built earlier when there is one (reviewaug.resources finds it);
# else Debian's wordnet-base, installed when root, else downloaded and unpacked into the cache.
wordnet: $(STAMP)
	@if ! REVIEWAUG_CACHE=$(CACHE) $(PY) -c "from reviewaug.resources import ensure_wordnet; ensure_wordnet()" \
	    2>/dev/null && [ ! -f /usr/share/wordnet/data.noun ] && [ ! -f $(CACHE)/deb/usr/share/wordnet/data.noun ] \
	    && [ -z "$$REVIEWAUG_WORDNET_SRC" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get install -y -qq wordnet-base >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq wordnet-base)); \
	  else \
	    mkdir -p $(CACHE)/deb && cd $(CACHE)/deb && apt-get download wordnet-base && dpkg-deb -x wordnet-base_*.deb .; \
	  fi; \
	fi
	REVIEWAUG_CACHE=$(CACHE) $(PY) -m reviewaug.resources

setup: $(STAMP) wordnet

demo: setup
	$(VENV)/bin/reviewaug demo $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
