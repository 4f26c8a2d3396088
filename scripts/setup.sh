#!/usr/bin/env bash
# Installs everything prss-eval needs on a fresh Debian 12 machine: Debian's Chromium (for the report's
# browser test), Debian's Jupyter pieces (to execute the notebooks with the tslab kernel) and the npm
# packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
APT_PACKAGES="chromium jupyter-nbconvert jupyter-client python3-ipykernel"
if ! command -v chromium >/dev/null 2>&1 || ! /usr/bin/python3 -c 'import nbconvert, ipykernel, jupyter_client' >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $APT_PACKAGES >/dev/null
  else
    echo "setup: missing Debian packages; install them with: sudo apt-get install $APT_PACKAGES" >&2
  fi
fi
# npm install, not npm ci: the registry lacks biome's non-linux platform packages (TOOLING.md).
npm install --no-audit --no-fund
