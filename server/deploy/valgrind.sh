#!/bin/sh
# The unit and integration tests under valgrind memcheck. Builds a plain
# Debug build (no sanitizers: valgrind and ASan exclude each other) in
# build-valgrind/, or takes the build in BUILD_DIR as it is (built
# without sanitizers; the test command passes its normal build, -O2 with
# debug information), runs every unit test under memcheck, then the
# integration tests with each gehoord they start run under memcheck too
# (tests/integration/harness.py prepends $GEHOORD_WRAPPER). Fails on any
# memcheck error or definitely lost block, or on a failing test.
#
# usage: valgrind.sh [--help] [BUILD_DIR]
#
# Environment:
#   GEHOORD_VALGRIND_TESTS   integration test modules to run, e.g.
#                            "test_cli test_survey_flow"; "all" for every
#                            module that can run under memcheck (about 24
#                            minutes); default: a set that goes once
#                            through each layer's main paths (about 4
#                            minutes; the list below says which and why)
#
# Not under memcheck: keygen and tally in the integration tests (harness.py
# says why; their code is memchecked in the unit tests), and whatever
# installs the seccomp filter: valgrind 3.19 has no seccomp(2), so the
# filter fails to load, and valgrind could not run inside one anyway. So
# test_confine, test_sandbox and the attachment cleaner's confinement
# (test_attach_super, test_report_attach_confine, test_attach_clean,
# test_attach_upload) are left out, and serve runs with --no-sandbox
# under memcheck (if it has that option); test.sh tests the sandbox
# natively. Logs are kept in the build directory's valgrind/.
set -eu

usage() {
	sed -n '2,27s/^# \{0,1\}//p' "$0"
}

case "${1:-}" in
-h|--help)
	usage
	exit 0
	;;
"" | [!-]*) ;;
*)
	usage >&2
	exit 2
	;;
esac

top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
dir="$top/build-valgrind"
given=${1:-}
if [ -n "$given" ]; then
	dir=$(cd "$given" 2>/dev/null && pwd) || {
		echo "valgrind.sh: $given: no such directory" >&2
		exit 2
	}
	if ! grep -q '^GEHOORD_SANITIZE:BOOL=OFF$' "$dir/CMakeCache.txt" 2>/dev/null; then
		echo "valgrind.sh: $given is not a build without sanitizers" \
		    "(GEHOORD_SANITIZE=OFF in its CMakeCache.txt)" >&2
		exit 2
	fi
fi
logs="$dir/valgrind"
vg="valgrind --error-exitcode=99 --leak-check=full"
vg="$vg --errors-for-leak-kinds=definite --track-origins=yes"

step() { printf '\n== %s\n' "$*"; }

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind.sh: valgrind is missing; run server/deploy/install-deps.sh" >&2
	exit 1
fi

if [ -n "$given" ]; then
	step "the build in $dir, as it is"
	cmake --build "$dir" -j"$(nproc)" >/dev/null
else
	step "build (Debug, no sanitizers) in $dir"
	server/deploy/build.sh "$dir" -DCMAKE_BUILD_TYPE=Debug \
	    -DGEHOORD_SANITIZE=OFF -DGEHOORD_FUZZ=OFF
fi
rm -rf "$logs"
mkdir -p "$logs"
status=0

step "unit tests under memcheck"
# Run as ctest would (GEHOORD_SRC as in CMakeLists.txt), two at a time.
for t in "$dir"/test_*; do
	case "$t" in
	*/test_confine | */test_attach_super | */test_report_attach_confine)
		echo "skipped $(basename "$t") (seccomp; see --help)" >&2 ;;
	# Fault injection runs the store a thousand times: natively and
	# under ASan+UBSan (with LeakSanitizer) in test.sh, not here.
	*/test_store_faults | */test_release_faults)
		echo "skipped $(basename "$t") (see test.sh)" >&2 ;;
	*) [ -x "$t" ] && echo "$t" ;;
	esac
done | GEHOORD_SRC="$top" xargs -P2 -I{} sh -c '
	name=$(basename "$1")
	# shellcheck disable=SC2086
	if '"$vg"' --log-file="$2/unit.$name.log" "$1" \
	    >"$2/unit.$name.out" 2>&1; then
		echo "ok      $name"
	else
		echo "FAILED  $name (exit $?): see $2/unit.$name.log and .out"
		exit 1
	fi' sh {} "$logs" || status=1

step "integration tests, gehoord under memcheck"
nosandbox=""
if "$dir/gehoord" serve --help 2>/dev/null | grep -q -- '--no-sandbox'; then
	nosandbox="--no-sandbox"
fi
wrap="$dir/valgrind-wrap"
cat >"$wrap" <<WRAP
#!/bin/sh
# Made by server/deploy/valgrind.sh: runs gehoord (\$1) under memcheck.
bin=\$1
shift
if [ "\${1:-}" = serve ]; then
	shift
	set -- serve $nosandbox "\$@"
