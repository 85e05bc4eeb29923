#!/usr/bin/env bash
# Installs Debian's chromium (and CJK fonts, so the Chinese report renders) for the HTML report's
# rendering test. The test needs a browser that draws SVG; a prebuilt download is not reachable
# here, Debian's package is. Idempotent: does nothing when chromium is already installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi 'noto.*cjk\|wqy'; then
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "install-chromium.sh: run as root (apt-get install chromium fonts-noto-cjk)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null
