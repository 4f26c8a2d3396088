#!/usr/bin/env bash
# Installs everything prss-eval needs on a fresh Debian 12 machine: Debian's Chromium (for the report's
# browser test and PNG checks) and the npm packages. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: Debian's chromium is missing; install it with: sudo apt-get install chromium" >&2
  fi
fi
# npm install, not npm ci: the registry lacks biome's non-linux platform packages (TOOLING.md).
npm install --no-audit --no-fund
