/* downlink.c — commands to devices over their own connections (`envgov device cmd`).
 *
 * `envgov device cmd` queues a row in the store (state "pending"); every sweep the gateway picks
 * up pending rows, and once the device is connected sends the command with a fresh QN
 * (YYYYMMDDhhmmsszzz, unique per gateway) and Flag A.  Replies are matched by MN and QN (the
 * header QN, or the HJ/T 212-2005 QN inside CP): 9011 QnRtn (1 = ready, anything else ends the
 * command as failed), answers such as 1011 SystemTime or history uploads (kept in `result`;
 * uploads are also stored as readings), and 9012 ExeRtn (1 = ok).  With no reply within
 * cmd_timeout_s the same frame is sent again, up to cmd_retries times, then the command ends as
 * "timeout" (HJ 212-2017 §6.2 and Table 1: 10 s and 3 retries for GPRS/CDMA/LTE links).
 * A command for a device that is not connected stays pending until it connects.
 */
#include <stdio.h>
#include <string.h>

#include "common/eg_time.h"
#include "gateway-int.h"

#define GW_MAX_CMDS 1024 /* downlinks in flight */

void gw__make_qn(struct gw *g, char out[24])
{
    uint64_t ms = gw__now_ms();
    if (ms <= g->last_qn_ms)
        ms = g->last_qn_ms + 1;
    g->last_qn_ms = ms;
    int64_t t = (int64_t)(ms / 1000u) + EG_BEIJING_OFFSET_S;
    int32_t day = (int32_t)(t / 86400);
    int sec = (int)(t % 86400);
    int y, m, d;
    eg_civil_from_days(day, &y, &m, &d);
    snprintf(out, 24, "%04d%02d%02d%02d%02d%02d%03d", y, m, d, sec / 3600, sec / 60 % 60, sec % 60,
             (int)(ms % 1000u));
}

void gw__cmds_free(struct gw *g)
{
    for (struct gw_cmd *c = g->cmds, *nx; c; c = nx) {
        nx = c->next;
        eg_free(c);
    }
    g->cmds = NULL;
}

static void record(struct gw *g, const struct gw_cmd *c, const char *state)
{
    struct gw_job *j = gw__job(g, GW_J_CMD, NULL);
    if (!j)
        return;
    j->u.cmd = (struct store_hj212_cmd){
        .id = c->id,
        .state = state,
        .qn = gw__dup(g, c->qn, strlen(c->qn)),
        .tries = c->tries,
        .qn_rtn = c->qn_rtn,
        .exe_rtn = c->exe_rtn,
        .result = gw__dup(g, c->result, strlen(c->result)),
    };
}

static void finish(struct gw *g, struct gw_cmd *c, const char *state)
{
    record(g, c, state);
    for (struct gw_cmd **pp = &g->cmds; *pp; pp = &(*pp)->next)
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    eg_free(c);
}

static int send_cmd(struct gw *g, struct gw_cmd *c)
{
    struct gw_dev *d = gw__dev_find(g, c->mn, strlen(c->mn));
    if (!d || !d->conn || d->conn->closing)
        return EG_ENOTFOUND;
    char buf[1200];
    size_t n = 0;
    struct hj212_hdr h = {
        .qn = hj212_s(c->qn),
        .st = hj212_s(d->st[0] ? d->st : "91"),
        .pw = hj212_s(d->pw),
        .mn = hj212_s(d->mn),
        .cn = c->cn,
        .flag = d->protocol == 2005 ? 1 : 5,
    };
    hj212_crc_kind crc = d->crc == 1   ? HJ212_CRC_MODBUS
                         : d->crc == 2 ? HJ212_CRC_MODBUS_SWAPPED
                                       : HJ212_CRC_STD;
    int rc = hj212_build_raw(buf, sizeof(buf), &h, c->cp, strlen(c->cp), crc, &n);
    if (rc)
        return rc;
    gw__send(d->conn, buf, n);
    return 0;
}

static bool known(struct gw *g, int64_t id)
{
    for (struct gw_cmd *c = g->cmds; c; c = c->next)
        if (c->id == id)
            return true;
    return false;
}

struct poll_ctx {
    struct gw *g;
    size_t n;
};

