/* gateway-int.h — private to src/gateway/: the server, connection, device and batch structures
 * shared by server.c (libuv loop and connections), frames.c (what each frame means), writer.c
 * (the group-commit thread) and downlink.c (commands to devices).
 *
 * Threads: everything runs on the loop thread except writer.c's thread, which owns its own
 * struct store and touches only batches handed to it under g->mu.  A batch's jobs hold a
 * reference on their connection, so a connection closed while its frames are being committed
 * is freed only when the last batch comes back.
 */
#ifndef GATEWAY_INT_H
#define GATEWAY_INT_H

#include <pthread.h>
#include <uv.h>

#include "common/eg_mem.h"
#include "gateway.h"
#include "hj212/hj212.h"
#include "store/store.h"

#define GW_RBUF         65536 /* one shared read buffer: read_cb consumes it before the next read */
#define GW_MAX_ITEMS    256   /* per-frame parse limits */
#define GW_MAX_FIELDS   4096
#define GW_MAX_PARAMS   128
#define GW_MAX_EXTRA    16
#define GW_DEV_BUCKETS  16384
#define GW_STATE_ROUNDS 10   /* device states are written within this many sweeps */
#define GW_STATE_MAX    1000 /* device states written per sweep (not at shutdown) */
#define GW_PEER_MAX     48
#define GW_ACK_MAX      512 /* a 9011/9013/9014 reply */

struct gw;
struct gw_conn;

/* A registered device and its live state (loop thread only). */
struct gw_dev {
    struct gw_dev *next; /* hash chain */
    char mn[STORE_HJ212_MN_MAX + 1];
    char pw[STORE_HJ212_PW_MAX + 1];
    char point[33];
    char st[4];
    int protocol, crc;
    bool enabled, registered;
    bool dirty;                 /* state changed since the last flush */
    bool urgent;                /* online/offline changed: flush at the next sweep */
    struct store_hj212_state s; /* s.mn and s.peer point into this struct */
    char peer[GW_PEER_MAX];
    struct gw_conn *conn;  /* connection that last named this device */
    int64_t alarm_hour_ms; /* hour whose missing 2061 was already reported */
};

struct gw_conn {
    uv_tcp_t tcp; /* first: handle pointers convert */
    struct gw *g;
    struct gw_conn *prev, *next; /* all connections */
    struct gw_conn *next_dirty;  /* replies to flush after a commit */
    struct gw_dev *dev;          /* device named by the last valid frame */
    char *tail; /* unfinished frame bytes carried to the next read (NULL when none) */
    size_t tail_len;
    char *out; /* replies waiting to be written */
    size_t out_len, out_cap;
    uv_write_t wreq;
    char *wbuf;    /* the bytes of wreq while it is in flight */
    uint32_t refs; /* 1 while open + one per job in a batch */
    bool closing, writing, dirty, paused, crc_known;
    uint8_t crc;
    uint64_t last_ms;
    char peer[GW_PEER_MAX];
};

enum gw_job_kind { GW_J_READING, GW_J_QUAR, GW_J_STATE, GW_J_ALARM, GW_J_CMD };

struct gw_job {
    enum gw_job_kind kind;
    struct gw_conn *conn; /* holds a reference when set */
    struct gw_dev *dev;
    const char *ack; /* reply to send after the commit (arena), NULL = none */
    size_t ack_len;
    int values, replaced; /* filled by the writer */
    union {
        struct store_hj212_reading r;
        struct {
            const char *mn, *peer, *frame;
            size_t frame_len;
            int64_t t;
        } q;
        struct store_hj212_state st;
        struct store_hj212_alarm al;
        struct store_hj212_cmd cmd;
    } u;
};

struct gw_batch {
    struct gw_batch *next;
    struct eg_arena arena;
    struct gw_job *jobs;
    size_t n, cap;
    int rc; /* the writer's result: 0 = committed */
    char err[256];
};

/* A downlink in flight (downlink.c). */
struct gw_cmd {
    struct gw_cmd *next;
    int64_t id;
    char mn[STORE_HJ212_MN_MAX + 1];
    int cn;
    char cp[960];
    char qn[24];
    int tries;
    int qn_rtn, exe_rtn;
    uint64_t deadline_ms;
    char result[960];
    bool sent;
};

