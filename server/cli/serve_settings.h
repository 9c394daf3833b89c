/*
 * serve_settings.h: which organisation settings `gehoord serve` shows
 * (serve_settings.c). The database's (instance_settings, changed in the
 * console at /console/settings) win; --org-name, --org-contact,
 * --privacy-url and --org-logo only seed a database that has none.
 */
#ifndef GH_CLI_SERVE_SETTINGS_H
#define GH_CLI_SERVE_SETTINGS_H

#include "http/http.h"
#include "store/store_account.h"

/*
 * Points cfg's org_* fields at the settings stored in db_path, held in
 * *held (free with store_settings_clear once serve returns); or, when
 * none are stored and options were given, checks them and stores them
 * as the settings. Options given while settings are stored are
 * ignored, and serve says so on stderr. GH_OK, or an error explained on
 * stderr.
 */
int serve_settings_settle(const char *db_path, struct http_config *cfg,
    struct store_settings *held) GH_WUR;

#endif
