/* gateway.h — the HJ 212 data-acquisition gateway (`envgov serve --hj212`).
 *
 * A libuv server that takes HJ 212-2017 / HJ/T 212-2005 traffic from thousands of devices, frames
 * and parses it (src/hj212), authenticates devices against the registry in the store, stores
 * readings through one writer thread that commits in groups (WAL, synchronous = FULL), and sends
 * each requested 9014 only after the commit holding its values has returned.  It also keeps
 * per-device state, raises alarms, and sends downlink commands queued in the store with QN
 * correlation, timeouts and retries (HJ 212-2017 Table 1).  docs/hj212.md "The gateway".
 * No libuv type appears here; struct gw is opaque.  The gateway is an outer layer: it reports
 * through the log callback the caller gives it and never prints by itself.
 */
#ifndef GATEWAY_H
#define GATEWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

enum gw_log_level { GW_LOG_ERROR, GW_LOG_WARN, GW_LOG_INFO, GW_LOG_DEBUG };
typedef void (*gw_log_fn)(void *ud, enum gw_log_level level, const char *msg);

struct gw_opts {
    const char *db_path;   /* the store (required) */
    const char *host;      /* listen address, default "0.0.0.0" */
    int port;              /* default 9212; 0 = an ephemeral port (see gw_port) */
    const char *port_file; /* if set, the bound port is written there once listening */
    int max_conns;         /* connection limit, default 20000 */
    int idle_timeout_s;    /* close a connection silent this long, default 600 */
    size_t max_out;        /* bytes of unsent replies per connection before closing, 64 KiB */
    size_t max_pending;    /* frames received but not committed before every connection stops
                              reading (TCP then holds the devices back), default 100000 */
    size_t max_txn;        /* frames in one transaction of the writer, default 50000 */
    int max_seg;           /* framer cap on the declared length, default 9999 */
    bool strict_length;    /* refuse a frame whose length field is wrong even when the CRC over
                              the bytes up to the first CR LF matches (accepted by default) */
    int cmd_timeout_s;     /* downlink reply timeout, default 10 (Table 1, GPRS/CDMA/LTE) */
    int cmd_retries;       /* downlink retries, default 3 (Table 1) */
    int hourly_grace_s;    /* an hour's 2061 is missing this long after the hour ends, 900 */
    int sweep_ms;          /* period of idle/alarm/command/state sweeps, default 1000 */
    gw_log_fn log;         /* NULL = silent */
    void *log_ud;
};

/* Counters since start (gw_stats). */
struct gw_stats {
    uint64_t accepted, refused, closed, open;
    uint64_t frames, bytes_in, rejected, quarantined, wrong_pw;
    uint64_t values, replaced, acks, commits, commit_errors;
    uint64_t pauses; /* times every connection stopped reading (backpressure) */
};

struct gw;

/* Open the store, load the registry, bind and listen.  Returns 0 and *ret; EG_EINVAL for bad
 * options, EG_EDB for the store, EG_EIO when the address cannot be bound (detail in eb). */
int gw_new(const struct gw_opts *opts, struct gw **ret, struct eg_errbuf *eb) EG_MUST_CHECK;

/* The port actually bound (useful with port 0). */
int gw_port(const struct gw *g);

/* Serve until SIGTERM or SIGINT: then stop accepting, commit everything received, send the acks
 * that are due, record every device offline and return 0.  EG_EDB if the store failed fatally. */
int gw_run(struct gw *g, struct eg_errbuf *eb) EG_MUST_CHECK;

void gw_get_stats(const struct gw *g, struct gw_stats *ret);

/* Free (NULL allowed); only after gw_run returned or instead of it. */
void gw_free(struct gw *g);

#endif