fi
exec $vg --log-file=$logs/it.%p.log "\$bin" "\$@"
WRAP
chmod +x "$wrap"
# Slower than natively by 20-50x: give the harness's waits room.
export GEHOORD_BIN="$dir/gehoord" GEHOORD_WRAPPER="$wrap"
export GEHOORD_TEST_CLI_TIMEOUT=600 GEHOORD_TEST_HTTP_TIMEOUT=300
export GEHOORD_TEST_START_TIMEOUT=180 GEHOORD_TEST_STOP_TIMEOUT=300
# The default set goes once through each layer's main paths: a
# respondent's pages (one page, several with their state field, a saved
# draft), the desk's whole scenario (every report and desk route once),
# robustness against broken requests, what the files and log show, the
# report files list, and the store's order and upgrade. memcheck's own
# finding beyond ASan+UBSan, which run every integration test in test.sh,
# is a read of uninitialised memory; these paths carry every kind of
# data the server reads. The rest run against the ASan+UBSan build in
# test.sh, among them three that the set held until it was cut to keep
# the suite's time: Back and reload (test_survey_prg, 100 s under
# memcheck), the welcome page (36 s) and answers stored for a tally
# (45 s), most of whose routes and store calls test_survey_flow and
# test_multipage go through as well. The CLI options, accounts,
# invitations, validation's every message, the console, signals and
# shutdown took about 20 more minutes under memcheck
# (GEHOORD_VALGRIND_TESTS=all runs every module that can run here).
default_mods="test_survey_flow test_multipage test_survey_resume"
default_mods="$default_mods test_desk.TestScenario test_robustness"
default_mods="$default_mods test_privacy test_report_files_list"
default_mods="$default_mods test_unlinkable.OneCopyOrderTest"
default_mods="$default_mods test_unlinkable.UpgradeTest"
mods=${GEHOORD_VALGRIND_TESTS:-$default_mods}
if [ "$mods" = all ]; then
	mods=""
	for m in tests/integration/test_*.py; do
		m=$(basename "$m" .py)
		case $m in
		# test_sandbox: valgrind cannot run inside a seccomp filter.
		# test_crash_safety: SIGKILLs the server 20 times; under memcheck
		# its start-up alone outlasts the load, and a killed process
		# leaves no leak summary. test_hostile: its limits are on time
		# and resident memory, which memcheck multiplies. test_abuse:
		# tens of thousands of requests and hundreds of Argon2id runs,
		# measured against latency bounds.
		test_sandbox|test_crash_safety|test_hostile|test_abuse) ;;
		# Argon2id (desk passwords, receipts, key files) is memory-hard
		# by design: each login takes seconds under memcheck, and these
		# files log in dozens of times; the desk's whole scenario stands
		# for them (below). test_unlinkable's copies over time set up a
		# desk and file reports: its order and upgrade tests stand for it.
		test_desk|test_report_privacy|test_report_reporter|test_research|\
		test_release_e2e|test_release_oracle|test_unlinkable|test_routes) ;;
		# The same for the council's report (36 reports filed), reports
		# sealed in the browser (the server checks the reply key with
		# Argon2id), retention, and the console's logins. The attachment
		# cleaner confines its worker with seccomp, which memcheck cannot
		# run under (the desk's reply files, test_attach_reply, too).
		test_council|test_report_sealed|test_retention|test_console|\
		test_attach_desk|test_attach_clean|test_attach_upload|\
		test_attach_reply|test_console_accounts|test_console_release|\
		test_console_letters|test_console_settings|test_console_try) ;;
		*) mods="$mods $m" ;;
		esac
	done
	mods="$mods test_desk.TestScenario"
	mods="$mods test_unlinkable.OneCopyOrderTest test_unlinkable.UpgradeTest"
fi
# Two modules at a time: memcheck runs each process on one core (the
# harness retries a port that the other module took in between).
# shellcheck disable=SC2086
GEHOORD_TEST_MODULE_TIMEOUT=7200 \
    /usr/bin/python3 tests/integration/run -j2 $mods || status=1
unset GEHOORD_WRAPPER

step "memcheck logs"
# A log without ERROR SUMMARY is of a process that was killed (a test may
# do so on purpose): its leaks are unknown, but errors it met before that
# are in the log, and count.
n=0 bad=0 killed=0
for f in "$logs"/*.log; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	if ! grep -q 'ERROR SUMMARY: ' "$f"; then
		killed=$((killed + 1))
		if grep -Eq '== (Invalid (read|write|free)|Mismatched free|Conditional jump|Use of uninitialised|Syscall param|Source and destination overlap)' "$f"; then
			echo "ERRORS  $f (process did not finish)"
			bad=$((bad + 1))
		fi
		continue
	fi
	if ! grep -q 'ERROR SUMMARY: 0 errors' "$f" ||
	    grep -Eq 'definitely lost: [1-9]' "$f"; then
		echo "ERRORS  $f"
		grep -E 'ERROR SUMMARY|definitely lost' "$f" | sed 's/^/        /'
		bad=$((bad + 1))
	fi
done
echo "$n memcheck logs: $bad with errors or definite leaks;" \
    "$killed of processes killed before they finished"
[ "$n" -gt 0 ] || status=1
[ "$bad" -eq 0 ] || status=1

if [ "$status" -eq 0 ]; then
	step "valgrind: clean"
else
	step "valgrind: FAILED"
fi
exit "$status"
