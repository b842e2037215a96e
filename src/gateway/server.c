/* server.c — the gateway's libuv loop: listening, connections, reading and framing, writing
 * replies, the periodic sweep and the SIGTERM drain.
 *
 * Memory per connection is the uv_tcp_t and struct gw_conn (a few hundred bytes) while it is idle:
 * the read buffer, the framers and the parse arrays are shared by all connections (a read is
 * framed to the end before the next one), and only bytes of an unfinished frame are kept per
 * connection (at most 12 + max_seg, the framer's hard cap).  Replies that wait for the socket are
 * capped by max_out; a peer that does not read its acks is disconnected.
 * Shutdown (SIGTERM/SIGINT): stop accepting and reading, hand everything received to the writer,
 * send the acks of the last commits, record every device offline, then close.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gateway-int.h"

void gw__log(struct gw *g, enum gw_log_level lv, const char *fmt, ...)
{
    if (!g->o.log)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    g->o.log(g->o.log_ud, lv, msg);
}

uint64_t gw__now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- connections ---- */

void gw__conn_unref(struct gw_conn *c)
{
    if (--c->refs > 0)
        return;
    eg_free(c->tail);
    eg_free(c->out);
    eg_free(c->wbuf);
    eg_free(c);
}

static void on_close(uv_handle_t *h)
{
    gw__conn_unref((struct gw_conn *)h);
}

/* The connection list is kept least recently read first: every read moves its connection to the
 * tail, so that after a backpressure pause the connections that waited longest read first. */
static void conn_unlink(struct gw *g, struct gw_conn *c)
{
    if (c->prev)
        c->prev->next = c->next;
    else
        g->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    else
        g->conns_tail = c->prev;
    c->prev = c->next = NULL;
}

static void conn_append(struct gw *g, struct gw_conn *c)
{
    c->prev = g->conns_tail;
    c->next = NULL;
    if (g->conns_tail)
        g->conns_tail->next = c;
    else
        g->conns = c;
    g->conns_tail = c;
}

static void conn_close(struct gw_conn *c)
{
    struct gw *g = c->g;
    if (c->closing)
        return;
    c->closing = true;
    conn_unlink(g, c);
    g->nconns--;
    g->stats.closed++;
    gw__conn_closed(c);
    uv_close((uv_handle_t *)&c->tcp, on_close);
}

static void on_write(uv_write_t *req, int status)
{
    struct gw_conn *c = req->data;
    eg_free(c->wbuf);
    c->wbuf = NULL;
    c->writing = false;
    if (status < 0 && !c->closing)
        conn_close(c);
    else if (!c->closing && c->out_len && !c->dirty) {
        c->dirty = true;
        c->refs++; /* the dirty list holds a reference */
        c->next_dirty = c->g->dirty;
        c->g->dirty = c;
    }
    gw__conn_unref(c);
}

static void flush_conn(struct gw_conn *c)
{
    if (c->closing || c->writing || c->out_len == 0)
        return;
    uv_buf_t b = uv_buf_init(c->out, (unsigned)c->out_len);
    int r = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
    if (r == (int)c->out_len) {
        c->out_len = 0;
        if (c->out_cap > 4096) { /* give back a buffer grown by a burst */
            eg_free(c->out);
            c->out = NULL;
            c->out_cap = 0;
        }
        return;
    }
    if (r < 0 && r != UV_EAGAIN) {
        conn_close(c);
        return;
    }
    size_t sent = r > 0 ? (size_t)r : 0;
    /* hand the rest to a uv_write; the out buffer itself becomes the write buffer */
    c->wbuf = c->out;
    memmove(c->wbuf, c->wbuf + sent, c->out_len - sent);
    b = uv_buf_init(c->wbuf, (unsigned)(c->out_len - sent));
    c->out = NULL;
    c->out_len = c->out_cap = 0;
    c->wreq.data = c;
    if (uv_write(&c->wreq, (uv_stream_t *)&c->tcp, &b, 1, on_write) < 0) {
        eg_free(c->wbuf);
        c->wbuf = NULL;
        conn_close(c);
        return;
    }
    c->writing = true;
    c->refs++;
}

