/* cmd_sim.c — `envgov sim`: simulated HJ 212-2017 devices, or the replay of a capture, against a
 * gateway.  A load generator and a demo, on libuv (one TCP connection per device).
 *
 * Devices alternate between an air station (ST=22: PM2.5, PM10, SO2, NO2, O3, CO) and an
 * enterprise flue-gas outlet (ST=31: SO2, NOx and smoke dust with Rtd/ZsRtd, O2, temperature,
 * flow).  Without --rate each device follows the real schedule: 2011 every 30 s, 2051 every minute
 * and 2061 every hour with Flag A (9014 expected).  With --rate R the devices together send R
 * frames a second, round robin, each device's DataTime advancing 30 s per frame so that every
 * frame is a new data set; --ack-all asks a 9014 for every frame; --burst K makes each device
 * write K frames back to back in one write, as a logger re-uploading its buffered history does;
 * --window W caps a device's unanswered Flag A frames (W = 1: it waits for each 9014, as the
 * standard's loggers do), and a device whose socket is full waits, as a blocking logger would.
 * Sending starts once every device has connected (or failed to), so that --duration measures
 * the load alone.  Acks are matched in order per connection, and the send→ack latency is
 * reported (p50/p99/max).  --replay FILE sends a capture
 * (plain or .gz, one frame per line) over one connection per MN at --speed times the capture's
 * pace (0 = as fast as possible).  MNs are PREFIX + 6 digits; --devices-csv writes the registry
 * file for `envgov import devices`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <uv.h>
#include <zlib.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "common/eg_time.h"
#include "hj212/hj212.h"

static const struct cli_opt sim_opts[] = {
    {"devices", CLI_VALUE, "N", "simulated devices, one connection each (default 10)"},
    {"rate", CLI_VALUE, "R", "frames per second over all devices (default: real schedule)"},
    {"to", CLI_VALUE, "ADDR:PORT", "the gateway (default 127.0.0.1:9212)"},
    {"duration", CLI_VALUE, "S", "stop after S seconds (default 10; 0 = until interrupted)"},
    {"ack-all", CLI_FLAG, NULL, "Flag A on every frame (default: on 2061 only)"},
    {"burst", CLI_VALUE, "K", "with --rate: each device writes K frames at once (default 1)"},
    {"window", CLI_VALUE, "W", "unanswered Flag A frames a device may have (default 256)"},
    {"mn-prefix", CLI_VALUE, "P", "MN prefix (default SIM; MN = P + 6 digits)"},
    {"pw", CLI_VALUE, "PW", "password sent (default 123456)"},
    {"devices-csv", CLI_VALUE, "FILE", "write the registry CSV for these devices and exit"},
    {"replay", CLI_VALUE, "FILE", "send a capture instead (plain or .gz)"},
    {"speed", CLI_VALUE, "X", "replay speed, 1 = the capture's pace (an hour a file); 0 = max"},
    {"idle", CLI_FLAG, NULL, "connect and stay idle (memory measurement)"},
    {"json", CLI_FLAG, NULL, "print the report as one JSON object"},
    {NULL, 0, NULL, NULL}};

static int run_sim(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_sim_cmds[] = {
    {"sim", "simulate HJ 212 devices (or replay a capture) against a gateway",
     "sim [--devices N] [--rate R] [--to ADDR:PORT] [--duration S] | sim --replay FILE [--speed X]",
     "Reports frames sent, acks received and the ack latency.  Register the devices first:\n"
     "envgov sim --devices N --devices-csv devices.csv && envgov import devices devices.csv",
     sim_opts, 0, 0, false, run_sim},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

#define RING      256 /* outstanding acks per device */
#define MAX_BURST 64  /* frames per write with --burst */

struct dev {
    uv_tcp_t tcp;
    uv_connect_t creq;
    struct sim *s;
    int idx;
    bool connected, dead;
    char mn[48];
    uint64_t seq;
    uint64_t sent_ns[RING];
    unsigned head, tail; /* ring of send times of frames that want an ack */
    char rbuf[2048];
    size_t rlen;
    /* replay */
    char *rmn;
};

