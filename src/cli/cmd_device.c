/* cmd_device.c — the HJ 212 device registry and its data: `envgov import devices`,
 * `envgov device list|show|set|cmd`, `envgov alarms [limit]`, `envgov data export`.
 *
 * `device cmd` queues a downlink in the store for the running gateway and waits for its outcome
 * (the gateway sends it over the device's own connection with QN correlation and Table 1 retries).
 * `data export` writes one record per stored value with the keys mn, point, cn, time (the
 * packet's DataTime, ISO 8601 +08:00), item, rtd, avg, min, max, cou, flag (null where absent) —
 * an interface: keep the keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "ingest/ingest.h"
#include "records/records.h"

static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};
static const struct cli_opt list_opts[] = {
    {"quarantine", CLI_FLAG, NULL, "only MNs that are not registered (their frames quarantined)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt set_opts[] = {
    {"pw", CLI_VALUE, "PW", "access password (\"\" = not checked)"},
    {"point", CLI_VALUE, "CODE", "monitoring point code"},
    {"st", CLI_VALUE, "ST", "system code (HJ 212-2017 Table 5)"},
    {"protocol", CLI_VALUE, "auto|2005|2017", "protocol version"},
    {"crc", CLI_VALUE, "std|modbus|modbus-swapped", "CRC the device sends"},
    {"enable", CLI_FLAG, NULL, "accept its frames (default for a new device)"},
    {"disable", CLI_FLAG, NULL, "quarantine its frames"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt cmd_opts[] = {
    {"from", CLI_VALUE, "TIME", "history: BeginTime (ISO 8601, Beijing time)"},
    {"to", CLI_VALUE, "TIME", "history: EndTime"},
    {"time", CLI_VALUE, "YYYYMMDDhhmmss", "set-time: the time to set (default now)"},
    {"wait", CLI_VALUE, "S", "seconds to wait for the outcome (default 60; 0 = do not wait)"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt alarm_opts[] = {
    {"from", CLI_VALUE, "TIME", "raised at or after (default: 7 days ago)"},
    {"to", CLI_VALUE, "TIME", "raised at or before (default: now)"},
    {"mn", CLI_VALUE, "MN", "only this device"},
    {NULL, 0, NULL, NULL}};
static const struct cli_opt limit_opts[] = {{"delete", CLI_FLAG, NULL, "remove the limit"},
                                            {NULL, 0, NULL, NULL}};
static const struct cli_opt export_opts[] = {
    {"from", CLI_VALUE, "TIME", "DataTime at or after (ISO 8601; default: all)"},
    {"to", CLI_VALUE, "TIME", "DataTime at or before (a bare date includes the whole day)"},
    {"mn", CLI_VALUE, "MN", "only this device"},
    {"point", CLI_VALUE, "CODE", "only this monitoring point"},
    {NULL, 0, NULL, NULL}};

static int run_import(struct cli *c, const struct cli_args *a);
static int run_list(struct cli *c, const struct cli_args *a);
static int run_show(struct cli *c, const struct cli_args *a);
static int run_set(struct cli *c, const struct cli_args *a);
static int run_cmd(struct cli *c, const struct cli_args *a);
static int run_limit(struct cli *c, const struct cli_args *a);
static int run_alarms(struct cli *c, const struct cli_args *a);
static int run_export(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_device_cmds[] = {
    {"import devices", "register HJ 212 devices from a CSV file", "import devices FILE.csv",
     "FILE: CSV with the header mn,pw,point,st and optionally protocol (auto|2005|2017) and crc\n"
     "(std|modbus|modbus-swapped).  The file is checked whole, then written in one transaction;\n"
     "devices already registered are updated.",
     no_opts, 1, 1, false, run_import},
    {"device list", "registered devices with their state, and unregistered MNs seen",
     "device list [--quarantine]",
     "status: online/offline/never/disabled, or unregistered for an MN whose frames were\n"
     "quarantined.  rejected counts frames by reason (pw = wrong password, crc, length_mismatch,\n"
     "bad_length, oversize, truncated, parse, stray).",
     list_opts, 0, 0, true, run_list},
    {"device show", "one device: registration, state, rejections, quarantine, commands",
     "device show MN", NULL, no_opts, 1, 1, true, run_show},
    {"device set", "register or change a device", "device set MN [--pw PW] [--point CODE] [...]",
     NULL, set_opts, 1, 1, false, run_set},
    {"device cmd", "send a command to a device through the running gateway",
     "device cmd MN time|set-time|history CN|reupload|rtd-start|rtd-stop|raw CN [CP]",
     "time: 1011 (get the device time); set-time: 1012 SystemTime (--time, default now);\n"
     "history CN: re-fetch 2031/2041/2051/2061 data for --from … --to; reupload: the same for\n"
     "2061; rtd-start/rtd-stop: 2011/2012; raw CN [K=V;…]: any command.  The gateway sends it\n"
     "with a fresh QN when the device is connected, retries per HJ 212-2017 Table 1 and records\n"
     "the 9011/9012 answers.  Exit 0 when the device answered ExeRtn=1.",
     cmd_opts, 2, 4, false, run_cmd},
    {"alarms limit", "set the exceedance limit of an item at a point",
     "alarms limit POINT ITEM MAX | alarms limit POINT ITEM --delete",
     "A value above MAX (the Rtd of 2011, the Avg of 2051/2061/2031) raises an alarm.\n"
     "The running gateway picks up changes within a few seconds.",
     limit_opts, 2, 3, false, run_limit},
    {"alarms", "exceedance and missing-data alarms raised by the gateway",
     "alarms [--from TIME] [--to TIME] [--mn MN]", NULL, alarm_opts, 0, 0, true, run_alarms},
    {"data export", "export stored HJ 212 values, one record per value",
     "data export [--from T1 --to T2] [--mn MN] [--point CODE] --format ndjson",
     "Keys: mn, point, cn, time (DataTime, ISO 8601 +08:00), item, rtd, avg, min, max, cou, flag\n"
     "(null where absent).  Numbers are exact as received.",
     export_opts, 0, 0, true, run_export},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

/* ---- helpers ---- */

