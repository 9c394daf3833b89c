#!/bin/sh
# Static analysis of gehoord's own code: cppcheck over server/, crypto/ and
# tests/unit/, clang-tidy over server/ and crypto/. Both take the compiler
# options of each file from the compile database of a CMake build
# directory, which this script configures. Then the layers: it builds the
# program's libraries there and runs layers.py (no #include runs up a
# layer, no files call each other in a circle) after its own tests
# (tests/lint). Any finding of any of them fails the lint.
#
# usage: lint.sh [--help] [BUILD_DIR]      (default BUILD_DIR: build-lint)
#
# What is checked, and why some checks are off, each with its reason:
#   .clang-tidy                               clang-tidy
#   server/deploy/cppcheck-suppressions.txt   cppcheck
#   server/deploy/cppcheck.cfg                macros cppcheck must know
#   server/deploy/layers.conf                 layers.py: the layers, modules
# Not analysed: generated files (build/web_assets.c), tests/bench/ and
# tests/fuzz/ (tools around the product, not the product), and, for
# clang-tidy, tests/unit/ (not clean yet: strcpy and system() in fixtures).
set -eu

usage() {
	sed -n '2,19s/^# \{0,1\}//p' "$0"
}

case "${1:-}" in
-h|--help)
	usage
	exit 0
	;;
-*)
	usage >&2
	exit 2
	;;
esac

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dir=${1:-build-lint}
case "$dir" in
/*) ;;
*) dir="$top/$dir" ;;
esac
jobs=$(nproc 2>/dev/null || echo 2)

for tool in cmake python3 cppcheck clang-tidy; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "lint: $tool is missing; run server/deploy/install-deps.sh" >&2
		exit 1
	fi
done

echo "== lint: compile database in $dir"
cmake -S "$top" -B "$dir" -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
# Our files only: the generated web_assets.c may not exist yet (nothing
# is built), and cppcheck refuses a database that names a missing file.
mkdir -p "$dir/lint"
python3 - "$dir/compile_commands.json" "$top" "$dir/lint" <<'PY'
import json, os, sys
db, top, out = sys.argv[1:]
ours = tuple(os.path.join(top, d) + os.sep
             for d in ("server", "crypto", os.path.join("tests", "unit")))
keep = [e for e in json.load(open(db))
        if os.path.join(e["directory"], e["file"]).startswith(ours)]
with open(os.path.join(out, "compile_commands.json"), "w") as f:
    json.dump(keep, f, indent=1)
with open(os.path.join(out, "tidy-files"), "w") as f:
    for e in keep:
        path = os.path.join(e["directory"], e["file"])
        if not path.startswith(os.path.join(top, "tests") + os.sep):
            f.write(path + "\n")
PY

status=0

echo "== lint: cppcheck $(cppcheck --version | sed 's/^Cppcheck //')"
if ! cppcheck --project="$dir/lint/compile_commands.json" --std=c11 \
    --enable=warning,style,performance,portability \
    --library="$top/server/deploy/cppcheck.cfg" \
    --suppressions-list="$top/server/deploy/cppcheck-suppressions.txt" \
    --inline-suppr --error-exitcode=1 -q -j"$jobs" \
    --template='{file}:{line}: {severity}: {message} [{id}]'; then
	echo "lint: cppcheck: findings above" >&2
	status=1
fi

echo "== lint: clang-tidy $(clang-tidy --version | sed -n 's/.*LLVM version //p')"
# One process per file, $jobs at a time; xargs fails if any run does.
# The "N warnings generated" lines count system-header warnings that
# --quiet already left out: drop them, keep everything else.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
tidy=0
sort "$dir/lint/tidy-files" |
    xargs -P"$jobs" -n1 clang-tidy -p "$dir" --quiet >"$out" 2>&1 || tidy=1
grep -v '^[0-9]* warnings\{0,1\} generated\.$' "$out" || true
if [ "$tidy" -ne 0 ]; then
	echo "lint: clang-tidy: findings above" >&2
	status=1
fi

echo "== lint: layers (server/deploy/layers.conf)"
if ! python3 -m unittest discover -s "$top/tests/lint" 2>"$out"; then
	cat "$out" >&2
	echo "lint: the tests of layers.py fail" >&2
	status=1
fi
if ! cmake --build "$dir" --target ghcli -j"$jobs" >"$out" 2>&1; then
	cat "$out" >&2
	echo "lint: building the libraries for layers.py failed" >&2
	status=1
elif ! python3 "$top/server/deploy/layers.py" "$dir"; then
	echo "lint: layers: findings above" >&2
	status=1
fi

if [ "$status" -eq 0 ]; then
	echo "== lint: clean"
fi
exit "$status"
