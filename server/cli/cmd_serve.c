/*
 * cmd_serve.c: "gehoord serve": parses the listening address and options
 * and hands over to the web server (http/http.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "http/http.h"

int
cmd_serve(int argc, char **argv)
{
	struct arg_spec specs[] = {
		{ "db", "FILE", 1, "the database (its pepper is FILE.pepper)", 0 },
		{ "listen", "ADDR:PORT", 1, "numeric address and port, e.g. "
		    "127.0.0.1:8080 or [::1]:8080", 0 },
		{ "threads", "N", 0, "request threads (default: one per core)", 0 },
		{ 0 }
	};
	struct http_config cfg = { 0 };
	char pepper[4096], host[64];
	const char *listen, *colon, *tv;
	long long port, threads = 0;
	size_t hlen;
	int r, is_help;

	if (args_parse(argc, argv, specs, "Serves the surveys: GET and POST "
	    "/s/TOKEN. Stops cleanly on SIGINT or SIGTERM after finishing "
	    "the submissions in flight.", &is_help) != GH_OK)
		return is_help ? CLI_OK : CLI_USAGE;
	listen = args_get(specs, "listen");
	if ((colon = strrchr(listen, ':')) == NULL ||
	    args_int("serve", "listen", colon + 1, 1, 65535, &port) != GH_OK) {
		fprintf(stderr, "gehoord serve: --listen: '%s' is not "
		    "ADDR:PORT\n", listen);
		return CLI_USAGE;
	}
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		fprintf(stderr, "gehoord serve: --listen: no address in '%s'\n",
		    args_get(specs, "listen"));
		return CLI_USAGE;
	}
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	if ((tv = args_get(specs, "threads")) != NULL &&
	    args_int("serve", "threads", tv, 1, 256, &threads) != GH_OK)
		return CLI_USAGE;
	if (cli_pepper_path(pepper, sizeof(pepper), args_get(specs, "db")) !=
	    GH_OK)
		return CLI_USAGE;
	cfg.db_path = args_get(specs, "db");
	cfg.pepper_path = pepper;
	cfg.listen_host = host;
	cfg.port = (uint16_t)port;
	cfg.threads = (unsigned int)threads;
	r = http_serve(&cfg);
	return cli_exit_code(r);
}
