/* writer.c — the gateway's group commit: one thread, its own store connection (WAL,
 * synchronous = FULL), and batches of jobs handed over by the loop.
 *
 * The loop fills a batch while the writer commits the previous ones; after each poll phase
 * (uv_check) the filled batch is queued.  The writer takes every queued batch, writes them in ONE
 * transaction (or one per max_txn frames after a backlog), commits (the commit returns only after
 * the WAL is fsynced), and hands the batches back through a uv_async; only then does the loop
 * send the 9014s they carry.  When max_pending frames wait, the loop stops reading every
 * connection until the writer has caught up by half (server.c).  There is no fixed
 * timer: a commit takes what arrived during the previous one, so batches grow with load and a
 * lone frame is committed at once (well within the one second the issue allows).  If a commit
 * fails, the batch's acks are never sent (the devices re-send) and the error is logged.
 */
#include <string.h>

#include "gateway-int.h"

void gw__batch_free(struct gw_batch *b)
{
    if (!b)
        return;
    eg_arena_done(&b->arena);
    eg_free(b->jobs);
    eg_free(b);
}

static int write_job(struct store *s, struct gw_job *j, struct eg_errbuf *eb)
{
    switch (j->kind) {
    case GW_J_READING:
        return store_hj212_reading_put(s, &j->u.r, &j->values, &j->replaced, eb);
    case GW_J_QUAR:
        return store_hj212_quarantine_put(s, j->u.q.mn, j->u.q.peer, j->u.q.t, j->u.q.frame,
                                          j->u.q.frame_len, eb);
    case GW_J_STATE:
        return store_hj212_state_put(s, &j->u.st, eb);
    case GW_J_ALARM:
        return store_hj212_alarm_add(s, &j->u.al, eb);
    case GW_J_CMD:
        return store_hj212_cmd_update(s, &j->u.cmd, eb);
    }
    return 0;
}

/* Write the jobs of the batches in list in one transaction and commit it; each batch's rc (and
 * err) tells the loop whether its acks may go out. */
static void commit_txn(struct store *s, struct gw_batch *list)
{
    struct eg_errbuf eb = {0};
    int rc = store_begin(s, &eb);
    for (struct gw_batch *b = list; b && !rc; b = b->next)
        for (size_t i = 0; i < b->n && !rc; i++) {
            rc = write_job(s, &b->jobs[i], &eb);
            if (rc == EG_EINVAL || rc == EG_ELIMIT) { /* this job only: skip it */
                b->jobs[i].ack = NULL;
                rc = 0;
            }
        }
    if (!rc)
        rc = store_commit(s, &eb);
    else
        store_rollback(s);
    for (struct gw_batch *b = list; b; b = b->next) {
        b->rc = rc;
        if (rc)
            memcpy(b->err, eb.msg, sizeof(b->err) - 1);
    }
}

struct writer_arg {
    struct gw *g;
    struct store *s;
};

static void *writer_main(void *arg)
{
    struct writer_arg *wa = arg;
    struct gw *g = wa->g;
    struct store *s = wa->s;
    eg_free(wa);
    for (;;) {
        pthread_mutex_lock(&g->mu);
        while (!g->queued && !g->writer_stop)
            pthread_cond_wait(&g->cv, &g->mu);
        struct gw_batch *list = g->queued;
        g->queued = NULL;
        bool stop = g->writer_stop;
        pthread_mutex_unlock(&g->mu);
        if (!list) {
            if (stop)
                break;
            continue;
        }
        /* queued is LIFO: restore arrival order so a re-sent value replaces the older one */
        struct gw_batch *rev = NULL;
        while (list) {
            struct gw_batch *nx = list->next;
            list->next = rev;
            rev = list;
            list = nx;
        }
        /* one transaction per max_txn frames (at least one batch), so that a backlog is
         * committed in bounded steps and its acks go out as each step is durable */
        while (rev) {
            struct gw_batch *txn = rev, *last = rev;
            size_t n = rev->n;
            while (last->next && n + last->next->n <= g->o.max_txn) {
                last = last->next;
                n += last->n;
            }
            rev = last->next;
            last->next = NULL;
            commit_txn(s, txn);
            pthread_mutex_lock(&g->mu); /* appended: acks go out in commit order */
            struct gw_batch **tail = &g->done;
            while (*tail)
                tail = &(*tail)->next;
            *tail = txn;
            pthread_mutex_unlock(&g->mu);
            uv_async_send(&g->done_async);
        }
    }
    store_close(s);
    return NULL;
}

int gw__writer_start(struct gw *g, struct eg_errbuf *eb)
{
    struct store *s = NULL;
    int rc;
    if ((rc = store_open(g->o.db_path, 0, &s, eb)) || (rc = store_hj212_durable(s, eb))) {
        store_close(s);
        return rc;
    }
    struct writer_arg *wa = eg_malloc(sizeof(*wa));
    if (!wa) {
        store_close(s);
        return eg_errf(eb, EG_ENOMEM, "out of memory");
    }
    wa->g = g;
    wa->s = s;
    if (pthread_create(&g->writer, NULL, writer_main, wa) != 0) {
        eg_free(wa);
        store_close(s);
        return eg_errf(eb, EG_EIO, "cannot start the writer thread");
    }
    pthread_setname_np(g->writer, "envgov-writer"); /* for top, perf and the benchmark */
    g->writer_started = true;
    return 0;
}

void gw__writer_stop(struct gw *g)
{
    if (!g->writer_started)
        return;
    pthread_mutex_lock(&g->mu);
    g->writer_stop = true;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
    pthread_join(g->writer, NULL);
    g->writer_started = false;
}

void gw__batch_submit(struct gw *g)
{
    struct gw_batch *b = g->fill;
    if (!b || b->n == 0 || !g->writer_started)
        return;
    g->fill = NULL;
    g->in_flight++;
    g->pending_frames += b->n;
    pthread_mutex_lock(&g->mu);
    b->next = g->queued;
    g->queued = b;
    pthread_cond_signal(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

void gw__batches_done(struct gw *g)
{
    pthread_mutex_lock(&g->mu);
    struct gw_batch *list = g->done;
    g->done = NULL;
    pthread_mutex_unlock(&g->mu);
    for (struct gw_batch *b = list, *nx; b; b = nx) {
        nx = b->next;
        g->stats.commits++;
        if (b->rc) {
            g->stats.commit_errors++;
            gw__log(g, GW_LOG_ERROR, "commit of %zu jobs failed, their acks withheld: %s", b->n,
                    b->err);
        }
        for (size_t i = 0; i < b->n; i++) {
            struct gw_job *j = &b->jobs[i];
            if (!b->rc && j->kind == GW_J_READING && j->dev) {
                j->dev->s.values += j->values;
                j->dev->s.replaced += j->replaced;
                j->dev->dirty = true;
                g->stats.values += (uint64_t)j->values;
                g->stats.replaced += (uint64_t)j->replaced;
            }
            if (j->conn) {
                if (!b->rc && j->ack && !j->conn->closing) {
                    gw__send(j->conn, j->ack, j->ack_len);
                    g->stats.acks++;
                }
                gw__conn_unref(j->conn);
            }
        }
        g->in_flight--;
        g->pending_frames -= b->n;
        eg_arena_done(&b->arena);
        eg_arena_init(&b->arena, 0);
        b->n = 0;
        b->rc = 0;
        b->next = g->free_batches;
        g->free_batches = b;
    }
    gw__flush_dirty(g);
}