struct sim {
    uv_loop_t loop;
    uv_timer_t tick;
    uv_signal_t sig;
    struct dev *devs;
    int ndev, nconnected, nfailed, connecting;
    double rate;
    bool ack_all, idle, stop;
    const char *prefix, *pw;
    struct sockaddr_in addr;
    uint64_t t0, t_end, last_tick, dur_ns;
    uint64_t t_load, t_sent_end, t_last_ack; /* load phase: first send, last send, last ack */
    double budget;
    int rr, burst;
    unsigned window;
    uint64_t sent, acked, bytes, write_errors;
    uint64_t *lat; /* latencies in µs */
    size_t nlat, lat_cap;
    /* replay */
    char *cap;
    size_t cap_len, cap_pos;
    double speed;
    uint64_t frames_total, replay_sent;
};

static uint64_t now_ns(void)
{
    return uv_hrtime();
}

static void on_close_dev(uv_handle_t *h)
{
    (void)h;
}

/* Close a device's connection once: a connect or write can complete with an error (e.g.
 * UV_ECANCELED) after sim_stop already closed the handle. */
static void dev_close(struct dev *d)
{
    d->dead = true;
    if (!uv_is_closing((uv_handle_t *)&d->tcp))
        uv_close((uv_handle_t *)&d->tcp, on_close_dev);
}

struct wreq {
    uv_write_t w;
    char data[];
};

static void on_written(uv_write_t *w, int status)
{
    struct dev *d = w->data;
    if (status < 0 && !d->dead) {
        d->s->write_errors++;
        dev_close(d);
    }
    eg_free(w);
}

static void dev_write(struct dev *d, const char *p, size_t n)
{
    if (d->dead || !d->connected)
        return;
    uv_buf_t b;
    b.base = (char *)(uintptr_t)p; /* uv_buf_t is not const; libuv only reads it */
    b.len = n;
    int r = uv_try_write((uv_stream_t *)&d->tcp, &b, 1);
    if (r == (int)n)
        return;
    size_t off = r > 0 ? (size_t)r : 0;
    if (r < 0 && r != UV_EAGAIN) {
        d->s->write_errors++;
        return;
    }
    struct wreq *w = eg_malloc(sizeof(*w) + n - off);
    if (!w)
        return;
    memcpy(w->data, p + off, n - off);
    w->w.data = d;
    b = uv_buf_init(w->data, (unsigned)(n - off));
    if (uv_write(&w->w, (uv_stream_t *)&d->tcp, &b, 1, on_written) < 0)
        eg_free(w);
}

static void add_lat(struct sim *s, uint64_t us)
{
    if (s->nlat == s->lat_cap) {
        size_t cap = s->lat_cap ? s->lat_cap * 2 : 65536;
        uint64_t *p = eg_realloc(s->lat, cap * sizeof(*p));
        if (!p)
            return;
        s->lat = p;
        s->lat_cap = cap;
    }
    s->lat[s->nlat++] = us;
}

static void on_alloc(uv_handle_t *h, size_t sug, uv_buf_t *b)
{
    (void)sug;
    struct dev *d = (struct dev *)h;
    *b = uv_buf_init(d->rbuf + d->rlen, (unsigned)(sizeof(d->rbuf) - d->rlen));
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    (void)b;
    struct dev *d = (struct dev *)st;
    if (n < 0) {
        if (!d->dead) {
            dev_close(d);
        }
        return;
    }
    d->rlen += (size_t)n;
    char *p = d->rbuf, *end = d->rbuf + d->rlen, *nl;
    uint64_t t = now_ns();
    while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        /* a 9014 (data answer) settles the oldest frame that wanted one */
        if (memmem(p, (size_t)(nl - p), "CN=9014", 7) && d->tail != d->head) {
            add_lat(d->s, (t - d->sent_ns[d->tail % RING]) / 1000u);
            d->tail++;
            d->s->acked++;
            d->s->t_last_ack = t;
        }
        p = nl + 1;
    }
    d->rlen = (size_t)(end - p);
    memmove(d->rbuf, p, d->rlen);
    if (d->rlen == sizeof(d->rbuf))
        d->rlen = 0; /* not HJ 212: drop */
}

