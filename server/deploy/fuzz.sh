#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz/ (clang, ASan+UBSan, in
# build-fuzz/) and runs each for a bounded time: first
# it replays tests/fuzz/crashes/NAME/ (inputs of fixed crashes), then it
# fuzzes a scratch copy of tests/fuzz/corpus/NAME/, so the committed seeds
# never fill up with generated inputs. Two targets run at a time.
#
# Longer fuzzing: FUZZ_SECONDS=3600 server/deploy/fuzz.sh fuzz_form
# (or --seconds 3600; FUZZ_JOBS=N runs N targets at once). To keep what a
# long session learns, run a binary yourself with a corpus of your own
# first: build-fuzz/fuzz_form -dict=tests/fuzz/dict/form.dict \
#   build-fuzz/my-corpus tests/fuzz/corpus/form
# Crashes go to build-fuzz/fuzz-crashes/fuzz_NAME/, logs to
# build-fuzz/fuzz-logs/ (fuzzing hides the code's own log lines; replay a
# crash to see them and the broken invariant: build-fuzz/fuzz_NAME FILE).
# To keep a crash: minimise it into the regression folder with
#   build-fuzz/fuzz_NAME -minimize_crash=1 -runs=100000 \
#     -exact_artifact_path=tests/fuzz/crashes/NAME/WHAT-IT-IS FILE
# then fix the bug and add its unit test; every later run replays it.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD:-$top/build-fuzz}
seconds=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-2}

usage() {
	cat <<EOF
usage: server/deploy/fuzz.sh [--seconds N] [TARGET...]

Builds build-fuzz/ with clang and runs every libFuzzer target of
tests/fuzz/ (or only the TARGETs, e.g. fuzz_form or form) for N seconds each
(default \$FUZZ_SECONDS or 15), $jobs at a time (\$FUZZ_JOBS), after
replaying tests/fuzz/crashes/NAME/. Exits 1 if any input crashes.
EOF
}

targets=
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--seconds) [ $# -ge 2 ] || { usage >&2; exit 2; }
		seconds=$2; shift ;;
	--seconds=*) seconds=${1#--seconds=} ;;
	-*) usage >&2; exit 2 ;;
	*) targets="$targets fuzz_${1#fuzz_}" ;;
	esac
	shift
done
case $seconds in
'' | *[!0-9]*) echo "fuzz.sh: --seconds wants a whole number" >&2; exit 2 ;;
esac
if [ -z "$targets" ]; then
	for src in "$top"/tests/fuzz/fuzz_*.c; do
		targets="$targets $(basename "$src" .c)"
	done
fi
for t in $targets; do
	if [ ! -f "$top/tests/fuzz/$t.c" ]; then
		echo "fuzz.sh: no target $t (tests/fuzz/$t.c)" >&2
		exit 2
	fi
done
command -v clang >/dev/null || { echo "fuzz.sh: needs clang" >&2; exit 2; }

logs="$build/fuzz-logs"
mkdir -p "$build"
echo "fuzz.sh: building$targets in $build"
# Only the fuzz targets (and the libraries they link): nothing else needs
# to compile under clang for this.
# shellcheck disable=SC2086
if ! { CC=clang cmake -S "$top" -B "$build" -DGEHOORD_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=Debug &&
    cmake --build "$build" -j"$(nproc)" --target $targets; } \
    >"$build/fuzz-build.log" 2>&1; then
	tail -n 30 "$build/fuzz-build.log" >&2
	echo "fuzz.sh: build failed; see $build/fuzz-build.log" >&2
	exit 2
fi
mkdir -p "$logs"

# UBSan only warns in this build unless told to stop at the first report.
: "${UBSAN_OPTIONS:=halt_on_error=1:print_stacktrace=1}"
export UBSAN_OPTIONS
GEHOORD_SRC=$top
export GEHOORD_SRC

# The longest input worth trying per target (longer is only slower).
max_len() {
	case $1 in
	fuzz_token) echo 256 ;;
	fuzz_keyfile) echo 512 ;;
	fuzz_answer_decode) echo 4096 ;;
	fuzz_form) echo 8192 ;;
	fuzz_def) echo 16384 ;;
	*) echo 4096 ;;
	esac
}

# Replays then fuzzes target $1; writes one summary line to $logs/$1.sum.
run_one() {
	t=$1
	name=${t#fuzz_}
	bin="$build/$t"
	log="$logs/$t.log"
	sum="$logs/$t.sum"
	crashes="$top/tests/fuzz/crashes/$name"
	dict="$top/tests/fuzz/dict/$name.dict"
	artifacts="$build/fuzz-crashes/$t"
	work=$(mktemp -d "${TMPDIR:-/tmp}/gehoord-fuzz.XXXXXX")

	rm -f "$sum"
	: >"$log"
	if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
		if ! "$bin" -timeout=10 "$crashes"/* >>"$log" 2>&1; then
			echo "$t: FAILED replaying tests/fuzz/crashes/$name/" \
			    "(a fixed crash is back; see $log)" >"$sum"
			cat "$sum"
			rm -rf "$work"
			return 1
		fi
	fi
	mkdir -p "$work/corpus" "$artifacts"
	if [ -d "$top/tests/fuzz/corpus/$name" ]; then
		cp -R "$top/tests/fuzz/corpus/$name/." "$work/corpus/"
	fi
	set -- -max_total_time="$seconds" -max_len="$(max_len "$t")" \
	    -timeout=10 -print_final_stats=1 -close_fd_mask=2 \
	    -artifact_prefix="$artifacts/"
	[ -f "$dict" ] && set -- "$@" -dict="$dict"
	seeds=$(find "$work/corpus" -type f | wc -l)
	t0=$(date +%s)
	rc=0
	"$bin" "$@" "$work/corpus" >>"$log" 2>&1 || rc=$?
	t1=$(date +%s)
	n=$(find "$work/corpus" -type f | wc -l)
	rm -rf "$work"
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(grep -E '(INITED|NEW|REDUCE|pulse|DONE) +cov:' "$log" |
	    tail -n 1 |
	    sed -n 's/.*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 ft \2/p')
	if [ "$rc" -ne 0 ]; then
		artifact=$(sed -n 's/.*Test unit written to //p' "$log" |
		    tail -n 1)
		echo "$t: CRASH after ${execs:-?} execs, input in" \
		    "${artifact:-(none written)}; see $log" >"$sum"
	else
		echo "$t: ok, ${execs:-?} execs in $((t1 - t0)) s" \
		    "(${rate:-?}/s), cov ${cov:-?}, corpus $seeds -> $n" >"$sum"
	fi
	cat "$sum"
	return "$rc"
}

start=$(date +%s)
status=0
# shellcheck disable=SC2086
set -- $targets
while [ $# -gt 0 ]; do
	pids=
	i=0
	while [ "$i" -lt "$jobs" ] && [ $# -gt 0 ]; do
		run_one "$1" &
		pids="$pids $!"
		i=$((i + 1))
		shift
	done
	for p in $pids; do
		wait "$p" || status=1
	done
done

if [ "$status" -ne 0 ]; then
	for t in $targets; do
		case $(cat "$logs/$t.sum" 2>/dev/null || echo FAILED) in
		*CRASH* | *FAILED*)
			echo "--- tail of $logs/$t.log"
			tail -n 40 "$logs/$t.log" ;;
		esac
	done
fi
echo "fuzz.sh: $(echo "$targets" | wc -w) targets," \
    "$(($(date +%s) - start)) s, $([ "$status" -eq 0 ] && echo "no crashes" ||
    echo "CRASHES")"
exit "$status"
