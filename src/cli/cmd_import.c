/* cmd_import.c — `envgov import …`: the national station list and CNEMC hourly files.
 * Each file is imported in its own transaction: a malformed file is rejected whole with an error
 * naming file, line and column; files imported before it stay, the rest are still tried, and the
 * command exits 1 if any file failed.  A progress bar on a terminal, a summary line at the end. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ingest/ingest.h"

static const struct cli_opt no_opts[] = {{NULL, 0, NULL, NULL}};

static int run_stations(struct cli *c, const struct cli_args *a);
static int run_cnemc(struct cli *c, const struct cli_args *a);

const struct cli_cmd cli_import_cmds[] = {
    {"import stations", "import or update the national air station list", "import stations FILE",
     "FILE: CSV with the header 监测点编码,监测点名称,城市,经度,纬度,对照点 (对照点 Y = a "
     "background\n"
     "station, never part of city values).  Re-importing updates the stations.",
     no_opts, 1, 1, false, run_stations},
    {"import cnemc", "import CNEMC hourly station files (china_sites_YYYYMMDD.csv)",
     "import cnemc FILE…",
     "Stores the six hourly concentrations (PM2.5 PM10 SO2 NO2 O3 CO); the derived columns are\n"
     "checked but not used.  Re-importing an unchanged file changes nothing; a changed file\n"
     "replaces the values it carries.  Each file is all or nothing; a rejected file is reported\n"
     "and the others are still imported (exit status 1).",
     no_opts, 1, 1000000, false, run_cnemc},
    {NULL, NULL, NULL, NULL, NULL, 0, 0, false, NULL}};

static int run_stations(struct cli *c, const struct cli_args *a)
{
    struct ingest_stats st;
    memset(&st, 0, sizeof(st));
    if (cli_store(c))
        return CLI_FAIL;
    int rc = ingest_stations_file(c->store, a->pos[0], &st, &c->eb);
    if (rc)
        return cli_fail(c, rc);
    fprintf(stderr, "stations: %ld stations imported from %s\n", st.rows, a->pos[0]);
    return CLI_OK;
}

struct progress {
    bool tty;
    size_t last_len;
};

static void on_progress(void *ud, size_t done, size_t total, const char *path,
                        enum ingest_file_result res, const struct eg_errbuf *err)
{
    struct progress *p = ud;
    if (res == INGEST_FILE_FAILED && err) {
        char msg[1024];
        eg_errbuf_format(err, msg, sizeof(msg));
        if (p->tty && p->last_len)
            fputc('\n', stderr);
        p->last_len = 0;
        fprintf(stderr, "envgov: %s (file rejected, nothing from it was stored)\n", msg);
    }
    if (!p->tty || total < 2)
        return;
    const int width = 30;
    int fill = (int)(done * (size_t)width / total);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    int n = fprintf(stderr, "\r[%.*s%*s] %zu/%zu %s", fill, "##############################",
                    width - fill, "", done, total, base);
    if (n > 0 && (size_t)n < p->last_len) /* blank out the rest of a longer previous line */
        fprintf(stderr, "%*s", (int)(p->last_len - (size_t)n), "");
    p->last_len = n > 0 ? (size_t)n : 0;
    if (done == total)
        fputc('\n', stderr);
}

static int run_cnemc(struct cli *c, const struct cli_args *a)
{
    struct ingest_stats st;
    struct progress p = {c->tty, 0};
    memset(&st, 0, sizeof(st));
    if (cli_store(c))
        return CLI_FAIL;
    int rc = ingest_cnemc_files(c->store, a->pos, a->npos, on_progress, &p, &st, &c->eb);
    fprintf(stderr,
            "cnemc: %ld files (%ld new, %ld replaced, %ld unchanged), %ld rows, %ld values, "
            "%ld skipped\n",
            st.files, st.files_new, st.files_replaced, st.files_unchanged, st.rows, st.values,
            st.skipped);
    if (st.unknown_stations)
        fprintf(stderr, "cnemc: %ld station codes with data are not in the station list%s\n",
                st.unknown_stations,
                st.no_station_list ? " (no station list imported: envgov import stations FILE)"
                                   : " (envgov air stations lists them with listed = false)");
    if (rc && !st.skipped)
        return cli_fail(c, rc); /* a store failure, not a rejected file (already reported) */
    return rc ? CLI_FAIL : CLI_OK;
}