static void on_connect(uv_connect_t *req, int status)
{
    struct dev *d = req->data;
    struct sim *s = d->s;
    s->connecting--;
    if (status < 0) {
        s->nfailed++;
        dev_close(d);
        return;
    }
    d->connected = true;
    s->nconnected++;
    uv_read_start((uv_stream_t *)&d->tcp, on_alloc, on_read);
}

static void start_connect(struct sim *s, struct dev *d)
{
    uv_tcp_init(&s->loop, &d->tcp);
    d->creq.data = d;
    s->connecting++;
    if (uv_tcp_connect(&d->creq, &d->tcp, (const struct sockaddr *)&s->addr, on_connect) < 0) {
        s->connecting--;
        s->nfailed++;
        dev_close(d);
    }
}

/* "YYYYMMDDhhmmss" (Beijing) of a UTC epoch second. */
static void hj_time(int64_t t, char out[24])
{
    int32_t day;
    int sec, y, m, dd;
    eg_beijing_from_unix(t, &day, &sec);
    eg_civil_from_days(day, &y, &m, &dd);
    snprintf(out, 24, "%04d%02d%02d%02d%02d%02d", y % 10000, m % 100, dd % 100, sec / 3600 % 100,
             sec / 60 % 60, sec % 60);
}

/* One frame of device d (cn 2011/2051/2061 at DataTime t) appended to out[*len..cap); false if
 * it does not fit or the device has too many unanswered frames. */
static bool build_frame(struct sim *s, struct dev *d, int cn, int64_t t, bool ack, char *out,
                        size_t cap, size_t *len)
{
    char cp[700], dt[24], qn[24];
    if (ack && d->head - d->tail >= s->window)
        return false; /* too many unanswered: hold back */
    hj_time(t, dt);
    uint64_t k = d->seq++;
    snprintf(qn, sizeof(qn), "%.14s%03u", dt, (unsigned)(k % 1000));
    unsigned v = (unsigned)((k * 2654435761u + (unsigned)d->idx * 40503u) % 1000);
    const char *fld = cn == 2011 ? "Rtd" : "Avg";
    int n;
    if (d->idx % 2 == 0) /* air station */
        n = snprintf(cp, sizeof(cp),
                     "DataTime=%s;a34004-%s=%u,a34004-Flag=N;a34002-%s=%u,a34002-Flag=N;"
                     "a21026-%s=%u,a21026-Flag=N;a21004-%s=%u.%u,a21004-Flag=N;"
                     "a05024-%s=%u,a05024-Flag=N;a21005-%s=0.%03u,a21005-Flag=N",
                     dt, fld, 10 + v % 90, fld, 20 + v % 150, fld, 3 + v % 20, fld, 10 + v % 60,
                     v % 10, fld, 30 + v % 150, fld, 300 + v % 700);
    else /* flue-gas outlet */
        n = snprintf(cp, sizeof(cp),
                     "DataTime=%s;a21026-%s=%u.%u,a21026-ZsRtd=%u.%u,a21026-Flag=N;"
                     "a21002-%s=%u.%u,a21002-ZsRtd=%u.%u,a21002-Flag=N;a34013-%s=%u.%u,"
                     "a34013-Flag=N;a19001-%s=%u.%u,a19001-Flag=N;a01012-%s=%u.%u,"
                     "a01012-Flag=N;a00000-%s=%u.%u,a00000-Flag=N",
                     dt, fld, 10 + v % 40, v % 10, 12 + v % 40, v % 10, fld, 40 + v % 80, v % 10,
                     45 + v % 80, v % 10, fld, 2 + v % 8, v % 10, fld, 8 + v % 5, v % 10, fld,
                     60 + v % 60, v % 10, fld, 100 + v % 300, v % 10);
    if (n < 0 || (size_t)n >= sizeof(cp))
        return false;
    struct hj212_hdr h = {.qn = hj212_s(qn),
                          .st = hj212_s(d->idx % 2 ? "31" : "22"),
                          .pw = hj212_s(s->pw),
                          .mn = hj212_s(d->mn),
                          .cn = cn,
                          .flag = ack ? 5 : 4};
    size_t fl;
    if (hj212_build_raw(out + *len, cap - *len, &h, cp, (size_t)n, HJ212_CRC_STD, &fl))
        return false;
    *len += fl;
    if (ack)
        d->head++;
    return true;
}