/* An ISO time option; a bare date as --to means the end of that day. */
static int opt_time(const struct cli_cmd *cmd, const struct cli_args *a, const char *name, bool end,
                    int64_t def_ms, int64_t *ret_ms)
{
    const char *s = cli_value(cmd, a, name);
    int64_t t;
    if (!s) {
        *ret_ms = def_ms;
        return 0;
    }
    if (eg_iso_parse(s, strlen(s), &t))
        return cli_usage(cmd, "--%s: '%s' is not an ISO 8601 date or time", name, s);
    *ret_ms = t * 1000 + (end && strlen(s) == 10 ? 86400 * 1000 - 1 : 0);
    return 0;
}

static int finish(struct cli *c, struct fmt *f, int rc)
{
    int frc = fmt_finish(f);
    fmt_free(f);
    if (rc)
        return rc > 0 ? CLI_FAIL : cli_fail(c, rc);
    if (frc)
        return cli_fail(c, frc);
    return CLI_OK;
}

/* ---- import devices ---- */

static int run_import(struct cli *c, const struct cli_args *a)
{
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    if (cli_store(c))
        return CLI_FAIL;
    int rc = ingest_devices_file(c->store, a->pos[0], &st, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "devices: %ld devices registered from %s\n", st.rows, a->pos[0]);
    return CLI_OK;
}

/* ---- device list / show ---- */

struct dev_row {
    char mn[STORE_HJ212_MN_MAX + 1];
    char point[33];
    char st[4];
    bool enabled;
    int protocol, crc;
    bool has_state;
    struct store_hj212_state s;
    char peer[256];
};

struct list_ctx {
    struct cli *c;
    struct fmt *f;
    const char *only; /* device show */
    bool quarantine_only;
};

static int list_quarantined(void *ud, const struct store_hj212_quarantined *q)
{
    struct list_ctx *l = ud;
    struct fmt *f = l->f;
    fmt_row_begin(f);
    rec_quarantined_row(f, q);
    return fmt_row_end(f);
}

