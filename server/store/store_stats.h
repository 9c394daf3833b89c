/*
 * store_stats.h: what the desk's signals and the council's statistics
 * read of a report beyond its row: its forms, grounds and measures
 * (table report_tags, several of each per report), and its outcome. Implemented in
 * store_stats.c; read-only.
 */
#ifndef GH_STORE_STATS_H
#define GH_STORE_STATS_H

#include <stdint.h>

#include "store/store.h"
#include "store/store_report.h"

/*
 * Calls fn(arg, kind, value) for every tag of report id ("form",
 * "ground" or "measure", and the value), in kind and value order. Stops
 * at and returns fn's first error; GH_ERR_INVALID for a row out of range.
 */
int store_stats_tags(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    int (*fn)(void *arg, const char *kind, const char *value), void *arg)
    GH_WUR;

/*
 * Copies the outcome the desk recorded on closing report id into out ("" if
 * none). GH_OK, GH_ERR_NOT_FOUND, GH_ERR_INVALID for a value out of range.
 */
int store_stats_outcome(struct store *s, const uint8_t id[REPORT_ID_BYTES],
    char out[REPORT_MAX_CATEGORY + 1]) GH_WUR;

#endif