static int on_pending(void *ud, const struct store_hj212_cmd *sc)
{
    struct poll_ctx *p = ud;
    struct gw *g = p->g;
    if (known(g, sc->id))
        return 0;
    if (p->n >= GW_MAX_CMDS)
        return 1;
    struct gw_cmd *c = eg_calloc(1, sizeof(*c));
    if (!c)
        return EG_ENOMEM;
    c->id = sc->id;
    snprintf(c->mn, sizeof(c->mn), "%s", sc->mn);
    c->cn = sc->cn;
    snprintf(c->cp, sizeof(c->cp), "%s", sc->cp);
    c->qn_rtn = c->exe_rtn = -1;
    c->next = g->cmds;
    g->cmds = c;
    p->n++;
    return 0;
}

void gw__cmd_poll(struct gw *g, uint64_t now_ms)
{
    struct poll_ctx p = {g, 0};
    for (struct gw_cmd *c = g->cmds; c; c = c->next)
        p.n++;
    struct eg_errbuf eb = {0};
    int rc = store_hj212_cmd_each(g->rs, 0, "pending", on_pending, &p, &eb);
    if (rc < 0)
        gw__log(g, GW_LOG_WARN, "reading queued commands: %s", eb.msg);
    uint64_t timeout = (uint64_t)g->o.cmd_timeout_s * 1000u;
    for (struct gw_cmd *c = g->cmds, *nx; c; c = nx) {
        nx = c->next;
        if (!c->sent) {
            gw__make_qn(g, c->qn);
            if (send_cmd(g, c) != 0)
                continue; /* device not connected: stays pending */
            c->sent = true;
            c->tries = 1;
            c->deadline_ms = now_ms + timeout;
            record(g, c, "sent");
            gw__log(g, GW_LOG_INFO, "command %lld (CN %d) sent to %s, QN %s", (long long)c->id,
                    c->cn, c->mn, c->qn);
        } else if (now_ms > c->deadline_ms) {
            if (c->tries > g->o.cmd_retries || send_cmd(g, c) != 0) {
                snprintf(c->result + strlen(c->result), sizeof(c->result) - strlen(c->result),
                         "%sno answer after %d tries", c->result[0] ? "; " : "", c->tries);
                finish(g, c, "timeout");
                continue;
            }
            c->tries++;
            c->deadline_ms = now_ms + timeout;
            record(g, c, "sent");
        }
    }
}

static bool str_is(struct hj212_str s, const char *z)
{
    size_t n = strlen(z);
    return s.p && s.n == n && memcmp(s.p, z, n) == 0;
}

bool gw__cmd_reply(struct gw *g, struct gw_dev *d, const struct hj212_record *r)
{
    if (!g->cmds || !r->qn_effective.p)
        return false;
    struct gw_cmd *c = g->cmds;
    for (; c; c = c->next)
        if (c->sent && !strcmp(c->mn, d->mn) && str_is(r->qn_effective, c->qn))
            break;
    if (!c)
        return false;
    uint64_t timeout = (uint64_t)g->o.cmd_timeout_s * 1000u;
    c->deadline_ms = gw__now_ms() + timeout;
    if (r->cn_num == 9011) {
        c->qn_rtn = r->p.qn_rtn;
        if (c->qn_rtn != 1)
            finish(g, c, "failed");
        else
            record(g, c, "sent");
        return true;
    }
    if (r->cn_num == 9012) {
        c->exe_rtn = r->p.exe_rtn;
        finish(g, c, c->exe_rtn == 1 ? "ok" : "failed");
        return true;
    }
    /* an answer carrying data: keep its CP (bounded) */
    size_t used = strlen(c->result), room = sizeof(c->result) - used;
    if (room > 1 && r->cp.p)
        snprintf(c->result + used, room, "%sCN=%d;%.*s", used ? " | " : "", r->cn_num, (int)r->cp.n,
                 r->cp.p);
    record(g, c, "sent");
    /* 2005 devices answer a time query with the data and no 9012 */
    if (r->cn_num == 1011 && d->protocol == 2005) {
        finish(g, c, "ok");
        return true;
    }
    switch (r->cn_num) {
    case 2011:
    case 2021:
    case 2031:
    case 2041:
    case 2051:
    case 2061:
    case 3020:
        return false; /* also stored as a reading (and acknowledged if asked) */
    default:
        return true;
    }
}
