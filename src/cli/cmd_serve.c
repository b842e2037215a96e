/* cmd_serve.c — `envgov serve`: the whole platform in one foreground process — the HJ 212
 * gateway (src/gateway) and the web dashboard and API (src/http), each of which may be turned off.
 * Logs to standard error (this is an outer layer); exits 0 after SIGTERM/SIGINT once everything
 * received is committed.  The open-file limit is raised to its hard maximum so that thousands of
 * device connections fit.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "gateway/gateway.h"
#include "http/http.h"

static const struct cli_opt serve_opts[] = {
    {"hj212", CLI_VALUE, "ADDR:PORT|off",
     "HJ 212 listen address (default 0.0.0.0:9212; port 0 = any)"},
    {"http", CLI_VALUE, "ADDR:PORT|off", "dashboard and API address (default 127.0.0.1:8080)"},
    {"static", CLI_VALUE, "DIR", "the built dashboard (default web/dist)"},
    {"city", CLI_VALUE, "NAME", "the bureau's city for the home and public pages (default 盘锦)"},
    {"port-file", CLI_VALUE, "PATH", "write the bound HJ 212 port there once listening"},
    {"max-conns", CLI_VALUE, "N", "connection limit (default 20000)"},
    {"max-pending", CLI_VALUE, "N",
     "uncommitted frames at which every connection stops reading (default 100000)"},
    {"max-txn", CLI_VALUE, "N", "frames in one transaction of the writer (default 50000)"},
    {"idle-timeout", CLI_VALUE, "S", "close connections silent this long (default 600 s)"},
    {"strict-length", CLI_FLAG, NULL, "refuse a wrong length field even when the CRC matches"},
    {"cmd-timeout", CLI_VALUE, "S", "downlink reply timeout (default 10 s, HJ 212 Table 1)"},
    {"cmd-retries", CLI_VALUE, "N", "downlink retries (default 3, HJ 212 Table 1)"},
    {"hourly-grace", CLI_VALUE, "S", "alarm when an hour's 2061 is this late (default 900 s)"},
    {"quiet", CLI_FLAG, NULL, "log errors and warnings only"},
    {NULL, 0, NULL, NULL}};

static int run_serve(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_serve_cmds[] = {
    {"serve", "run the HJ 212 data-acquisition gateway", "serve [--hj212 ADDR:PORT] [options]",
     "Devices must be registered (envgov import devices); frames from unknown MNs are kept in a\n"
     "quarantine (envgov device list --quarantine).  A 9014 is sent only after the frame's\n"
     "values are committed (fsynced).  SIGTERM stops accepting, commits everything received and\n"
     "exits 0.  docs/hj212.md describes what is accepted and rejected.",
     serve_opts, 0, 0, false, run_serve},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

struct log_ctx {
    bool quiet;
};

static void log_line(void *ud, enum gw_log_level lv, const char *msg)
{
    struct log_ctx *l = ud;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (l->quiet && lv > GW_LOG_WARN)
        return;
    char ts[32];
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s envgov serve %s: %s\n", ts, names[lv], msg);
}

/* "ADDR:PORT" or ":PORT" or "PORT"; the address part is copied into host. */
static int split_addr(const char *s, char *host, size_t n, long *ret_port)
{
    const char *colon = strrchr(s, ':');
    const char *p = colon ? colon + 1 : s;
    char *end;
    long port = strtol(p, &end, 10);
    if (!*p || *end || port < 0 || port > 65535)
        return -1;
    size_t hl = colon ? (size_t)(colon - s) : 0;
    if (hl >= n)
        return -1;
    if (hl >= 2 && s[0] == '[' && s[hl - 1] == ']') { /* [::1]:9212 */
        memcpy(host, s + 1, hl - 2);
        host[hl - 2] = 0;
    } else {
        memcpy(host, s, hl);
        host[hl] = 0;
    }
    if (!host[0])
        snprintf(host, n, "0.0.0.0");
    *ret_port = port;
    return 0;
}

