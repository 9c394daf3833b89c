/*
 * log.h: gehoord's only way to write diagnostics, to stderr.
 *
 * Logs must never hold anything identifying: no
 * client address, user agent, token, receipt, answer, report text, or a
 * path that contains one. Call sites log what failed and where (file, JSON
 * path, SQL step), never the values involved. log_error adds __func__.
 */
#ifndef GH_LOG_H
#define GH_LOG_H

#define log_error(...) gh_log("error", __func__, __VA_ARGS__)
#define log_warn(...) gh_log("warning", __func__, __VA_ARGS__)
#define log_info(...) gh_log("info", NULL, __VA_ARGS__)

/* Writes one line "gehoord: LEVEL: [func: ]message" to stderr. */
void gh_log(const char *level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
