/*
 * alloc_hook.c: the --wrap allocation wrappers of alloc_hook.h.
 *
 * Each wrapper counts, fails the armed allocation by returning NULL, and
 * otherwise calls the real function. Tests are single-threaded where they
 * arm a failure; the counters are atomics only so that a stray thread
 * cannot tear them.
 */
#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_hook.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t m, size_t n);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t m, size_t n);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static atomic_long count, fail_at, reallocs;
static atomic_int has_failed;
static void (*on_free)(const void *, size_t);

void
alloc_hook_fail_at(long n)
{
	count = 0;
	reallocs = 0;
	has_failed = 0;
	fail_at = n;
}

long
alloc_hook_count(void)
{
	return count;
}

int
alloc_hook_has_failed(void)
{
	return has_failed;
}

void
alloc_hook_on_free(void (*fn)(const void *p, size_t n))
{
	on_free = fn;
}

long
alloc_hook_reallocs(void)
{
	return reallocs;
}

int
alloc_hook_take(void)
{
	long n = ++count;

	if (fail_at != 0 && n == fail_at) {
		has_failed = 1;
		return 1;
	}
	return 0;
}

void *
__wrap_malloc(size_t n)
{
	return alloc_hook_take() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t m, size_t n)
{
	return alloc_hook_take() ? NULL : __real_calloc(m, n);
}

void *
__wrap_realloc(void *p, size_t n)
{
	void *q;
	size_t old;

	reallocs++;
	if (alloc_hook_take())
		return NULL;
	if (on_free == NULL || p == NULL)
		return __real_realloc(p, n);
	/* Move, leaving the old bytes in the freed block as realloc may. */
	if ((q = __real_malloc(n)) == NULL)
		return NULL;
	old = malloc_usable_size(p);
	memcpy(q, p, old < n ? old : n);
	__wrap_free(p);
	return q;
}

void
__wrap_free(void *p)
{
	if (p != NULL && on_free != NULL)
		on_free(p, malloc_usable_size(p));
	__real_free(p);
}