struct gw {
    struct gw_opts o;
    uv_loop_t loop;
    uv_tcp_t listener;
    uv_signal_t sigterm, sigint;
    uv_timer_t sweep;
    uv_check_t check;
    uv_async_t done_async;
    bool listening, draining, stopping;
    int port;
    struct store *rs; /* the loop thread's connection (registry, commands) */
    struct eg_errbuf eb;
    int fatal;

    /* connections */
    struct gw_conn *conns, *conns_tail; /* least recently read first */
    size_t nconns;
    struct gw_conn *dirty;
    char rbuf[GW_RBUF];
    char *scratch; /* tail + a read, framed contiguously */
    void *fmem[3];
    struct hj212_framer *framer[3]; /* one per CRC kind, shared by all connections */
    size_t fmem_size;

    /* parse arrays (shared; one frame at a time) */
    struct hj212_record rec;
    struct hj212_pair extra[GW_MAX_EXTRA], params[GW_MAX_PARAMS];
    struct hj212_item items[GW_MAX_ITEMS];
    struct hj212_field fields[GW_MAX_FIELDS];
    unsigned char vals[STORE_HJ212_VALS_MAX];

    /* registry */
    struct gw_dev *dev[GW_DEV_BUCKETS];
    struct gw_dev anon; /* connections that never named a device */
    size_t ndev;
    struct gw_limit *limits;
    size_t nlimits;
    int64_t registry_stamp; /* store_hj212_registry_stamp at the last load */
    bool registry_loaded;
    unsigned state_round; /* which tenth of the buckets gw__flush_states writes next */

    /* batches: fill (loop) -> queued (writer) -> done (loop) */
    struct gw_batch *fill;
    pthread_t writer;
    bool writer_started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct gw_batch *queued, *done, *free_batches;
    bool writer_stop;
    size_t in_flight;      /* batches handed to the writer and not yet back */
    size_t pending_frames; /* frames in batches not yet back */
    bool paused;

    /* downlinks */
    struct gw_cmd *cmds;
    uint64_t last_qn_ms;

    struct gw_stats stats;
    unsigned ticks;
    bool states_loaded;
    bool final_states; /* the states were written after the last commit of a drain */
};

struct gw_limit {
    char point[33];
    char item[17];
    int64_t num;
    int scale;
};

/* server.c */
void gw__log(struct gw *g, enum gw_log_level lv, const char *fmt, ...) EG_PRINTF(3, 4);
uint64_t gw__now_ms(void);
/* Queue bytes on a connection now (replies that need no commit). */
void gw__send(struct gw_conn *c, const char *data, size_t n);
void gw__conn_unref(struct gw_conn *c);
void gw__flush_dirty(struct gw *g);
void gw__pause_reading(struct gw *g);

/* frames.c */
struct gw_dev *gw__dev_find(struct gw *g, const char *mn, size_t n);
int gw__registry_load(struct gw *g, struct eg_errbuf *eb);
void gw__on_frame(struct gw_conn *c, const struct hj212_event *ev);
void gw__on_reject(struct gw_conn *c, hj212_reject reason);
void gw__conn_closed(struct gw_conn *c);
void gw__sweep(struct gw *g, uint64_t now_ms);
void gw__flush_states(struct gw *g, bool all_offline);
/* A new job in the fill batch (NULL when out of memory: the frame is dropped unacknowledged).
 * The job and everything gw__dup'ed for it must be filled in before the next gw__job call, which
 * may hand the fill batch (max_txn jobs) to the writer. */
struct gw_job *gw__job(struct gw *g, enum gw_job_kind kind, struct gw_conn *c);
char *gw__dup(struct gw *g, const char *s, size_t n);

/* writer.c */
int gw__writer_start(struct gw *g, struct eg_errbuf *eb);
void gw__writer_stop(struct gw *g);
void gw__batch_submit(struct gw *g);
void gw__batches_done(struct gw *g); /* loop thread: release acks of committed batches */
void gw__batch_free(struct gw_batch *b);

/* downlink.c */
void gw__cmd_poll(struct gw *g, uint64_t now_ms);
/* A frame that may answer a downlink; returns true when it was one (consumed). */
bool gw__cmd_reply(struct gw *g, struct gw_dev *d, const struct hj212_record *r);
void gw__make_qn(struct gw *g, char out[24]);
void gw__cmds_free(struct gw *g);

#endif
