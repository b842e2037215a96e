/* ack_sink.c — a minimal stand-in for the gateway: accepts HJ 212 connections and answers every
 * received line with a canned 9014, storing nothing.  Driving it with `envgov sim` measures what
 * the load generator and loopback TCP alone sustain on this machine (the ceiling any gateway
 * measurement with the simulator on the same cores is under).  Not a gateway: it never commits.
 * Usage: ack_sink PORT_FILE   (listens on 127.0.0.1, an ephemeral port written to PORT_FILE)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

static const char ACK[] = "##0089QN=20240101000000000;ST=91;CN=9014;PW=123456;MN=BENCH000000;"
                          "Flag=4;CP=&&&&0000\r\n";

struct conn {
    uv_tcp_t tcp;
    char buf[65536];
    char out[65536];
};

static uv_loop_t *loop;

static void on_alloc(uv_handle_t *h, size_t sug, uv_buf_t *b)
{
    (void)sug;
    struct conn *c = (struct conn *)h;
    *b = uv_buf_init(c->buf, sizeof c->buf);
}

static void on_close(uv_handle_t *h)
{
    free(h);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *b)
{
    struct conn *c = (struct conn *)st;
    if (n < 0) {
        uv_close((uv_handle_t *)st, on_close);
        return;
    }
    size_t lines = 0, len = 0;
    for (const char *p = b->base, *e = b->base + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
        lines++;
    for (size_t i = 0; i < lines && len + sizeof ACK - 1 <= sizeof c->out; i++) {
        memcpy(c->out + len, ACK, sizeof ACK - 1);
        len += sizeof ACK - 1;
    }
    if (len) {
        uv_buf_t ob = uv_buf_init(c->out, (unsigned)len);
        (void)uv_try_write(st, &ob, 1); /* loopback, small: a short write is a lost ack */
    }
}

static void on_conn(uv_stream_t *srv, int status)
{
    if (status < 0)
        return;
    struct conn *c = malloc(sizeof *c);
    if (!c)
        return;
    uv_tcp_init(loop, &c->tcp);
    if (uv_accept(srv, (uv_stream_t *)&c->tcp) == 0)
        uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
    else
        uv_close((uv_handle_t *)&c->tcp, on_close);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    loop = uv_default_loop();
    uv_tcp_t srv;
    struct sockaddr_in a;
    uv_ip4_addr("127.0.0.1", 0, &a);
    uv_tcp_init(loop, &srv);
    if (uv_tcp_bind(&srv, (const struct sockaddr *)&a, 0) ||
        uv_listen((uv_stream_t *)&srv, 4096, on_conn))
        return 1;
    struct sockaddr_in got;
    int len = sizeof got;
    uv_tcp_getsockname(&srv, (struct sockaddr *)&got, &len);
    FILE *f = fopen(argv[1], "w");
    if (!f)
        return 1;
    fprintf(f, "%d\n", ntohs(got.sin_port));
    fclose(f);
    return uv_run(loop, UV_RUN_DEFAULT);
}
