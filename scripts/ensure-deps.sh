#!/usr/bin/env bash
# Installs the system packages nntop needs, only those that are missing (apt; sudo when not root).
set -euo pipefail

packages=(libncurses-dev libopenblas-dev zlib1g-dev pkg-config tmux)

if ! command -v swift >/dev/null 2>&1; then
  echo "nntop: the Swift 6 toolchain is not on PATH (https://www.swift.org/install/linux/)" >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "nntop: not a Debian/Ubuntu system; install by hand: ncurses (wide), OpenBLAS, zlib development files and tmux" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "nntop: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
