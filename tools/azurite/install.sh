#!/bin/sh
# Installs Azurite, the Azure Storage emulator the tests against blobs run on, from the npm
# registry with the versions pinned in package-lock.json (npm ci), only when
# node_modules/.bin/azurite-blob is missing. Needs Node.js 20+ and npm on the PATH.
set -eu
cd "$(dirname "$0")"
if [ -x node_modules/.bin/azurite-blob ]; then
    echo "azurite is installed ($(pwd)/node_modules/.bin/azurite-blob)"
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "azurite is missing and npm is not on the PATH: install Node.js 20 or later with npm," \
         "then run $(pwd)/install.sh" >&2
    exit 1
fi
echo "installing azurite (npm ci in $(pwd))"
# Azurite 3.37 declares node >= 22; its blob service runs on Node 20 (EBADENGINE warnings only).
npm ci --no-audit --no-fund --loglevel=error
test -x node_modules/.bin/azurite-blob