static int run_list(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    struct list_ctx l = {.c = c, .f = f, .quarantine_only = cli_flag(cmd, a, "quarantine")};
    struct rec_dev_vec dv = {0};
    struct rec_dev_snap ds = {0};
    int rc = 0;
    if (!l.quarantine_only) {
        rc = store_hj212_device_each(c->store, NULL, rec_dev_collect, &dv, &c->eb);
        for (size_t i = 0; i < dv.n && !rc; i++) {
            const struct store_hj212_device *d = &dv.v[i];
            if ((rc = rec_dev_snap_take(c->store, d->mn, &ds, &c->eb)))
                break;
            fmt_row_begin(f);
            rec_device_row(f, d, &ds);
            rc = fmt_row_end(f);
        }
        ds.have = false;
        if (!rc)
            rc = rec_dev_snap_take(c->store, "", &ds, &c->eb);
        if (!rc && ds.have) {
            fmt_row_begin(f);
            rec_device_nomn_row(f, &ds);
            rc = fmt_row_end(f);
        }
    }
    if (!rc)
        rc = store_hj212_quarantine_each(c->store, NULL, list_quarantined, &l, &c->eb);
    rec_dev_vec_free(&dv);
    return finish(c, f, rc);
}

static int run_show(struct cli *c, const struct cli_args *a)
{
    if (cli_store(c))
        return CLI_FAIL;
    const char *mn = a->pos[0];
    struct rec_dev_vec dv = {0};
    int rc = store_hj212_device_each(c->store, mn, rec_dev_collect, &dv, &c->eb);
    bool registered = rc == 0;
    if (rc == EG_ENOTFOUND) {
        rc = 0;
        eg_errbuf_clear(&c->eb);
    }
    if (rc) {
        rec_dev_vec_free(&dv);
        return cli_fail(c, rc);
    }
    struct fmt *f = cli_fmt(c);
    if (!f) {
        rec_dev_vec_free(&dv);
        return cli_fail(c, EG_ENOMEM);
    }
    struct rec_dev_snap ds;
    if ((rc = rec_dev_snap_take(c->store, mn, &ds, &c->eb)))
        goto out;
    fmt_row_begin(f);
    rc = rec_device(f, c->store, mn, registered ? &dv.v[0] : NULL, &ds, &c->eb);
    if (!rc)
        rc = fmt_row_end(f);
out:
    rec_dev_vec_free(&dv);
    return finish(c, f, rc);
}

/* ---- device set ---- */

static int run_set(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    if (cli_store(c))
        return CLI_FAIL;
    const char *mn = a->pos[0];
    struct rec_dev_vec dv = {0};
    int rc = store_hj212_device_each(c->store, mn, rec_dev_collect, &dv, &c->eb);
    struct store_hj212_device d = {mn, "", "", "", 0, 0, true};
    if (rc == 0)
        d = dv.v[0];
    else if (rc != EG_ENOTFOUND) {
        rec_dev_vec_free(&dv);
        return cli_fail(c, rc);
    }
    eg_errbuf_clear(&c->eb);
    const char *s;
    if ((s = cli_value(cmd, a, "pw")))
        d.pw = s;
    if ((s = cli_value(cmd, a, "point")))
        d.point = s;
    if ((s = cli_value(cmd, a, "st")))
        d.st = s;
    if ((s = cli_value(cmd, a, "protocol"))) {
        if (!strcmp(s, "auto"))
            d.protocol = 0;
        else if (!strcmp(s, "2005") || !strcmp(s, "2017"))
            d.protocol = atoi(s);
        else {
            rec_dev_vec_free(&dv);
            return cli_usage(cmd, "--protocol: '%s' is not auto, 2005 or 2017", s);
        }
    }
    if ((s = cli_value(cmd, a, "crc"))) {
        if (!strcmp(s, "std"))
            d.crc = 0;
        else if (!strcmp(s, "modbus"))
            d.crc = 1;
        else if (!strcmp(s, "modbus-swapped"))
            d.crc = 2;
        else {
            rec_dev_vec_free(&dv);
            return cli_usage(cmd, "--crc: '%s' is not std, modbus or modbus-swapped", s);
        }
    }
    if (cli_flag(cmd, a, "enable") && cli_flag(cmd, a, "disable")) {
        rec_dev_vec_free(&dv);
        return cli_usage(cmd, "--enable and --disable exclude each other");
    }
    if (cli_flag(cmd, a, "enable"))
        d.enabled = true;
    if (cli_flag(cmd, a, "disable"))
        d.enabled = false;
    rc = store_hj212_device_put(c->store, &d, &c->eb);
    rec_dev_vec_free(&dv);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "device %s saved\n", mn);
    return CLI_OK;
}

/* ---- device cmd ---- */