/* Write k frames of device d (cn at DataTime t, then 30 s apart) in one write. */
static int send_frames(struct sim *s, struct dev *d, int cn, int64_t t, bool ack, int k)
{
    char out[MAX_BURST * 1024];
    size_t len = 0;
    unsigned h0 = d->head;
    if (uv_stream_get_write_queue_size((uv_stream_t *)&d->tcp) > 0)
        return 0; /* the socket is full (the gateway holds back): a real logger blocks too */
    int n = 0;
    while (n < k && build_frame(s, d, cn, t + 30 * n, ack, out, sizeof(out), &len))
        n++;
    if (!n)
        return 0;
    uint64_t now = now_ns();
    for (unsigned i = h0; i != d->head; i++)
        d->sent_ns[i % RING] = now;
    dev_write(d, out, len);
    s->sent += (uint64_t)n;
    s->bytes += len;
    return n;
}

static void sim_stop(struct sim *s)
{
    if (s->stop)
        return;
    s->stop = true;
    uv_timer_stop(&s->tick);
    uv_close((uv_handle_t *)&s->tick, NULL);
    uv_close((uv_handle_t *)&s->sig, NULL);
    for (int i = 0; i < s->ndev; i++) {
        struct dev *d = &s->devs[i];
        d->dead = true;
        /* only handles that were initialised (a connect was started) can be closed */
        if (d->creq.data && !uv_is_closing((uv_handle_t *)&d->tcp))
            uv_close((uv_handle_t *)&d->tcp, on_close_dev);
    }
}

static bool acks_outstanding(struct sim *s)
{
    for (int i = 0; i < s->ndev; i++)
        if (!s->devs[i].dead && s->devs[i].head != s->devs[i].tail)
            return true;
    return false;
}

static void replay_tick(struct sim *s, uint64_t t);

static void on_tick(uv_timer_t *tm)
{
    struct sim *s = tm->data;
    uint64_t t = now_ns();
    /* connect in waves so the listen backlog is not flooded */
    int pending = 0;
    for (int i = 0, started = 0; i < s->ndev; i++) {
        struct dev *d = &s->devs[i];
        if (d->connected || d->dead || d->creq.data)
            continue;
        if (started < 500 && s->connecting < 1000) {
            start_connect(s, d);
            started++;
        } else
            pending++;
    }
    if (!s->t_load) {
        /* the load starts once every device has connected or failed */
        if (pending || s->connecting)
            return;
        s->t_load = s->last_tick = t;
        if (s->dur_ns)
            s->t_end = t + s->dur_ns;
    }
    if (s->t_end && t >= s->t_end) {
        if (!s->t_sent_end)
            s->t_sent_end = t;
        /* wait up to 5 s for the last acks */
        if (!acks_outstanding(s) || t >= s->t_end + 5000000000ull)
            sim_stop(s);
        return;
    }
    if (s->idle || s->nconnected == 0)
        return;
    if (s->cap) {
        replay_tick(s, t);
        return;
    }
    double dt = (double)(t - s->last_tick) / 1e9;
    s->last_tick = t;
    int64_t now_s = (int64_t)time(NULL);
    if (s->rate > 0) {
        s->budget += s->rate * dt;
        if (s->budget > s->rate) /* never burst more than a second's worth */
            s->budget = s->rate;
        int tries = 0;
        while (s->budget >= s->burst && tries < s->ndev) {
            struct dev *d = &s->devs[s->rr];
            s->rr = (s->rr + 1) % s->ndev;
            int64_t when = now_s - 86400 * 30 + (int64_t)d->seq * 30;
            int n =
                d->connected && !d->dead ? send_frames(s, d, 2011, when, s->ack_all, s->burst) : 0;
            if (n == 0) { /* gone, blocked or too many unanswered: the next device */
                tries++;
                continue;
            }
            tries = 0;
            s->budget -= n;
        }
        return;
    }
    /* the real schedule: each device at its own phase within the period */
    for (int i = 0; i < s->ndev; i++) {
        struct dev *d = &s->devs[i];
        if (!d->connected || d->dead)
            continue;
        int64_t prev = (int64_t)((t - (uint64_t)(dt * 1e9)) / 1000000000ull);
        int64_t cur = (int64_t)(t / 1000000000ull);
        for (int64_t x = prev + 1; x <= cur; x++) {
            int64_t phase = x + i;
            if (phase % 30 == 0)
                send_frames(s, d, 2011, now_s - now_s % 30, s->ack_all, 1);
            if (phase % 60 == 0)
                send_frames(s, d, 2051, now_s - now_s % 60 - 60, s->ack_all, 1);
            if (phase % 3600 == 0)
                send_frames(s, d, 2061, now_s - now_s % 3600 - 3600, true, 1);
        }
    }
}