void gw__send(struct gw_conn *c, const char *data, size_t n)
{
    if (c->closing)
        return;
    if (c->out_len + n > c->g->o.max_out) {
        gw__log(c->g, GW_LOG_WARN, "%s: %zu bytes of replies unread, closing", c->peer,
                c->out_len + n);
        conn_close(c);
        return;
    }
    if (c->out_len + n > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap * 2 : 512;
        while (cap < c->out_len + n)
            cap *= 2;
        char *p = eg_realloc(c->out, cap);
        if (!p) {
            conn_close(c);
            return;
        }
        c->out = p;
        c->out_cap = cap;
    }
    memcpy(c->out + c->out_len, data, n);
    c->out_len += n;
    if (!c->dirty) {
        c->dirty = true;
        c->refs++; /* the dirty list holds a reference */
        c->next_dirty = c->g->dirty;
        c->g->dirty = c;
    }
}

void gw__flush_dirty(struct gw *g)
{
    while (g->dirty) {
        struct gw_conn *c = g->dirty;
        g->dirty = c->next_dirty;
        c->next_dirty = NULL;
        c->dirty = false;
        flush_conn(c);
        gw__conn_unref(c);
    }
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct gw_conn *c = (struct gw_conn *)h;
    *buf = uv_buf_init(c->g->rbuf, GW_RBUF);
}

static hj212_crc_kind crc_kind(int crc)
{
    return crc == 1 ? HJ212_CRC_MODBUS : crc == 2 ? HJ212_CRC_MODBUS_SWAPPED : HJ212_CRC_STD;
}

/* A CRC reject on a connection that has not named its device yet: if the damaged frame's MN is a
 * device registered with another CRC kind, adopt that kind.  Returns true when it changed. */
static bool adopt_crc(struct gw_conn *c, const char *p, size_t n)
{
    if (n < HJ212_OVERHEAD || c->crc_known)
        return false;
    size_t len = 0;
    for (int i = 2; i < 6; i++) {
        if (p[i] < '0' || p[i] > '9')
            return false;
        len = len * 10 + (size_t)(p[i] - '0');
    }
    if (len + HJ212_OVERHEAD > n)
        return false;
    struct hj212_str mn;
    if (hj212_peek_field(p + 6, len, "MN", &mn) != 0)
        return false;
    struct gw_dev *d = gw__dev_find(c->g, mn.p, mn.n);
    if (!d || d->crc == c->crc)
        return false;
    c->crc = (uint8_t)d->crc;
    c->crc_known = true;
    return true;
}

