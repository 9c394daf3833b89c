#!/bin/sh
# Configures and builds gehoord into a build directory.
# usage: build.sh DIR [extra cmake options...]
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
shift
cmake -S "$top" -B "$dir" "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)" >/dev/null
