# Two commands do everything on a fresh machine:
#   make demo   trains a GAN on the built-in 8-Gaussian ring (no download) and writes samples
#   make test   lints (ruff), checks the installed wheel, then runs the test suite under the TensorFlow,
#               JAX and PyTorch backends
# (`make lint` runs ruff on the whole tree.)
PYTHON ?= python3

.PHONY: setup demo test lint

setup: .setup-stamp

.setup-stamp: setup.cfg requirements-ci.txt .ci/install
	PYTHON=$(PYTHON) bash .ci/install
	touch .setup-stamp

demo: setup
	TF_CPP_MIN_LOG_LEVEL=3 keras-gans train gan --dataset ring --epochs 80 --output runs/demo --overwrite

test: setup
	PYTHON=$(PYTHON) bash .ci/lint
	PYTHON=$(PYTHON) bash .ci/check-wheel
	PYTHON=$(PYTHON) bash .ci/test

lint: setup
	PYTHON=$(PYTHON) bash .ci/lint