/* Frame tail + data; dispatch every event; keep the unfinished tail. */
static void process(struct gw_conn *c, const char *data, size_t n)
{
    struct gw *g = c->g;
    const char *in = data;
    size_t len = n;
    if (c->tail_len) {
        memcpy(g->scratch, c->tail, c->tail_len);
        memcpy(g->scratch + c->tail_len, data, n);
        in = g->scratch;
        len = c->tail_len + n;
    }
    size_t base = 0, covered = 0;
restart:;
    struct hj212_framer *f = g->framer[c->crc];
    hj212_framer_reset(f);
    if (hj212_framer_push(f, in + base, len - base) != 0)
        return; /* cannot happen: the framer was drained */
    struct hj212_event ev;
    while (!c->closing && hj212_framer_next(f, &ev)) {
        size_t at = base + (size_t)ev.offset;
        covered = at + ev.len;
        switch (ev.kind) {
        case HJ212_EV_FRAME:
            gw__on_frame(c, &ev);
            break;
        case HJ212_EV_REJECT:
            if (ev.reason == HJ212_REJ_CRC && adopt_crc(c, in + at, len - at)) {
                base = at;
                covered = at;
                goto restart;
            }
            gw__on_reject(c, ev.reason);
            break;
        case HJ212_EV_STRAY:
            gw__on_reject(c, HJ212_REJ_STRAY);
            break;
        }
    }
    if (c->closing)
        return;
    size_t tail = len - covered;
    if (tail == 0) {
        eg_free(c->tail);
        c->tail = NULL;
        c->tail_len = 0;
        return;
    }
    if (!c->tail) {
        c->tail = eg_malloc(HJ212_OVERHEAD + (size_t)g->o.max_seg);
        if (!c->tail) {
            conn_close(c);
            return;
        }
    }
    if (tail > HJ212_OVERHEAD + (size_t)g->o.max_seg) /* the framer never keeps more */
        tail = HJ212_OVERHEAD + (size_t)g->o.max_seg;
    memmove(c->tail, in + len - tail, tail);
    c->tail_len = tail;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    struct gw_conn *c = (struct gw_conn *)s;
    struct gw *g = c->g;
    if (nread < 0) {
        if (c->tail_len) /* the peer closed inside a frame */
            gw__on_reject(c, c->tail_len >= 2 && c->tail[0] == '#' && c->tail[1] == '#'
                                 ? HJ212_REJ_TRUNCATED
                                 : HJ212_REJ_STRAY);
        conn_close(c);
        gw__flush_dirty(g);
        return;
    }
    if (nread == 0)
        return;
    c->last_ms = gw__now_ms();
    g->stats.bytes_in += (uint64_t)nread;
    if (c != g->conns_tail) {
        conn_unlink(g, c);
        conn_append(g, c);
    }
    process(c, buf->base, (size_t)nread);
    gw__flush_dirty(g);
    if (!g->paused && g->pending_frames + (g->fill ? g->fill->n : 0) > g->o.max_pending)
        gw__pause_reading(g);
}

/* Backpressure: the writer is max_pending frames behind, so no connection reads until it has
 * caught up by half (on_done); the kernel's socket buffers and TCP flow control hold the devices
 * back meanwhile, and nothing already received is dropped. */
void gw__pause_reading(struct gw *g)
{
    g->paused = true;
    g->stats.pauses++;
    for (struct gw_conn *c = g->conns; c; c = c->next)
        if (!c->closing && !c->paused) {
            uv_read_stop((uv_stream_t *)&c->tcp);
            c->paused = true;
        }
}

static void peer_name(uv_tcp_t *t, char *out, size_t n)
{
    struct sockaddr_storage ss;
    int len = sizeof(ss);
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (uv_tcp_getpeername(t, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET) {
            const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
            uv_ip4_name(a, ip, sizeof(ip));
            port = ntohs(a->sin_port);
        } else if (ss.ss_family == AF_INET6) {
            const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
            uv_ip6_name(a, ip, sizeof(ip));
            port = ntohs(a->sin6_port);
        }
    }
    snprintf(out, n, "%s:%d", ip, port);
}

static void on_connection(uv_stream_t *server, int status)
{
    struct gw *g = server->data;
    if (status < 0 || g->draining)
        return;
    struct gw_conn *c = eg_calloc(1, sizeof(*c));
    if (!c)
        return;
    c->g = g;
    c->refs = 1;
    if (uv_tcp_init(&g->loop, &c->tcp) != 0) {
        eg_free(c);
        return;
    }
    if (uv_accept(server, (uv_stream_t *)&c->tcp) != 0) {
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    if (g->nconns >= (size_t)g->o.max_conns) {
        g->stats.refused++;
        uv_close((uv_handle_t *)&c->tcp, on_close);
        return;
    }
    uv_tcp_nodelay(&c->tcp, 1);
    peer_name(&c->tcp, c->peer, sizeof(c->peer));
    c->last_ms = gw__now_ms();
    conn_append(g, c);
    g->nconns++;
    g->stats.accepted++;
    if (g->paused)
        c->paused = true; /* starts reading when the writer has caught up (on_done) */
    else if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0)
        conn_close(c);
}