static int hj_time(const struct cli_cmd *cmd, const char *opt, const char *s, char out[24])
{
    int64_t t;
    if (eg_iso_parse(s, strlen(s), &t))
        return cli_usage(cmd, "--%s: '%s' is not an ISO 8601 date or time", opt, s);
    int32_t day;
    int sec, y, m, d;
    eg_beijing_from_unix(t, &day, &sec);
    eg_civil_from_days(day, &y, &m, &d);
    snprintf(out, 24, "%04d%02d%02d%02d%02d%02d", y % 10000, m % 100, d % 100, sec / 3600 % 100,
             sec / 60 % 60, sec % 60);
    return 0;
}

struct cmd_wait {
    char state[16];
    char result[1024];
    int qn_rtn, exe_rtn, tries;
    char qn[32];
};

static int read_cmd(void *ud, const struct store_hj212_cmd *x)
{
    struct cmd_wait *w = ud;
    snprintf(w->state, sizeof(w->state), "%s", x->state);
    snprintf(w->result, sizeof(w->result), "%s", x->result);
    snprintf(w->qn, sizeof(w->qn), "%s", x->qn);
    w->qn_rtn = x->qn_rtn;
    w->exe_rtn = x->exe_rtn;
    w->tries = x->tries;
    return 0;
}

static int run_cmd(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    const char *mn = a->pos[0], *act = a->pos[1];
    char cp[960] = "";
    int cn = 0;
    long v;
    if (!strcmp(act, "time")) {
        cn = 1011;
    } else if (!strcmp(act, "set-time")) {
        char t[24];
        const char *s = cli_value(cmd, a, "time");
        if (s) {
            if (strlen(s) != 14 || strspn(s, "0123456789") != 14)
                return cli_usage(cmd, "--time: '%s' is not YYYYMMDDhhmmss", s);
            snprintf(t, sizeof(t), "%s", s);
        } else {
            int32_t day;
            int sec, y, m, d;
            eg_beijing_from_unix((int64_t)time(NULL), &day, &sec);
            eg_civil_from_days(day, &y, &m, &d);
            snprintf(t, sizeof(t), "%04d%02d%02d%02d%02d%02d", y % 10000, m % 100, d % 100,
                     sec / 3600 % 100, sec / 60 % 60, sec % 60);
        }
        cn = 1012;
        snprintf(cp, sizeof(cp), "SystemTime=%s", t);
    } else if (!strcmp(act, "history") || !strcmp(act, "reupload")) {
        char b[24], e[24];
        const char *from = cli_value(cmd, a, "from"), *to = cli_value(cmd, a, "to");
        if (!strcmp(act, "history")) {
            if (a->npos < 3 || cli_int(cmd, "CN", a->pos[2], 2031, 2061, &v))
                return cli_usage(cmd, "history needs the CN: 2031, 2041, 2051 or 2061");
            if (v != 2031 && v != 2041 && v != 2051 && v != 2061)
                return cli_usage(cmd, "history needs the CN: 2031, 2041, 2051 or 2061");
            cn = (int)v;
        } else
            cn = 2061;
        if (!from || !to)
            return cli_usage(cmd, "%s needs --from and --to", act);
        if (hj_time(cmd, "from", from, b) || hj_time(cmd, "to", to, e))
            return CLI_USAGE;
        if (strcmp(b, e) > 0)
            return cli_usage(cmd, "--from is after --to");
        snprintf(cp, sizeof(cp), "BeginTime=%s;EndTime=%s", b, e);
    } else if (!strcmp(act, "rtd-start")) {
        cn = 2011;
    } else if (!strcmp(act, "rtd-stop")) {
        cn = 2012;
    } else if (!strcmp(act, "raw")) {
        if (a->npos < 3 || cli_int(cmd, "CN", a->pos[2], 1000, 9999, &v))
            return cli_usage(cmd, "raw needs a CN from 1000 to 9999");
        cn = (int)v;
        if (a->npos > 3) {
            if (strlen(a->pos[3]) >= sizeof(cp) || strstr(a->pos[3], "&&"))
                return cli_usage(cmd, "CP too long or containing &&");
            snprintf(cp, sizeof(cp), "%s", a->pos[3]);
        }
    } else
        return cli_usage(cmd, "unknown action '%s'", act);
    long wait_s = 60;
    const char *ws = cli_value(cmd, a, "wait");
    if (ws && cli_int(cmd, "wait", ws, 0, 3600, &wait_s))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct rec_dev_vec dv = {0};
    int rc = store_hj212_device_each(c->store, mn, rec_dev_collect, &dv, &c->eb);
    rec_dev_vec_free(&dv);
    if (rc)
        return cli_fail(c, rc);
    int64_t id = 0;
    if ((rc = store_hj212_cmd_add(c->store, mn, cn, cp, &id, &c->eb)))
        return cli_fail(c, rc);
    fprintf(stderr, "command %lld queued: CN=%d %s\n", (long long)id, cn, cp);
    if (wait_s == 0)
        return CLI_OK;
    struct cmd_wait w = {0};
    time_t end = time(NULL) + wait_s;
    for (;;) {
        if ((rc = store_hj212_cmd_each(c->store, id, NULL, read_cmd, &w, &c->eb)))
            return cli_fail(c, rc);
        if (strcmp(w.state, "pending") && strcmp(w.state, "sent"))
            break;
        if (time(NULL) >= end) {
            fprintf(stderr, "command %lld still %s after %ld s (the gateway keeps trying)\n",
                    (long long)id, w.state, wait_s);
            return CLI_FAIL;
        }
        usleep(200000);
    }
    printf("command %lld: %s (QN %s, tries %d, QnRtn %d, ExeRtn %d)%s%s\n", (long long)id, w.state,
           w.qn, w.tries, w.qn_rtn, w.exe_rtn, w.result[0] ? ": " : "", w.result);
    return strcmp(w.state, "ok") ? CLI_FAIL : CLI_OK;
}

