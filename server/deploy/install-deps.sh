#!/bin/sh
# Installs the Debian 12 packages that gehoord's build, demo and tests need.
# Idempotent and quick when everything is there already: apt-get runs only
# for what is missing.
set -eu

PKGS="build-essential cmake pkg-config libmicrohttpd-dev libsodium-dev
libsqlite3-dev libcjson-dev libqrencode-dev libcmocka-dev libseccomp-dev
sqlite3 curl python3 wrk clang libclang-rt-14-dev valgrind cppcheck clang-tidy
coinor-libclp-dev libgsl-dev python3-scipy python3-nacl
signify-openbsd
libgfshare-dev
libvips-dev libqpdf-dev libimage-exiftool-perl
libfaketime"

# Node.js with npm: the build bundles the invitation page's script
# (web/voprf/, npm ci and esbuild), and the browser tests use
# playwright-core and axe-core. A node that is already there is kept
# (Debian 12's own nodejs is 18: enough for the build; the tests need 20).
if ! command -v node >/dev/null 2>&1; then
	PKGS="$PKGS nodejs npm"
elif ! command -v npm >/dev/null 2>&1; then
	PKGS="$PKGS npm"
fi
# The browser tests (tests/browser/run): Debian's chromium, which
# playwright-core drives (no test tool downloads a browser of its own).
if [ -d "$(dirname "$0")/../../tests/browser" ]; then
	PKGS="$PKGS chromium"
fi

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
