/*
 * bench_mhd_empty.c: the ceiling of libmicrohttpd on this machine, an
 * empty handler served the way gehoord serves (tests/bench/run).
 *
 * Usage: bench_mhd_empty PORT [THREADS]
 *
 * Listens on 127.0.0.1:PORT with MHD_USE_EPOLL_INTERNAL_THREAD and a
 * thread pool of THREADS (default 2). Every request, GET or POST, gets an
 * empty 200 response, queued on a later callback than the first
 * (MHD 0.9.75 closes keep-alive connections otherwise); a POST body is
 * read and dropped. Prints "ready" once listening and serves until
 * SIGINT or SIGTERM.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

/* Non-NULL marker for "the first callback of this request has run". */
static int started;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct MHD_Response *resp = cls;

	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {
		*con_cls = &started;
		return MHD_YES;
	}
	if (*upload_data_size != 0) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, resp);
}

int
main(int argc, char **argv)
{
	struct MHD_Response *resp;
	struct MHD_Daemon *d;
	struct sockaddr_in sin;
	sigset_t set;
	long port, threads = 2;
	int sig;

	if (argc < 2 || argc > 3 || (port = strtol(argv[1], NULL, 10)) < 1 ||
	    port > 65535 || (argc == 3 &&
	    ((threads = strtol(argv[2], NULL, 10)) < 1 || threads > 64))) {
		fprintf(stderr, "usage: bench_mhd_empty PORT [THREADS]\n");
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* One shared, persistent response: the handler does no work. */
	resp = MHD_create_response_from_buffer(0, (void *)"",
	    MHD_RESPMEM_PERSISTENT);
	if (resp == NULL)
		return 1;
	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD, (uint16_t)port,
	    NULL, NULL, on_request, resp,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
	    MHD_OPTION_CONNECTION_LIMIT, 2048U,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30U,
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "bench_mhd_empty: cannot listen on port %ld\n",
		    port);
		MHD_destroy_response(resp);
		return 1;
	}
	printf("ready\n");
	(void)fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(resp);
	return 0;
}
