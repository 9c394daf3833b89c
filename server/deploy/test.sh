#!/bin/sh
# The whole test suite, as README.md's second command runs it: installs
# what is needed, builds twice (normal, and with ASan+UBSan), runs the
# unit tests (cmocka) against each build and the integration tests (the
# real server on 127.0.0.1, a real SQLite file) once, against the
# ASan+UBSan build; then the browser tests against the normal build,
# cppcheck and clang-tidy, the unit tests and a set of the integration
# tests under valgrind on the normal build (valgrind.sh --help says
# which), the fuzzers for a bounded time, and a short smoke run of the
# benchmark. Exits non-zero on the first failure.
#
# The integration tests run once, against the ASan+UBSan build, which
# checks every memory access and every undefined behaviour on their way;
# a second run against the normal build took six of the suite's minutes.
# The normal build (RelWithDebInfo, without sanitizers) is what the
# browser tests, lint, the valgrind set and the benchmark's smoke run
# drive; no step builds the program a third time, but the fuzzers (clang,
# libFuzzer) build their own targets.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

start=$(date +%s)
step() { printf '\n== [%s s] %s\n' "$(($(date +%s) - start))" "$*"; }

step "dependencies"
server/deploy/install-deps.sh

for variant in normal asan; do
	if [ "$variant" = asan ]; then
		dir=build-asan
		opts="-DGEHOORD_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
		export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
		export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	else
		dir=build
		opts="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
	fi
	step "build ($variant) in $dir"
	# shellcheck disable=SC2086
	server/deploy/build.sh "$top/$dir" $opts
	step "unit tests ($variant)"
	(cd "$dir" && ctest --output-on-failure -j2)
	[ "$variant" = asan ] || continue
	step "integration tests ($variant)"
	# Debian's python3, where apt put python3-scipy and python3-nacl (a
	# python3 earlier in PATH, e.g. pyenv's, would not have them).
	# Modules two at a time (tests/integration/run --help).
	GEHOORD_BIN="$top/$dir/gehoord" \
	    /usr/bin/python3 tests/integration/run -j2 2>&1
done
unset ASAN_OPTIONS UBSAN_OPTIONS

step "browser tests: headless Chromium, axe-core on every page, nl and en, with and without JavaScript"
GEHOORD_BIN="$top/build/gehoord" tests/browser/run

step "static analysis: cppcheck and clang-tidy (configuration in .clang-tidy, server/deploy/cppcheck*)"
# On the normal build's compile database and libraries: built already.
server/deploy/lint.sh "$top/build"

step "valgrind memcheck: unit tests and a set of integration tests (zero errors, no definite leaks)"
server/deploy/valgrind.sh "$top/build"

step "fuzzing (bounded: FUZZ_SECONDS per target, default 10; replays past crashes)"
server/deploy/fuzz.sh --seconds "${FUZZ_SECONDS:-10}"

step "benchmark smoke run (figures only; asserts nothing about speed)"
# On the normal build (its tools are built with it): a smoke run shows
# that every part works; the figures of record come from a full run on
# the Release build of its own (README, Performance).
tests/bench/run --smoke --build "$top/build"

step "all tests passed"