static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int run_serve(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct gw_opts o = {0};
    struct log_ctx lc = {cli_flag(cmd, a, "quiet")};
    char host[256];
    long port = 9212, v;
    const char *s;
    if ((s = cli_value(cmd, a, "hj212")) && strcmp(s, "off") &&
        split_addr(s, host, sizeof(host), &port))
        return cli_usage(cmd, "--hj212: '%s' is not ADDR:PORT", s);
    if (!s)
        snprintf(host, sizeof(host), "0.0.0.0");
    const char *http = cli_value(cmd, a, "http");
    if (!http)
        http = HTTP_DEFAULT_ADDR;
    bool want_http = strcmp(http, "off") != 0;
    bool want_hj212 = !(s && !strcmp(s, "off"));
    if (want_http) {
        char hh[256];
        long hp;
        if (split_addr(http, hh, sizeof(hh), &hp))
            return cli_usage(cmd, "--http: '%s' is not ADDR:PORT or off", http);
    }
    if (!want_http && !want_hj212)
        return cli_usage(cmd, "--hj212 off and --http off leave nothing to serve");
    o.db_path = c->db_path;
    o.host = host;
    o.port = (int)port;
    o.port_file = cli_value(cmd, a, "port-file");
    o.strict_length = cli_flag(cmd, a, "strict-length");
    if ((s = cli_value(cmd, a, "max-conns"))) {
        if (cli_int(cmd, "max-conns", s, 1, 1000000, &v))
            return CLI_USAGE;
        o.max_conns = (int)v;
    }
    if ((s = cli_value(cmd, a, "max-pending"))) {
        if (cli_int(cmd, "max-pending", s, 1, 10000000, &v))
            return CLI_USAGE;
        o.max_pending = (size_t)v;
    }
    if ((s = cli_value(cmd, a, "max-txn"))) {
        if (cli_int(cmd, "max-txn", s, 1, 10000000, &v))
            return CLI_USAGE;
        o.max_txn = (size_t)v;
    }
    if ((s = cli_value(cmd, a, "idle-timeout"))) {
        if (cli_int(cmd, "idle-timeout", s, 1, 86400, &v))
            return CLI_USAGE;
        o.idle_timeout_s = (int)v;
    }
    if ((s = cli_value(cmd, a, "cmd-timeout"))) {
        if (cli_int(cmd, "cmd-timeout", s, 1, 99, &v))
            return CLI_USAGE;
        o.cmd_timeout_s = (int)v;
    }
    if ((s = cli_value(cmd, a, "cmd-retries"))) {
        if (cli_int(cmd, "cmd-retries", s, 0, 99, &v))
            return CLI_USAGE;
        o.cmd_retries = v ? (int)v : -1;
    }
    if ((s = cli_value(cmd, a, "hourly-grace"))) {
        if (cli_int(cmd, "hourly-grace", s, 0, 86400, &v))
            return CLI_USAGE;
        o.hourly_grace_s = v ? (int)v : -1;
    }
    o.log = log_line;
    o.log_ud = &lc;
    raise_nofile();
    /* The web first: it serves what the gateway stores, from its own store connections. */
    struct http_server *web = NULL;
    int rc;
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    if (!want_hj212) /* web only: the web's threads inherit the mask, sigwait below takes them */
        pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    if (want_http) {
        struct http_config hc = {0};
        hc.addr = http;
        hc.db_path = c->db_path;
        hc.static_dir = cli_value(cmd, a, "static") ? cli_value(cmd, a, "static") : "web/dist";
        hc.city = cli_value(cmd, a, "city") ? cli_value(cmd, a, "city") : "盘锦";
        hc.cache_ms = 2000;
        if ((rc = http_server_start(&hc, &web, &c->eb)))
            return cli_fail(c, rc);
        if (!lc.quiet)
            fprintf(stderr, "envgov serve: web on http://%s (port %u)\n", http,
                    http_server_port(web));
    }
    if (!want_hj212) {
        int sig = 0;
        sigwait(&sigs, &sig);
        if (!lc.quiet)
            fprintf(stderr, "envgov serve: stopping (signal %d)\n", sig);
        http_server_stop(web);
        return CLI_OK;
    }
    struct gw *g = NULL;
    rc = gw_new(&o, &g, &c->eb);
    if (rc) {
        http_server_stop(web);
        return cli_fail(c, rc);
    }
    rc = gw_run(g, &c->eb);
    http_server_stop(web); /* before the gateway's store closes */
    struct gw_stats st;
    gw_get_stats(g, &st);
    gw_free(g);
    if (!lc.quiet)
        fprintf(stderr,
                "envgov serve: stopped: %llu connections, %llu frames, %llu values stored "
                "(%llu replaced), %llu acks, %llu rejected, %llu quarantined, %llu commits, "
                "%llu read pauses\n",
                (unsigned long long)st.accepted, (unsigned long long)st.frames,
                (unsigned long long)st.values, (unsigned long long)st.replaced,
                (unsigned long long)st.acks, (unsigned long long)st.rejected,
                (unsigned long long)st.quarantined, (unsigned long long)st.commits,
                (unsigned long long)st.pauses);
    if (rc)
        return cli_fail(c, rc);
    return CLI_OK;
}