/* ---- loop phases ---- */

static void finish(struct gw *g);

static void maybe_finish(struct gw *g)
{
    if (!g->draining || g->stopping || g->in_flight != 0 || (g->fill && g->fill->n != 0))
        return;
    if (!g->final_states) { /* the counters of the last commits, then stop */
        g->final_states = true;
        gw__flush_states(g, true);
        if (g->fill && g->fill->n) {
            gw__batch_submit(g);
            return;
        }
    }
    finish(g);
}

static void on_check(uv_check_t *h)
{
    struct gw *g = h->data;
    if (g->fill && g->fill->n)
        gw__batch_submit(g);
}

static void on_done(uv_async_t *h)
{
    struct gw *g = h->data;
    gw__batches_done(g);
    if (g->paused && g->pending_frames < g->o.max_pending / 2) {
        g->paused = false;
        for (struct gw_conn *c = g->conns; c; c = c->next)
            if (c->paused) {
                c->paused = false;
                if (!g->draining)
                    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
            }
    }
    maybe_finish(g);
}

static void on_sweep(uv_timer_t *t)
{
    struct gw *g = t->data;
    uint64_t now = gw__now_ms();
    if (!g->draining) {
        uint64_t idle = (uint64_t)g->o.idle_timeout_s * 1000u;
        for (struct gw_conn *c = g->conns, *nx; c; c = nx) {
            nx = c->next;
            if (now - c->last_ms > idle) {
                gw__log(g, GW_LOG_INFO, "%s: idle for %d s, closing", c->peer, g->o.idle_timeout_s);
                conn_close(c);
            }
        }
        if (++g->ticks % 5 == 0) {
            struct eg_errbuf eb = {0};
            if (gw__registry_load(g, &eb) != 0)
                gw__log(g, GW_LOG_WARN, "reloading devices: %s", eb.msg);
        }
        gw__sweep(g, now);
        gw__cmd_poll(g, now);
    }
    gw__flush_states(g, false);
    gw__flush_dirty(g);
}

static void close_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

static void on_signal(uv_signal_t *s, int signum)
{
    struct gw *g = s->data;
    if (g->draining)
        return;
    gw__log(g, GW_LOG_INFO, "signal %d: draining %zu connections", signum, g->nconns);
    g->draining = true;
    if (g->listening) {
        close_handle((uv_handle_t *)&g->listener);
        g->listening = false;
    }
    for (struct gw_conn *c = g->conns; c; c = c->next)
        uv_read_stop((uv_stream_t *)&c->tcp);
    gw__flush_states(g, true);
    gw__batch_submit(g);
    maybe_finish(g);
}

static void finish(struct gw *g)
{
    g->stopping = true;
    gw__flush_dirty(g);
    while (g->conns)
        conn_close(g->conns);
    close_handle((uv_handle_t *)&g->sweep);
    close_handle((uv_handle_t *)&g->check);
    close_handle((uv_handle_t *)&g->done_async);
    close_handle((uv_handle_t *)&g->sigterm);
    close_handle((uv_handle_t *)&g->sigint);
    if (g->listening) {
        close_handle((uv_handle_t *)&g->listener);
        g->listening = false;
    }
}

/* ---- set-up ---- */

static int write_port_file(const char *path, int port, struct eg_errbuf *eb)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return eg_errf(eb, EG_EINVAL, "port file path too long");
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return eg_errf(eb, EG_EIO, "cannot write %s", tmp);
    fprintf(fp, "%d\n", port);
    if (fclose(fp) != 0 || rename(tmp, path) != 0)
        return eg_errf(eb, EG_EIO, "cannot write %s", path);
    return 0;
}

static int uv_fail(struct eg_errbuf *eb, int code, const char *what, int r)
{
    return eg_errf(eb, code, "%s: %s", what, uv_strerror(r));
}

