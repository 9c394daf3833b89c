/*
 * seccomp_filter.c: a seccomp filter from a table of rules
 * (seccomp_filter.h). Entry point: seccomp_filter_load.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/seccomp_filter.h"

int
seccomp_filter_load(const struct seccomp_rule *rules, size_t n,
    int is_abort_allowed, const char *none_hint)
{
	struct scmp_arg_cmp abort_arg[2];
	scmp_filter_ctx ctx;
	size_t i;
	int rc, r = GH_ERR_IO;

	if ((ctx = seccomp_init(SCMP_ACT_KILL_PROCESS)) == NULL) {
		log_error("no seccomp filter can be made here (a kernel or a "
		    "tool such as valgrind without seccomp)%s%s",
		    none_hint != NULL ? "; " : "",
		    none_hint != NULL ? none_hint : "");
		return GH_ERR_IO;
	}
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 1)) != 0 ||
	    (rc = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
	    SCMP_ACT_KILL_PROCESS)) != 0) {
		log_error("seccomp_attr_set: %s", strerror(-rc));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if ((rc = seccomp_rule_add_array(ctx, rules[i].action,
		    rules[i].nr, rules[i].argc, rules[i].arg)) != 0) {
			log_error("seccomp rule %zu (system call %d): %s", i,
			    rules[i].nr, strerror(-rc));
			goto out;
		}
	}
	abort_arg[0] = (struct scmp_arg_cmp){ 0, SCMP_CMP_EQ,
	    (scmp_datum_t)getpid(), 0 };
	abort_arg[1] = (struct scmp_arg_cmp){ 2, SCMP_CMP_EQ, SIGABRT, 0 };
	if (is_abort_allowed && (rc = seccomp_rule_add_array(ctx,
	    SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 2, abort_arg)) != 0) {
		log_error("seccomp rule for abort: %s", strerror(-rc));
		goto out;
	}
	if ((rc = seccomp_load(ctx)) != 0) {
		log_error("cannot install the seccomp filter: %s",
		    strerror(-rc));
		goto out;
	}
	r = GH_OK;
out:
	seccomp_release(ctx);
	return r;
}
