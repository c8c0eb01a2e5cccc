#!/usr/bin/env bash
# Makes the Python virtual environment the tests use as real clients (TensorBoard's reader, the
# PyTorch client in python/ with pytest), outside the repository, only when something is missing:
# $NNTOP_VENV, default ~/.cache/nntop-venv. PyTorch comes from a wheel in $NNTOP_WHEELS (default
# /opt/wheels) when one is there, else from the package index (≈5 GB installed: 8 GB free needed).
# Where it cannot be made (no python3 venv, no package index, no disk) the tests that need it are
# skipped and say so loudly; this script never fails the build.
set -uo pipefail

venv="${NNTOP_VENV:-$HOME/.cache/nntop-venv}"
wheels="${NNTOP_WHEELS:-/opt/wheels}"
packages=(tensorboard numpy pytest)

has() { [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import $1" 2>/dev/null; }
free_kb() { df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }'; }

if has "tensorboard, numpy, pytest" && has torch; then
  exit 0
fi

mkdir -p "$(dirname "$venv")"
if [ ! -x "$venv/bin/python" ]; then
  free=$(free_kb "$(dirname "$venv")")
  if [ -n "$free" ] && [ "$free" -lt 1000000 ]; then
    echo "nntop: less than 1 GB free for $venv; the tests that need TensorBoard or PyTorch will be skipped" >&2
    exit 0
  fi
  echo "nntop: making $venv for the tests that read files with TensorBoard and run PyTorch" >&2
  if ! python3 -m venv "$venv" 2>/dev/null; then
    echo "nntop: python3 cannot make a virtual environment (Debian: apt install python3-venv); skipping" >&2
    exit 0
  fi
fi

if ! has "tensorboard, numpy, pytest"; then
  if ! "$venv/bin/pip" install --quiet --retries 2 --timeout 20 "${packages[@]}"; then
    echo "nntop: could not install ${packages[*]}; the tests that need them will be skipped" >&2
  fi
fi

if ! has torch; then
  wheel=$(ls "$wheels"/torch-*.whl 2>/dev/null | head -n 1)
  free=$(free_kb "$venv")
  if [ -n "$wheel" ]; then
    echo "nntop: installing PyTorch from $wheel" >&2
    "$venv/bin/pip" install --quiet --retries 2 --timeout 20 --find-links "$wheels" "$wheel" ||
      echo "nntop: *** PYTORCH NOT INSTALLED (pip failed on $wheel): the Python client tests will be SKIPPED ***" >&2
  elif [ -n "$free" ] && [ "$free" -lt 8000000 ]; then
    echo "nntop: *** PYTORCH NOT INSTALLED (less than 8 GB free for $venv): the Python client tests will be SKIPPED ***" >&2
  else
    echo "nntop: installing PyTorch from the package index (several GB, once)" >&2
    "$venv/bin/pip" install --quiet --retries 2 --timeout 60 torch ||
      echo "nntop: *** PYTORCH NOT INSTALLED (pip install torch failed): the Python client tests will be SKIPPED ***" >&2
  fi
fi
exit 0
