#!/usr/bin/env bash
# Runs the PyTorch client's tests (python/tests) with the environment scripts/ensure-venv.sh made,
# reading logs back with the nntop `swift test` just built. Without PyTorch or pytest the tests are
# skipped with one loud line saying why; a failing test fails the build.
set -uo pipefail
cd "$(dirname "$0")/.."

venv="${NNTOP_VENV:-$HOME/.cache/nntop-venv}"
python="$venv/bin/python"
if [ ! -x "$python" ]; then
  echo "nntop: *** PYTHON CLIENT TESTS SKIPPED: no environment at $venv (see scripts/ensure-venv.sh) ***" >&2
  exit 0
fi
for module in torch pytest; do
  if ! "$python" -c "import $module" 2>/dev/null; then
    echo "nntop: *** PYTHON CLIENT TESTS SKIPPED: $venv has no $module (see scripts/ensure-venv.sh) ***" >&2
    exit 0
  fi
done
echo "--- python/tests (pytest)"
NNTOP_BIN="${NNTOP_BIN:-$PWD/.build/debug/nntop}" exec "$python" -m pytest -q python/tests