static void on_signal(uv_signal_t *sg, int signum)
{
    (void)signum;
    sim_stop(sg->data);
}

/* ---- replay ---- */

static struct dev *replay_dev(struct sim *s, const char *line, size_t n)
{
    const char *m = memmem(line, n, "MN=", 3);
    size_t ml = 0;
    if (m) {
        m += 3;
        while (m + ml < line + n && m[ml] != ';' && m[ml] != '&' && ml < 40)
            ml++;
    }
    for (int i = 0; i < s->ndev; i++) {
        struct dev *d = &s->devs[i];
        if (strlen(d->mn) == ml && (!ml || !memcmp(d->mn, m, ml)))
            return d;
    }
    return &s->devs[0]; /* broken lines travel on the first connection */
}

static void replay_tick(struct sim *s, uint64_t t)
{
    double elapsed = (double)(t - s->t_load) / 1e9;
    uint64_t due = s->speed <= 0
                       ? UINT64_MAX
                       : (uint64_t)(elapsed * s->speed * (double)s->frames_total / 3600.0);
    int burst = 0;
    while (s->cap_pos < s->cap_len && s->replay_sent < due && burst < 20000) {
        const char *line = s->cap + s->cap_pos;
        const char *nl = memchr(line, '\n', s->cap_len - s->cap_pos);
        size_t n = nl ? (size_t)(nl - line) + 1 : s->cap_len - s->cap_pos;
        struct dev *d = replay_dev(s, line, n);
        dev_write(d, line, n);
        s->cap_pos += n;
        s->replay_sent++;
        s->sent++;
        s->bytes += n;
        burst++;
    }
    if (s->cap_pos >= s->cap_len && !s->t_end)
        s->t_end = t + 1000000000ull;
}

