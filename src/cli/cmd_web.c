/* cmd_web.c — `envgov web`: the HTTP server alone (the JSON API and the dashboard), until
 * SIGINT or SIGTERM.  `envgov serve` runs the same server beside the HJ 212 gateway through
 * http_server_start / http_server_stop (src/http/http.h).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "http/http.h"

static const struct cli_opt web_opts[] = {
    {"http", CLI_VALUE, "ADDR:PORT", "listen address (default 127.0.0.1:8080; port 0: any)"},
    {"static", CLI_VALUE, "DIR", "the built dashboard (default $ENVGOV_WEB, else web/dist)"},
    {"city", CLI_VALUE, "NAME", "the bureau's city for the home and public pages (default 盘锦)"},
    {"threads", CLI_VALUE, "N", "worker threads (default 2)"},
    {"body-limit", CLI_VALUE, "BYTES", "largest request body (default 1048576)"},
    {"cache-ms", CLI_VALUE, "MS", "keep air answers this long (default 2000; 0: no cache)"},
    {"port-file", CLI_VALUE, "PATH", "write the bound port here once listening"},
    {"access-log", CLI_FLAG, NULL, "log one line per request on standard error"},
    {"insecure-cookie", CLI_FLAG, NULL, "omit the Secure cookie attribute (plain-HTTP tests)"},
    {NULL, 0, NULL, NULL}};

static int run_web(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_web_cmds[] = {
    {"web", "serve the HTTP API and the dashboard (no HJ 212 gateway)",
     "web [--http ADDR:PORT] [--static DIR] [--port-file PATH]",
     "Runs until SIGINT or SIGTERM.  Accounts: envgov user add; docs/api.md, docs/deploy.md.",
     web_opts, 0, 0, false, run_web},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int write_port(const char *path, unsigned port)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "%u\n", port);
    if (fclose(f) || rename(tmp, path))
        return -1;
    return 0;
}

static int run_web(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct http_config cfg;
    long v;
    memset(&cfg, 0, sizeof(cfg));
    cfg.addr = cli_value(cmd, a, "http");
    cfg.db_path = c->db_path;
    cfg.city = cli_value(cmd, a, "city");
    cfg.access_log = cli_flag(cmd, a, "access-log");
    cfg.no_secure_cookie = cli_flag(cmd, a, "insecure-cookie");
    cfg.cache_ms = 2000;
    const char *st = cli_value(cmd, a, "static");
    if (!st)
        st = getenv("ENVGOV_WEB");
    if (!st || !*st) {
        struct stat sb;
        st = stat("web/dist/index.html", &sb) == 0 ? "web/dist" : NULL;
    }
    cfg.static_dir = st;
    const char *s;
    if ((s = cli_value(cmd, a, "threads"))) {
        if (cli_int(cmd, "threads", s, 1, 16, &v))
            return CLI_USAGE;
        cfg.threads = (unsigned)v;
    }
    if ((s = cli_value(cmd, a, "body-limit"))) {
        if (cli_int(cmd, "body-limit", s, 1024, 1L << 30, &v))
            return CLI_USAGE;
        cfg.body_limit = (size_t)v;
    }
    if ((s = cli_value(cmd, a, "cache-ms"))) {
        if (cli_int(cmd, "cache-ms", s, 0, 3600000, &v))
            return CLI_USAGE;
        cfg.cache_ms = (unsigned)v;
    }
    /* the workers inherit this mask: only sigwait below sees the signals */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct http_server *srv;
    int rc = http_server_start(&cfg, &srv, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    unsigned port = http_server_port(srv);
    const char *pf = cli_value(cmd, a, "port-file");
    if (pf && write_port(pf, port)) {
        http_server_stop(srv);
        fprintf(stderr, "envgov web: cannot write %s\n", pf);
        return CLI_FAIL;
    }
    fprintf(stderr, "envgov web: listening on port %u (%s)%s%s\n", port,
            cfg.addr ? cfg.addr : "127.0.0.1:8080", st ? ", dashboard from " : ", no dashboard",
            st ? st : "");
    int sig = 0;
    sigwait(&set, &sig);
    fprintf(stderr, "envgov web: stopping (signal %d)\n", sig);
    http_server_stop(srv);
    return CLI_OK;
}