int gw_new(const struct gw_opts *opts, struct gw **ret, struct eg_errbuf *eb)
{
    int rc, r;
    if (!opts || !opts->db_path || !ret)
        return eg_errf(eb, EG_EINVAL, "gw_new: no options or database");
    struct gw *g = eg_calloc(1, sizeof(*g));
    if (!g)
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    g->o = *opts;
    if (!g->o.host)
        g->o.host = "0.0.0.0";
    if (g->o.port < 0 || g->o.port > 65535) {
        eg_free(g);
        return eg_errf(eb, EG_EINVAL, "port %d out of range", g->o.port);
    }
#define DEF(f, v)    \
    if (g->o.f <= 0) \
    g->o.f = (v)
    DEF(max_conns, 20000);
    DEF(idle_timeout_s, 600);
    DEF(max_out, 65536);
    DEF(max_pending, 100000);
    DEF(max_txn, 50000);
    DEF(max_seg, HJ212_MAX_SEG);
    DEF(cmd_timeout_s, 10);
    if (g->o.cmd_retries == 0)
        g->o.cmd_retries = 3;
    else if (g->o.cmd_retries < 0) /* explicitly none */
        g->o.cmd_retries = 0;
    if (g->o.hourly_grace_s == 0)
        g->o.hourly_grace_s = 900;
    else if (g->o.hourly_grace_s < 0)
        g->o.hourly_grace_s = 0;
    DEF(sweep_ms, 1000);
#undef DEF
    if (g->o.max_seg > HJ212_MAX_SEG)
        g->o.max_seg = HJ212_MAX_SEG;
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->anon.s.mn = g->anon.mn;
    g->anon.s.peer = g->anon.peer;
    hj212_record_init(&g->rec, g->extra, GW_MAX_EXTRA, g->params, GW_MAX_PARAMS, g->items,
                      GW_MAX_ITEMS, g->fields, GW_MAX_FIELDS);
    struct hj212_framer_opts fo = {.max_seg = (size_t)g->o.max_seg,
                                   .lenient_length = !g->o.strict_length};
    g->fmem_size = hj212_framer_mem_size(&fo);
    g->scratch = eg_malloc(GW_RBUF + HJ212_OVERHEAD + (size_t)g->o.max_seg);
    if (!g->scratch) {
        rc = eg_errf(eb, EG_ENOMEM, "out of memory");
        goto fail_nolooop;
    }
    for (int k = 0; k < 3; k++) {
        fo.crc = crc_kind(k);
        g->fmem[k] = eg_malloc(g->fmem_size);
        if (!g->fmem[k] || hj212_framer_init(g->fmem[k], g->fmem_size, &fo, &g->framer[k])) {
            rc = eg_errf(eb, EG_ENOMEM, "out of memory");
            goto fail_nolooop;
        }
    }
    if ((rc = store_open(g->o.db_path, 0, &g->rs, eb)) || (rc = gw__registry_load(g, eb)))
        goto fail_nolooop;
    if ((r = uv_loop_init(&g->loop))) {
        rc = uv_fail(eb, EG_EIO, "event loop", r);
        goto fail_nolooop;
    }
    if ((rc = gw__writer_start(g, eb)))
        goto fail;
    struct sockaddr_storage addr;
    if (uv_ip4_addr(g->o.host, g->o.port, (struct sockaddr_in *)&addr) != 0 &&
        uv_ip6_addr(g->o.host, g->o.port, (struct sockaddr_in6 *)&addr) != 0) {
        rc = eg_errf(eb, EG_EINVAL, "listen address '%s' is not an IP address", g->o.host);
        goto fail;
    }
    uv_tcp_init(&g->loop, &g->listener);
    g->listener.data = g;
    g->listening = true;
    if ((r = uv_tcp_bind(&g->listener, (const struct sockaddr *)&addr, 0)) ||
        (r = uv_listen((uv_stream_t *)&g->listener, 4096, on_connection))) {
        rc =
            eg_errf(eb, EG_EIO, "cannot listen on %s:%d: %s", g->o.host, g->o.port, uv_strerror(r));
        goto fail;
    }
    struct sockaddr_storage bound;
    int blen = sizeof(bound);
    uv_tcp_getsockname(&g->listener, (struct sockaddr *)&bound, &blen);
    g->port = bound.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&bound)->sin6_port)
                                          : ntohs(((struct sockaddr_in *)&bound)->sin_port);
    uv_signal_init(&g->loop, &g->sigterm);
    uv_signal_init(&g->loop, &g->sigint);
    g->sigterm.data = g->sigint.data = g;
    uv_signal_start(&g->sigterm, on_signal, SIGTERM);
    uv_signal_start(&g->sigint, on_signal, SIGINT);
    uv_timer_init(&g->loop, &g->sweep);
    g->sweep.data = g;
    uv_timer_start(&g->sweep, on_sweep, (uint64_t)g->o.sweep_ms, (uint64_t)g->o.sweep_ms);
    uv_check_init(&g->loop, &g->check);
    g->check.data = g;
    uv_check_start(&g->check, on_check);
    uv_async_init(&g->loop, &g->done_async, on_done);
    g->done_async.data = g;
    if (g->o.port_file && (rc = write_port_file(g->o.port_file, g->port, eb)))
        goto fail;
    *ret = g;
    return 0;
