# Two commands do all the set-up on a fresh machine with only Python:
#   make demo   -- create .venv, install toex, run a real pipeline on examples/
#   make test   -- create .venv, install with the test extra, run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The editable install puts the checkout on sys.path with a plain .pth line ("compat" mode):
# setuptools' default for this flat layout is an import hook whose own imports (pathlib,
# importlib.util, re) run in every Python start-up, before toex can catch Ctrl-C, and tripled
# the time in which Ctrl-C at start-up printed a traceback (tests/test_interrupt_startup.py).
# setuptools calls the mode transitional: if a later setuptools refuses it, install as default.
EDITABLE := --config-settings editable_mode=compat

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . $(EDITABLE) || $(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' $(EDITABLE) || $(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash examples/demo.sh

test: install-test
	$(BIN)/python -m pytest

bench: install
	PATH="$(CURDIR)/$(BIN):$$PATH" bash benchmarks/run_all.sh

clean:
	rm -rf $(VENV) out build *.egg-info
