# Two commands do everything on a fresh machine:
#   make demo   trains a GAN on the built-in 8-Gaussian ring (no download) and writes samples
#   make test   runs the test suite under the TensorFlow, JAX and PyTorch backends
PYTHON ?= python3

.PHONY: setup demo test

setup: .setup-stamp

.setup-stamp: setup.cfg requirements-ci.txt .ci/install
	PYTHON=$(PYTHON) bash .ci/install
	touch .setup-stamp

demo: setup
	TF_CPP_MIN_LOG_LEVEL=3 keras-gans train gan --dataset ring --epochs 80 --output runs/demo --overwrite

test: setup
	PYTHON=$(PYTHON) bash .ci/test
