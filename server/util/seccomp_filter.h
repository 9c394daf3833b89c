/*
 * seccomp_filter.h: installing a seccomp filter from a table of rules,
 * the one way the server (http/confine.c) and the attachment cleaner's
 * worker (report/attach_confine.c) confine themselves.
 *
 * A call not in the table kills the whole process; so does a call made
 * with another architecture's numbers. The filter covers every thread of
 * the process (TSYNC) and sets no_new_privs.
 */
#ifndef GH_SECCOMP_FILTER_H
#define GH_SECCOMP_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include <seccomp.h>

#include "util/err.h"

/* One rule: the call, what happens (SCMP_ACT_ALLOW, SCMP_ACT_ERRNO(e)),
 * and up to two conditions on its arguments, all of which must hold. */
struct seccomp_rule {
	int			 nr;
	uint32_t		 action;
	unsigned int		 argc;
	struct scmp_arg_cmp	 arg[2];
};

/*
 * Installs a filter of the n rules; with is_abort_allowed also
 * tgkill(getpid(), _, SIGABRT), so that abort() still ends the process
 * with its own signal. none_hint ends the message logged when no filter
 * can be made here (a kernel or a tool such as valgrind without
 * seccomp). Returns GH_OK or GH_ERR_IO (logged, with the rule's index).
 */
int seccomp_filter_load(const struct seccomp_rule *rules, size_t n,
    int is_abort_allowed, const char *none_hint);

#endif
