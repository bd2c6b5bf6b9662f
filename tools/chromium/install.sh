#!/bin/sh
# Installs Debian's chromium and chromium-driver for the web UI's browser tests, only when
# /usr/bin/chromium or /usr/bin/chromedriver is missing. Needs root (CI runs as root) or sudo.
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    echo "chromium and chromedriver are installed"
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo -n"
    else
        echo "chromium or chromedriver is missing and this user cannot install them: run as root" \
             "'apt-get update && apt-get install -y chromium chromium-driver'" >&2
        exit 1
    fi
fi
echo "installing chromium and chromium-driver (apt-get)"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium chromium-driver
