/* test_gateway.c — integration tests of the HJ 212 gateway through the real `envgov` binary on an
 * ephemeral loopback port (127.0.0.1 only).
 *
 * 1. Mixed traffic over several connections cut into random chunks (1 byte and up), frames cut at
 *    every byte boundary and glued to the next one, garbage between frames, wrong CRC, wrong
 *    length, wrong PW, unknown MN, sub-packets with and without acks, re-sent values: every valid
 *    value is stored exactly once (data export), nothing else; the unknown MN is quarantined, the
 *    wrong PW counted (device list / show); every requested 9014 arrives.
 * 2. Ack after commit: on receiving a 9014 the value is already in the database (read directly).
 * 3. kill -9 under load, restart, repeated: every acknowledged value is present.
 * 4. `hj212 parse` over the real 2016 capture gives the reference counts.
 * 5. Backpressure: with a tiny --max-pending and --max-txn, bursts from every connection make
 *    the gateway stop and resume reading many times; still every value exactly once, every ack.
 * 6. `envgov sim --burst --window` against the gateway: every frame acknowledged and stored.
 * 7. A device registered while the gateway runs is accepted within the reload period.
 *
 * Usage: test_gateway ENVGOV HJ212_DATA_DIR
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "hj212/hj212.h"

static const char *envgov, *datadir;
static char tmpdir[256], db[512], portfile[512];
static pid_t server = -1;
static int port;

#define NDEV 6

__attribute__((format(printf, 1, 2))) static int sh(const char *fmt, ...)
{
    char cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Start `envgov serve` on an ephemeral port; extra (up to 7 arguments, NULL-terminated) are
 * appended, and without them the server runs --quiet. */