static int load_capture(struct cli *c, struct sim *s, const char *path)
{
    gzFile z = gzopen(path, "rb");
    if (!z)
        return eg_errf(&c->eb, EG_EIO, "cannot open %s", path);
    size_t cap = 1 << 20;
    s->cap = eg_malloc(cap);
    int k;
    while (s->cap && (k = gzread(z, s->cap + s->cap_len, (unsigned)(cap - s->cap_len))) > 0) {
        s->cap_len += (size_t)k;
        if (s->cap_len == cap) {
            if (cap >= (size_t)1 << 30)
                break;
            char *p = eg_realloc(s->cap, cap * 2);
            if (!p)
                break;
            s->cap = p;
            cap *= 2;
        }
    }
    gzclose(z);
    if (!s->cap)
        return eg_errf(&c->eb, EG_ENOMEM, "out of memory");
    /* one device per distinct MN */
    int maxdev = 4096;
    s->devs = eg_calloc((size_t)maxdev, sizeof(*s->devs));
    if (!s->devs)
        return eg_errf(&c->eb, EG_ENOMEM, "out of memory");
    s->ndev = 1; /* devs[0]: lines without an MN */
    for (size_t pos = 0; pos < s->cap_len;) {
        const char *line = s->cap + pos;
        const char *nl = memchr(line, '\n', s->cap_len - pos);
        size_t n = nl ? (size_t)(nl - line) + 1 : s->cap_len - pos;
        pos += n;
        s->frames_total++;
        const char *m = memmem(line, n, "MN=", 3);
        if (!m)
            continue;
        m += 3;
        size_t ml = 0;
        while (m + ml < line + n && m[ml] != ';' && m[ml] != '&' && ml < 40)
            ml++;
        bool found = false;
        for (int i = 1; i < s->ndev && !found; i++)
            found = strlen(s->devs[i].mn) == ml && !memcmp(s->devs[i].mn, m, ml);
        if (!found && s->ndev < maxdev) {
            snprintf(s->devs[s->ndev].mn, sizeof(s->devs[0].mn), "%.*s", (int)ml, m);
            s->ndev++;
        }
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int write_csv(struct cli *c, const char *path, int n, const char *prefix, const char *pw)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return eg_errf(&c->eb, EG_EIO, "cannot write %s", path);
    fprintf(fp, "mn,pw,point,st,protocol\n");
    for (int i = 0; i < n; i++)
        fprintf(fp, "%s%06d,%s,P%06d,%s,2017\n", prefix, i, pw, i, i % 2 ? "31" : "22");
    return fclose(fp) ? eg_errf(&c->eb, EG_EIO, "cannot write %s", path) : 0;
}

static int run_sim(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    struct sim *s = eg_calloc(1, sizeof(*s));
    if (!s)
        return cli_fail(c, EG_ENOMEM);
    long ndev = 10, dur = 10;
    const char *v;
    int rc = CLI_OK;
    s->prefix = cli_value(cmd, a, "mn-prefix") ? cli_value(cmd, a, "mn-prefix") : "SIM";
    s->pw = cli_value(cmd, a, "pw") ? cli_value(cmd, a, "pw") : "123456";
    if (strlen(s->prefix) > 32) {
        eg_free(s);
        return cli_usage(cmd, "--mn-prefix: at most 32 characters");
    }
    if ((v = cli_value(cmd, a, "devices")) && cli_int(cmd, "devices", v, 1, 100000, &ndev))
        goto usage;
    if ((v = cli_value(cmd, a, "duration")) && cli_int(cmd, "duration", v, 0, 86400 * 365, &dur))
        goto usage;
    long burst = 1;
    if ((v = cli_value(cmd, a, "burst")) && cli_int(cmd, "burst", v, 1, MAX_BURST, &burst))
        goto usage;
    s->burst = (int)burst;
    long window = RING;
    if ((v = cli_value(cmd, a, "window")) && cli_int(cmd, "window", v, 1, RING, &window))
        goto usage;
    s->window = (unsigned)window;
    if ((v = cli_value(cmd, a, "rate"))) {
        char *end;
        s->rate = strtod(v, &end);
        if (*end || s->rate < 0 || s->rate > 1e7) {
            cli_usage(cmd, "--rate: '%s' is not a number of frames per second", v);
            goto usage;
        }
    }
    s->speed = 1;
    if ((v = cli_value(cmd, a, "speed"))) {
        char *end;
        s->speed = strtod(v, &end);
        if (*end || s->speed < 0) {
            cli_usage(cmd, "--speed: '%s' is not a non-negative number", v);
            goto usage;
        }
    }
    if ((v = cli_value(cmd, a, "devices-csv"))) {
        int e = write_csv(c, v, (int)ndev, s->prefix, s->pw);
        eg_free(s);
        return e ? cli_fail(c, e) : CLI_OK;
    }
    const char *to = cli_value(cmd, a, "to") ? cli_value(cmd, a, "to") : "127.0.0.1:9212";
    char host[64];
    const char *colon = strrchr(to, ':');
    long port;
    if (!colon || (size_t)(colon - to) >= sizeof(host) ||
        cli_int(cmd, "to", colon + 1, 1, 65535, &port))
        goto usage;
    snprintf(host, sizeof(host), "%.*s", (int)(colon - to), to);
    if (uv_ip4_addr(host, (int)port, &s->addr)) {
        cli_usage(cmd, "--to: '%s' is not an IPv4 address and port", to);
        goto usage;
    }
    s->ack_all = cli_flag(cmd, a, "ack-all");
    s->idle = cli_flag(cmd, a, "idle");
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
    }
    if ((v = cli_value(cmd, a, "replay"))) {
        int e = load_capture(c, s, v);
        if (e) {
            rc = cli_fail(c, e);
            goto out;
        }
    } else {
        s->ndev = (int)ndev;
        s->devs = eg_calloc((size_t)ndev, sizeof(*s->devs));
        if (!s->devs) {
            rc = cli_fail(c, EG_ENOMEM);
            goto out;
        }
        for (int i = 0; i < s->ndev; i++)
            snprintf(s->devs[i].mn, sizeof(s->devs[i].mn), "%s%06d", s->prefix, i);
    }
    for (int i = 0; i < s->ndev; i++) {
        s->devs[i].s = s;
        s->devs[i].idx = i;
    }
    uv_loop_init(&s->loop);
    uv_timer_init(&s->loop, &s->tick);
    s->tick.data = s;
    uv_signal_init(&s->loop, &s->sig);
    s->sig.data = s;
    uv_signal_start(&s->sig, on_signal, SIGINT);
    s->t0 = s->last_tick = now_ns();
    if (dur > 0 && !cli_value(cmd, a, "replay"))
        s->dur_ns = (uint64_t)dur * 1000000000ull;
    uv_timer_start(&s->tick, on_tick, 0, 2);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    uv_loop_close(&s->loop);
    /* the load phase: from the first send to the last send; acks/s up to the last ack */
    uint64_t t_stop = now_ns();
    double connect_s = s->t_load ? (double)(s->t_load - s->t0) / 1e9 : 0;
    uint64_t sent_end = s->t_sent_end ? s->t_sent_end : t_stop;
    double secs = s->t_load ? (double)(sent_end - s->t_load) / 1e9 : 0;
    double ack_secs =
        s->t_load && s->t_last_ack > s->t_load ? (double)(s->t_last_ack - s->t_load) / 1e9 : 0;
    double fps = secs > 0 ? (double)s->sent / secs : 0;
    double aps = ack_secs > 0 ? (double)s->acked / ack_secs : 0;
    qsort(s->lat, s->nlat, sizeof(*s->lat), cmp_u64);
#define PCT(p) (s->nlat ? (double)s->lat[(size_t)((double)(s->nlat - 1) * (p))] / 1000.0 : 0.0)
    if (cli_flag(cmd, a, "json"))
        printf("{\"devices\":%d,\"connected\":%d,\"failed\":%d,\"burst\":%d,"
               "\"connect_s\":%.3f,\"sent\":%" PRIu64 ",\"acked\":%" PRIu64
               ",\"seconds\":%.3f,\"frames_per_s\":%.1f,\"acked_per_s\":%.1f,"
               "\"ack_p50_ms\":%.3f,\"ack_p99_ms\":%.3f,\"ack_max_ms\":%.3f}\n",
               s->ndev, s->nconnected, s->nfailed, s->burst, connect_s, s->sent, s->acked, secs,
               fps, aps, PCT(0.5), PCT(0.99), PCT(1.0));
    else
        printf("sim: %d devices (%d connected, %d failed in %.1f s), %" PRIu64
               " frames sent (%" PRIu64 " bytes) in %.1f s = %.0f frames/s; %" PRIu64
               " acks = %.0f acks/s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
               s->ndev, s->nconnected, s->nfailed, connect_s, s->sent, s->bytes, secs, fps,
               s->acked, aps, PCT(0.5), PCT(0.99), PCT(1.0));
#undef PCT
out:
    eg_free(s->lat);
    eg_free(s->cap);
    eg_free(s->devs);
    eg_free(s);
    return rc;
usage:
    eg_free(s);
    return CLI_USAGE;
}