fail:
    gw_free(g);
    return rc;
fail_nolooop:
    store_close(g->rs);
    for (int k = 0; k < 3; k++)
        eg_free(g->fmem[k]);
    eg_free(g->scratch);
    for (size_t b = 0; b < GW_DEV_BUCKETS; b++)
        for (struct gw_dev *d = g->dev[b], *nx; d; d = nx) {
            nx = d->next;
            eg_free(d);
        }
    eg_free(g->limits);
    eg_free(g);
    return rc;
}

int gw_port(const struct gw *g)
{
    return g->port;
}

int gw_run(struct gw *g, struct eg_errbuf *eb)
{
    gw__log(g, GW_LOG_INFO, "HJ 212 gateway listening on %s:%d (%zu devices registered)", g->o.host,
            g->port, g->ndev);
    uv_run(&g->loop, UV_RUN_DEFAULT);
    gw__writer_stop(g);
    gw__batches_done(g);
    if (g->fatal)
        return eg_errf(eb, g->fatal, "%s", g->eb.msg);
    return 0;
}

void gw_get_stats(const struct gw *g, struct gw_stats *ret)
{
    *ret = g->stats;
    ret->open = g->nconns;
}

static void walk_close(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

void gw_free(struct gw *g)
{
    if (!g)
        return;
    if (!g->stopping) {
        for (struct gw_conn *c = g->conns, *nx; c; c = nx) {
            nx = c->next;
            conn_close(c);
        }
        uv_walk(&g->loop, walk_close, NULL);
    }
    uv_run(&g->loop, UV_RUN_DEFAULT);
    gw__writer_stop(g);
    gw__batches_done(g);
    uv_loop_close(&g->loop);
    gw__batch_free(g->fill);
    for (struct gw_batch *b = g->free_batches, *nx; b; b = nx) {
        nx = b->next;
        gw__batch_free(b);
    }
    gw__cmds_free(g);
    store_close(g->rs);
    for (int k = 0; k < 3; k++)
        eg_free(g->fmem[k]);
    eg_free(g->scratch);
    for (size_t b = 0; b < GW_DEV_BUCKETS; b++)
        for (struct gw_dev *d = g->dev[b], *nx; d; d = nx) {
            nx = d->next;
            eg_free(d);
        }
    eg_free(g->limits);
    pthread_mutex_destroy(&g->mu);
    pthread_cond_destroy(&g->cv);
    eg_free(g);
}