static void start_server_with(const char *const *extra)
{
    unlink(portfile);
    server = fork();
    assert_true(server >= 0);
    if (server == 0) {
        char log[600];
        snprintf(log, sizeof(log), "%s/serve.log", tmpdir);
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            close(fd);
        }
        const char *argv[16] = {envgov,        "--db",        db,      "serve", "--hj212",
                                "127.0.0.1:0", "--port-file", portfile};
        int n = 8;
        if (!extra)
            argv[n++] = "--quiet";
        for (; extra && *extra && n < 15; extra++)
            argv[n++] = *extra;
        argv[n] = NULL;
        execv(envgov, (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    for (int i = 0; i < 500; i++) {
        FILE *fp = fopen(portfile, "r");
        if (fp) {
            int ok = fscanf(fp, "%d", &port);
            fclose(fp);
            if (ok == 1 && port > 0)
                return;
        }
        usleep(10000);
    }
    fail_msg("the gateway did not start");
}

static void start_server(void)
{
    start_server_with(NULL);
}

static int stop_server(int sig)
{
    int st = 0;
    kill(server, sig);
    waitpid(server, &st, 0);
    server = -1;
    return st;
}

static int connect_gw(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        assert_true(k > 0);
        p += k;
        n -= (size_t)k;
    }
}

/* Count 9014 lines received within ms milliseconds (stops early once `want` arrived). */
static int read_acks(int fd, int want, int ms)
{
    char buf[65536];
    int got = 0;
    struct timeval tv = {0, 50000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (int waited = 0; got < want && waited < ms;) {
        ssize_t k = recv(fd, buf, sizeof(buf) - 1, 0);
        if (k <= 0) {
            waited += 50;
            continue;
        }
        buf[k] = 0;
        for (char *p = buf; (p = strstr(p, "CN=9014")); p += 7)
            got++;
    }
    return got;
}

static char devmn[NDEV][32];

/* A 2011 frame of device d at DataTime second `sec` of 2024-05-01 with `nitems` items. */
static size_t frame(char *out, size_t cap, int d, int cn, int sec, bool ack, const char *pw,
                    const char *mn, int pnum, int pno, int first_item, int nitems)
{
    char cp[900], qn[24];
    int n = snprintf(cp, sizeof(cp), "DataTime=20240501%02d%02d%02d", sec / 3600 % 24,
                     sec / 60 % 60, sec % 60);
    for (int i = first_item; i < first_item + nitems; i++)
        n += snprintf(cp + n, sizeof(cp) - (size_t)n, ";w%05d-Rtd=%d.%02d,w%05d-Flag=N", i + 1,
                      d * 100 + sec % 97, i, i + 1);
    snprintf(qn, sizeof(qn), "20240501%06d%03d", sec % 1000000, pno > 0 ? pno : 0);
    struct hj212_hdr h = {.qn = hj212_s(qn),
                          .st = hj212_s("32"),
                          .pw = hj212_s(pw),
                          .mn = hj212_s(mn ? mn : devmn[d]),
                          .cn = cn,
                          .flag = 4 | (ack ? 1 : 0) | (pnum > 0 ? 2 : 0),
                          .pnum = pnum,
                          .pno = pno};
    size_t len = 0;
    assert_int_equal(hj212_build_raw(out, cap, &h, cp, (size_t)n, HJ212_CRC_STD, &len), 0);
    return len;
}

static int export_count(const char *filter, const char *grep)
{
    char out[600];
    snprintf(out, sizeof(out), "%s/export.ndjson", tmpdir);
    assert_int_equal(
        sh("%s --db %s data export %s --format ndjson > %s", envgov, db, filter ? filter : "", out),
        0);
    FILE *fp = fopen(out, "r");
    assert_non_null(fp);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof(line), fp))
        if (!grep || strstr(line, grep))
            n++;
    fclose(fp);
    return n;
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/envgov-gw-XXXXXX", t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(tmpdir));
    snprintf(db, sizeof(db), "%s/gw.db", tmpdir);
    snprintf(portfile, sizeof(portfile), "%s/port", tmpdir);
    char csv[600];
    snprintf(csv, sizeof(csv), "%s/devices.csv", tmpdir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fprintf(fp, "mn,pw,point,st\n");
    for (int d = 0; d < NDEV; d++) {
        snprintf(devmn[d], sizeof(devmn[d]), "TESTMN%04d", d);
        fprintf(fp, "%s,123456,PT%d,32\n", devmn[d], d);
    }
    fclose(fp);
    assert_int_equal(sh("%s --db %s import devices %s 2>/dev/null", envgov, db, csv), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (server > 0)
        stop_server(SIGKILL);
    if (!getenv("KEEP_TMP"))
        sh("rm -rf %s", tmpdir);
    return 0;
}

static void test_mixed_traffic(void **state)
{
    (void)state;
    start_server();
    static char stream[NDEV][400000];
    size_t slen[NDEV] = {0};
    int expect_acks[NDEV] = {0}, expected_values = 0;
    char f[2048];
    srand(212);
    for (int d = 0; d < NDEV; d++) {
        for (int k = 0; k < 200; k++) {
            bool ack = k % 3 == 0;
            size_t n = frame(f, sizeof(f), d, 2011, k * 30, ack, "123456", NULL, 0, 0, 0, 5);
            memcpy(stream[d] + slen[d], f, n);
            slen[d] += n;
            expected_values += 5;
            expect_acks[d] += ack;
            switch (k % 10) {
            case 1: /* garbage, a DTU registration string and a lone '#' */
                slen[d] +=
                    (size_t)snprintf(stream[d] + slen[d], 64, "\x01\xff junk ##test1391234#");
                break;
            case 2: { /* wrong CRC */
                size_t m =
                    frame(f, sizeof(f), d, 2011, 100000 + k, true, "123456", NULL, 0, 0, 0, 3);
                f[m - 3] = f[m - 3] == '0' ? '1' : '0';
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                break;
            }
            case 3: { /* bytes lost: wrong length */
                size_t m =
                    frame(f, sizeof(f), d, 2011, 110000 + k, true, "123456", NULL, 0, 0, 0, 3);
                memmove(f + 20, f + 21, m - 21);
                memcpy(stream[d] + slen[d], f, m - 1);
                slen[d] += m - 1;
                break;
            }
            case 4: { /* wrong password: rejected (9011 QnRtn=3, no 9014) */
                size_t m =
                    frame(f, sizeof(f), d, 2011, 120000 + k, false, "999999", NULL, 0, 0, 0, 3);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                break;
            }
            case 5: { /* unknown MN: quarantined */
                size_t m = frame(f, sizeof(f), d, 2011, 130000 + k, false, "123456", "UNKNOWN01", 0,
                                 0, 0, 3);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                break;
            }
            case 6: { /* a data set in two sub-packets, both acknowledged */
                size_t m =
                    frame(f, sizeof(f), d, 2061, 3600 * (k / 10), true, "123456", NULL, 2, 1, 0, 4);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                m = frame(f, sizeof(f), d, 2061, 3600 * (k / 10), true, "123456", NULL, 2, 2, 4, 3);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                expect_acks[d] += 2;
                expected_values += 7;
                break;
            }
            case 7: { /* sub-packets without acks */
                size_t m = frame(f, sizeof(f), d, 2051, 60 * k, false, "123456", NULL, 2, 1, 0, 2);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                m = frame(f, sizeof(f), d, 2051, 60 * k, false, "123456", NULL, 2, 2, 2, 2);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                expected_values += 4;
                break;
            }
            case 8: { /* a re-sent frame: replaces, not duplicated */
                size_t m =
                    frame(f, sizeof(f), d, 2011, (k - 1) * 30, false, "123456", NULL, 0, 0, 0, 5);
                memcpy(stream[d] + slen[d], f, m);
                slen[d] += m;
                break;
            }
            default:
                break;
            }
        }
    }
    int fds[NDEV];
    for (int d = 0; d < NDEV; d++)
        fds[d] = connect_gw();
    /* interleave random chunks over the connections */
    size_t pos[NDEV] = {0};
    for (bool more = true; more;) {
        more = false;
        for (int d = 0; d < NDEV; d++) {
            if (pos[d] >= slen[d])
                continue;
            more = true;
            size_t k = (size_t)(rand() % 3 == 0 ? 1 : rand() % 1500 + 1);
            if (k > slen[d] - pos[d])
                k = slen[d] - pos[d];
            send_all(fds[d], stream[d] + pos[d], k);
            pos[d] += k;
        }
    }
    /* a frame cut at every byte boundary, the rest glued to the next frame */
    int fd = connect_gw();
    char a[2048], b[2048];
    size_t an = frame(a, sizeof(a), 0, 2011, 200000, true, "123456", NULL, 0, 0, 0, 2);
    int cut_acks = 0;
    for (size_t k = 1; k < an; k++) {
        size_t n1 = frame(a, sizeof(a), 0, 2011, 200000 + (int)k, true, "123456", NULL, 0, 0, 0, 2);
        size_t n2 =
            frame(b, sizeof(b), 1, 2011, 200000 + (int)k, false, "123456", NULL, 0, 0, 0, 2);
        send_all(fd, a, k < n1 ? k : n1 - 1);
        usleep(300);
        char glue[4096];
        size_t first = k < n1 ? k : n1 - 1;
        memcpy(glue, a + first, n1 - first);
        memcpy(glue + n1 - first, b, n2);
        send_all(fd, glue, n1 - first + n2);
        expected_values += 4;
        cut_acks++;
    }
    int got = read_acks(fd, cut_acks, 10000);
    assert_int_equal(got, cut_acks);
    for (int d = 0; d < NDEV; d++) {
        got = read_acks(fds[d], expect_acks[d], 10000);
        assert_int_equal(got, expect_acks[d]);
        close(fds[d]);
    }
    close(fd);
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* every valid value exactly once, nothing else */
    assert_int_equal(export_count(NULL, NULL), expected_values);
    assert_int_equal(export_count(NULL, "UNKNOWN01"), 0);
    assert_int_equal(export_count("--mn TESTMN0001", NULL), 1220 + 2 * cut_acks);
    /* quarantine and wrong PW visible in device output */
    assert_int_equal(
        sh("%s --db %s device list --format csv | grep -q '^UNKNOWN01,,unregistered'", envgov, db),
        0);
    assert_int_equal(
        sh("%s --db %s device show TESTMN0002 --format json | grep -q '\"pw\": *20'", envgov, db),
        0);
    assert_int_equal(sh("%s --db %s device show TESTMN0002 --format json | grep -q "
                        "'\"replaced\": *[1-9]'",
                        envgov, db),
                     0);
}

/* On receiving a 9014 the values are in the database already. */
static void test_ack_after_commit(void **state)
{
    (void)state;
    start_server();
    int fd = connect_gw();
    sqlite3 *h;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(h, 2000);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT count(*) FROM hj212_reading WHERE mn = ?1 AND "
                                        "cn = 2011 AND t = ?2",
                                        -1, &q, NULL),
                     SQLITE_OK);
    for (int i = 0; i < 30; i++) {
        char f[2048];
        int sec = 300000 + i;
        size_t n = frame(f, sizeof(f), 3, 2011, sec, true, "123456", NULL, 0, 0, 0, 3);
        send_all(fd, f, n);
        assert_int_equal(read_acks(fd, 1, 5000), 1);
        /* 2024-05-01 00:00 +08:00 = 1714492800 */
        sqlite3_bind_text(q, 1, devmn[3], -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, (1714492800LL + sec % 86400) * 1000);
        assert_int_equal(sqlite3_step(q), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(q, 0), 1);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    sqlite3_close(h);
    close(fd);
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* An enterprise's file (一企一档) shows its outlet's device and the newest hourly data the gateway
 * stored for it (issue 5: "outlets and their latest data"). */
static void test_enterprise_file(void **state)
{
    (void)state;
    start_server();
    int fd = connect_gw();
    char f[2048];
    size_t n = frame(f, sizeof(f), 5, 2061, 7200, true, "123456", NULL, 0, 0, 0, 2);
    send_all(fd, f, n);
    assert_int_equal(read_acks(fd, 1, 5000), 1);
    close(fd);
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char csv[600], out[600];
    snprintf(csv, sizeof(csv), "%s/ent.csv", tmpdir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    /* a real code (China National Petroleum's, as in tests/cli/test_cli_supervise.c) */
    fprintf(fp, "uscc,name,industry,region,address,lon,lat\n"
                "91110000710925462X,测试企业,2511,211103,兴隆台区,122.07,41.12\n");
    fclose(fp);
    assert_int_equal(sh("%s --db %s import enterprises %s 2>/dev/null", envgov, db, csv), 0);
    assert_int_equal(sh("%s --db %s enterprise outlet 91110000710925462X --code DW001 "
                        "--medium water --mn %s --point PT5 2>/dev/null",
                        envgov, db, devmn[5]),
                     0);
    snprintf(out, sizeof(out), "%s/ent.json", tmpdir);
    assert_int_equal(
        sh("%s --db %s enterprise show 91110000710925462X --format json > %s", envgov, db, out), 0);
    fp = fopen(out, "r");
    assert_non_null(fp);
    static char text[1 << 16];
    size_t k = fread(text, 1, sizeof(text) - 1, fp);
    text[k] = 0;
    fclose(fp);
    assert_non_null(strstr(text, "\"mn\":\"TESTMN0005\""));
    assert_non_null(strstr(text, "\"status\":\"offline\""));
    /* the newest hourly data set of the device (earlier tests sent later hours of the day) */
    assert_non_null(strstr(text, "\"latest\":{\"cn\":\"2061\",\"time\":\"2024-05-01T"));
    assert_non_null(strstr(text, "\"w00001\":{\"Rtd\":"));
}

/* kill -9 under load; every acknowledged value must be there after a restart. */
static void test_kill9(void **state)
{
    (void)state;
    enum { CONNS = 4, ROUNDS = 5, PER = 16000 }; /* DataTimes of a round stay in one day */
    for (int round = 0; round < ROUNDS; round++) {
        start_server();
        int fds[CONNS];
        for (int c = 0; c < CONNS; c++) {
            fds[c] = connect_gw();
            fcntl(fds[c], F_SETFL, O_NONBLOCK);
        }
        int acked[CONNS] = {0}, sent[CONNS] = {0};
        char buf[65536];
        struct timespec t0, t;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        long kill_after_ms = 300 + 150 * round;
        for (;;) {
            for (int c = 0; c < CONNS; c++) {
                if (sent[c] < PER && sent[c] - acked[c] < 50) {
                    char f[2048];
                    int sec = round * 16000 + sent[c];
                    size_t n = frame(f, sizeof(f), c, 2031, sec, true, "123456", NULL, 0, 0, 0, 4);
                    fcntl(fds[c], F_SETFL, 0);
                    send_all(fds[c], f, n);
                    fcntl(fds[c], F_SETFL, O_NONBLOCK);
                    sent[c]++;
                }
                ssize_t k = recv(fds[c], buf, sizeof(buf) - 1, 0);
                if (k > 0) {
                    buf[k] = 0;
                    for (char *p = buf; (p = strstr(p, "CN=9014")); p += 7)
                        acked[c]++;
                }
            }
            clock_gettime(CLOCK_MONOTONIC, &t);
            long ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
            if (ms >= kill_after_ms)
                break;
        }
        stop_server(SIGKILL);
        for (int c = 0; c < CONNS; c++)
            close(fds[c]);
        /* restart (recovery of the WAL), then check every acknowledged frame: acks come in
         * order, so frames 0 … acked-1 of each connection must be stored */
        start_server();
        stop_server(SIGTERM);
        int total_acked = 0;
        for (int c = 0; c < CONNS; c++) {
            char filter[128];
            snprintf(filter, sizeof(filter), "--mn %s", devmn[c]);
            static int cnt[PER];
            memset(cnt, 0, sizeof(cnt));
            char out[600], line[4096];
            snprintf(out, sizeof(out), "%s/k9.ndjson", tmpdir);
            assert_int_equal(
                sh("%s --db %s data export %s --format ndjson > %s", envgov, db, filter, out), 0);
            FILE *fp = fopen(out, "r");
            assert_non_null(fp);
            int base = round * 16000;
            while (fgets(line, sizeof(line), fp)) {
                const char *p = strstr(line, "\"cn\":\"2031\",\"time\":\"2024-05-01T");
                int hh, mi, ss;
                if (!p || sscanf(p + 31, "%2d:%2d:%2d", &hh, &mi, &ss) != 3)
                    continue;
                int k = hh * 3600 + mi * 60 + ss - base;
                if (k >= 0 && k < PER)
                    cnt[k]++;
            }
            fclose(fp);
            int have = 0;
            for (int i = 0; i < acked[c]; i++) {
                if (cnt[i] != 4)
                    fail_msg("round %d conn %d: acknowledged frame %d has %d of 4 values", round, c,
                             i, cnt[i]);
                have++;
            }
            total_acked += have;
        }
        print_message("kill -9 round %d after %ld ms: %d acknowledged frames all present\n", round,
                      kill_after_ms, total_acked);
    }
}

/* Backpressure: every connection sends a long burst at once while at most 64 frames may wait for
 * the commit (and 16 go in one transaction), so the gateway stops and resumes reading all
 * connections many times.  Nothing is lost or doubled, every ack arrives, and the stop line counts
 * the pauses. */
static void test_backpressure(void **state)
{
    (void)state;
    enum { PER = 600, ITEMS = 3 };
    const char *const opts[] = {"--max-pending", "64", "--max-txn", "16", NULL};
    start_server_with(opts);
    static char stream[NDEV][PER * 400];
    int fds[NDEV];
    for (int d = 0; d < NDEV; d++) {
        size_t len = 0;
        for (int k = 0; k < PER; k++) /* items w00051-w00053: used by no other test */
            len += frame(stream[d] + len, sizeof(stream[d]) - len, d, 2051, 60 * k, true, "123456",
                         NULL, 0, 0, 50, ITEMS);
        fds[d] = connect_gw();
        send_all(fds[d], stream[d], len);
    }
    for (int d = 0; d < NDEV; d++) {
        assert_int_equal(read_acks(fds[d], PER, 20000), PER);
        close(fds[d]);
    }
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    assert_int_equal(export_count(NULL, "\"item\":\"w0005"), NDEV * PER * ITEMS);
    /* the stop line: "..., N commits, M read pauses" with M > 0 */
    assert_int_equal(sh("grep 'read pauses' %s/serve.log | tail -1 | "
                        "grep -Eq ' [1-9][0-9]* read pauses$'",
                        tmpdir),
                     0);
}

/* The load generator: bursts of 5 frames, at most 10 unanswered per device; every frame it sent
 * is acknowledged and every value (6 per frame) stored. */
static void test_sim(void **state)
{
    (void)state;
    char csv[600], out[600];
    snprintf(csv, sizeof(csv), "%s/sim.csv", tmpdir);
    snprintf(out, sizeof(out), "%s/sim.json", tmpdir);
    /* 70 registered (more than one growth of the device list's arrays), 4 simulated */
    assert_int_equal(sh("%s sim --devices 70 --mn-prefix SIMT --devices-csv %s && "
                        "%s --db %s import devices %s 2>/dev/null",
                        envgov, csv, envgov, db, csv),
                     0);
    start_server();
    assert_int_equal(sh("%s sim --devices 4 --mn-prefix SIMT --rate 400 --burst 5 --window 10 "
                        "--ack-all --duration 2 --json --to 127.0.0.1:%d > %s",
                        envgov, port, out),
                     0);
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    FILE *fp = fopen(out, "r");
    assert_non_null(fp);
    char line[1024];
    assert_non_null(fgets(line, sizeof(line), fp));
    fclose(fp);
    long sent = -1, acked = -2;
    const char *p = strstr(line, "\"sent\":"), *q = strstr(line, "\"acked\":");
    assert_non_null(p);
    assert_non_null(q);
    sent = strtol(p + 7, NULL, 10);
    acked = strtol(q + 8, NULL, 10);
    assert_true(sent >= 400); /* 2 s at 400 frames/s, less what the start-up costs */
    assert_int_equal(acked, sent);
    assert_non_null(strstr(line, "\"burst\":5"));
    assert_int_equal(export_count(NULL, "\"mn\":\"SIMT"), 6 * sent);
    /* every registered device listed once, by its own MN, the 4 that sent with their values */
    assert_int_equal(
        sh("test \"$(%s --db %s device list --format csv | grep -c '^SIMT0000[0-6][0-9],P')\" "
           "= 70",
           envgov, db),
        0);
    assert_int_equal(sh("%s --db %s device list --format csv | awk -F, '/^SIMT/ {s += $8} END "
                        "{exit s != %ld}'",
                        envgov, db, 6 * sent),
                     0);
}

/* A device registered while the gateway runs: quarantined before, accepted within seconds after
 * (the gateway polls the registry stamp every 5 s). */
static void test_registry_reload(void **state)
{
    (void)state;
    start_server();
    int fd = connect_gw();
    char f[2048], csv[600];
    size_t n = frame(f, sizeof(f), 0, 2011, 500000, true, "123456", "LATE0001", 0, 0, 0, 2);
    send_all(fd, f, n);
    assert_int_equal(read_acks(fd, 1, 1500), 0); /* unknown: 9011 QnRtn=4, no 9014 */
    snprintf(csv, sizeof(csv), "%s/late.csv", tmpdir);
    FILE *fp = fopen(csv, "w");
    assert_non_null(fp);
    fprintf(fp, "mn,pw,point,st\nLATE0001,123456,PLATE,32\n");
    fclose(fp);
    assert_int_equal(sh("%s --db %s import devices %s 2>/dev/null", envgov, db, csv), 0);
    int got = 0;
    for (int i = 0; i < 16 && !got; i++) { /* up to 8 s */
        n = frame(f, sizeof(f), 0, 2011, 500001 + i, true, "123456", "LATE0001", 0, 0, 0, 2);
        send_all(fd, f, n);
        got = read_acks(fd, 1, 500);
    }
    assert_int_equal(got, 1);
    close(fd);
    int st = stop_server(SIGTERM);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    int stored = export_count("--mn LATE0001", NULL); /* 2 values a frame; none quarantined */
    assert_true(stored >= 2 && stored % 2 == 0);
}

static void test_capture_counts(void **state)
{
    (void)state;
    char out[600];
    snprintf(out, sizeof(out), "%s/summary.txt", tmpdir);
    assert_int_equal(
        sh("%s hj212 parse --summary %s/xiaoyao_2016-08-24_*.h212.gz > %s", envgov, datadir, out),
        0);
    assert_int_equal(sh("grep -q '^valid frames: 190366 (length fixed 1' %s", out), 0);
    assert_int_equal(sh("grep -q '^broken frames: 83 (bad length field 12, declared length over "
                        "cap 0, length mismatch 70, crc mismatch 1, truncated at end of stream 0)'"
                        " %s",
                        out),
                     0);
    assert_int_equal(sh("grep -q ' 14 lines$' %s", out), 0);
    assert_int_equal(sh("grep -q '^parsed: 190366, parse failures: 0' %s", out), 0);
    /* strict mode: the length-fixed frame becomes the 71st length mismatch */
    assert_int_equal(sh("%s hj212 parse --summary --strict %s/xiaoyao_2016-08-24_*.h212.gz | "
                        "grep -q '^valid frames: 190365'",
                        envgov, datadir),
                     0);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: test_gateway ENVGOV HJ212_DATA_DIR\n");
        return 2;
    }
    envgov = argv[1];
    datadir = argv[2];
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capture_counts),
        cmocka_unit_test(test_mixed_traffic),
        cmocka_unit_test(test_ack_after_commit),
        cmocka_unit_test(test_enterprise_file),
        cmocka_unit_test(test_kill9),
        cmocka_unit_test(test_backpressure),
        cmocka_unit_test(test_sim),
        cmocka_unit_test(test_registry_reload),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