/* ---- alarms ---- */

static int run_limit(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    bool del = cli_flag(cmd, a, "delete");
    if (del ? a->npos != 2 : a->npos != 3)
        return cli_usage(cmd, del ? "--delete takes POINT ITEM" : "give POINT ITEM MAX");
    if (cli_store(c))
        return CLI_FAIL;
    int rc = store_hj212_limit_put(c->store, a->pos[0], a->pos[1], del ? NULL : a->pos[2], &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "limit %s %s %s\n", a->pos[0], a->pos[1], del ? "deleted" : a->pos[2]);
    return CLI_OK;
}

static int alarm_row(void *ud, const struct store_hj212_alarm *al)
{
    struct fmt *f = ud;
    fmt_row_begin(f);
    rec_alarm(f, al);
    return fmt_row_end(f);
}

static int run_alarms(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    int64_t now = (int64_t)time(NULL) * 1000, from, to;
    if (opt_time(cmd, a, "from", false, now - 7 * 86400 * 1000LL, &from) ||
        opt_time(cmd, a, "to", true, now + 60000, &to))
        return CLI_USAGE;
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    int rc = store_hj212_alarm_each(c->store, from / 1000, to / 1000, cli_value(cmd, a, "mn"),
                                    alarm_row, f, &c->eb);
    return finish(c, f, rc);
}

/* ---- data export ---- */

struct export_ctx {
    struct fmt *f;
    long records;
};

static int export_item(void *ud, const struct store_hj212_reading *r, size_t nent,
                       const struct store_hj212_entry *ents)
{
    struct export_ctx *x = ud;
    fmt_row_begin(x->f);
    rec_reading_item(x->f, r, nent, ents);
    x->records++;
    return fmt_row_end(x->f);
}

static int export_row(void *ud, const struct store_hj212_reading *r)
{
    return rec_reading_items(r, export_item, ud);
}

static int run_export(struct cli *c, const struct cli_args *a)
{
    const struct cli_cmd *cmd = c->cmd;
    int64_t from, to;
    if (opt_time(cmd, a, "from", false, INT64_MIN / 2, &from) ||
        opt_time(cmd, a, "to", true, INT64_MAX / 2, &to))
        return CLI_USAGE;
    if (from > to)
        return cli_usage(cmd, "--from is after --to");
    if (cli_store(c))
        return CLI_FAIL;
    struct fmt *f = cli_fmt(c);
    if (!f)
        return cli_fail(c, EG_ENOMEM);
    struct export_ctx x = {f, 0};
    int rc = store_hj212_reading_each(c->store, from, to, cli_value(cmd, a, "mn"),
                                      cli_value(cmd, a, "point"), export_row, &x, &c->eb);
    return finish(c, f, rc);
}
