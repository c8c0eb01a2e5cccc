# nntop: the usual entry points. Each target installs missing system packages first.
PREFIX ?= /usr/local
ARGS ?=
SWIFT_FORMAT_PATHS = Sources Tests Package.swift

.PHONY: deps build release run test bench install uninstall format lint clean

deps:
	@scripts/ensure-deps.sh

build: deps
	swift build

release: deps
	swift build -c release

# Train on MNIST: `make run`, or `make run ARGS="--epochs 3 --lr 0.1"`.
run: release
	.build/release/nntop train mnist $(ARGS)

# The whole test suite (unit, integration and end-to-end), then the PyTorch client's (python/).
# Also makes, when missing, the Python environment whose TensorBoard reads nntop's event files back
# and whose PyTorch runs the client (scripts/ensure-venv.sh); without it those tests say they skip.
test: deps
	@scripts/ensure-venv.sh
	swift test
	@scripts/python-tests.sh

# Throughput and accuracy against the NumPy (and, if installed, PyTorch) reference trainers.
bench: release
	python3 scripts/bench.py $(ARGS)

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/nntop/datasets/mnist $(DESTDIR)$(PREFIX)/share/nntop/themes
	install -m 755 .build/release/nntop $(DESTDIR)$(PREFIX)/bin/nntop
	install -m 644 datasets/mnist/* $(DESTDIR)$(PREFIX)/share/nntop/datasets/mnist/
	install -m 644 themes/*.theme $(DESTDIR)$(PREFIX)/share/nntop/themes/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/nntop
	rm -rf $(DESTDIR)$(PREFIX)/share/nntop

format:
	swift format --in-place --recursive $(SWIFT_FORMAT_PATHS)

lint:
	swift format lint --strict --recursive $(SWIFT_FORMAT_PATHS)

clean:
	rm -rf .build
