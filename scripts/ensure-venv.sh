#!/usr/bin/env bash
# Makes the Python virtual environment the tests use as real clients (TensorBoard's reader),
# outside the repository, only when it is missing: $NNTOP_VENV, default ~/.cache/nntop-venv.
# Where it cannot be made (no python3 venv, no package index, no disk) the tests that need it are
# skipped and say so; this script never fails the build.
set -uo pipefail

venv="${NNTOP_VENV:-$HOME/.cache/nntop-venv}"
packages=(tensorboard numpy)

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import tensorboard, numpy" 2>/dev/null; then
  exit 0
fi

mkdir -p "$(dirname "$venv")"
free_kb=$(df -Pk "$(dirname "$venv")" 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -n "$free_kb" ] && [ "$free_kb" -lt 1000000 ]; then
  echo "nntop: less than 1 GB free for $venv; the tests that need TensorBoard will be skipped" >&2
  exit 0
fi

echo "nntop: making $venv (${packages[*]}) for the tests that read files with TensorBoard" >&2
if ! python3 -m venv "$venv" 2>/dev/null; then
  echo "nntop: python3 cannot make a virtual environment (Debian: apt install python3-venv); skipping" >&2
  exit 0
fi
if ! "$venv/bin/pip" install --quiet --retries 2 --timeout 20 "${packages[@]}"; then
  echo "nntop: could not install ${packages[*]}; the tests that need them will be skipped" >&2
fi
exit 0
