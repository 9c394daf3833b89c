/*
 * alloc_hook.h: test-only control of malloc, calloc, realloc and free, for
 * the tests linked with -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,
 * --wrap=free (CMakeLists.txt lists them).
 *
 * The wrappers count the allocations made by gehoord's own code (not by
 * shared libraries such as SQLite or cJSON) and can fail the n-th one, as
 * SQLite's faultsim does, and can show every block to a callback just
 * before it is freed. While that callback is set, realloc always moves the
 * block and frees the old one unwiped, as a plain realloc may do, so a
 * test sees what realloc would have left behind.
 */
#ifndef GH_ALLOC_HOOK_H
#define GH_ALLOC_HOOK_H

#include <stddef.h>

/* Resets the count and fails the n-th allocation from now (0: none). */
void alloc_hook_fail_at(long n);
/*
 * Counts one allocation made elsewhere (SQLite's or cJSON's, routed here
 * by the test); returns non-zero if it is the one to fail.
 */
int alloc_hook_take(void);
/* Returns how many allocations were attempted since the last reset. */
long alloc_hook_count(void);
/* Returns non-zero if the armed failure has happened. */
int alloc_hook_has_failed(void);
/* Calls fn(p, usable size) before each free of a non-NULL p (NULL: off). */
void alloc_hook_on_free(void (*fn)(const void *p, size_t n));
/* Returns how many times realloc was called since the last reset. */
long alloc_hook_reallocs(void);

#endif
