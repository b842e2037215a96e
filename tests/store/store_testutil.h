/* store_testutil.h — helpers for tests/unit/test_store.c and test_ingest.c: a scratch directory
 * per run (removed at the end), paths in it, the test-data directory from argv[1].
 * Header-only (static inline) so each test stays one executable.
 */
#ifndef STORE_TESTUTIL_H
#define STORE_TESTUTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct tu_state {
    char dir[256];  /* scratch directory */
    char data[512]; /* tests/data */
};

static inline struct tu_state *tu_get(void)
{
    static struct tu_state st;
    return &st;
}

/* snprintf that aborts the test run on truncation (paths must be whole) */
static inline void tu_join(char *out, size_t n, const char *a, const char *b, const char *sep)
{
    int k = snprintf(out, n, "%s%s%s", a, sep, b);
    if (k < 0 || (size_t)k >= n) {
        fprintf(stderr, "path too long: %s%s%s\n", a, sep, b);
        abort();
    }
}

static inline void tu_setup(int argc, char **argv)
{
    struct tu_state *t = tu_get();
    const char *tmp = getenv("TMPDIR");
    snprintf(t->dir, sizeof(t->dir), "%s/envgov-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(t->dir)) {
        perror("mkdtemp");
        exit(1);
    }
    tu_join(t->data, sizeof(t->data), argc > 1 ? argv[1] : "tests/data", "", "");
}

static inline void tu_path(char *out, size_t n, const char *name)
{
    tu_join(out, n, tu_get()->dir, name, "/");
}

static inline void tu_data(char *out, size_t n, const char *name)
{
    tu_join(out, n, tu_get()->data, name, "/");
}

static inline void tu_unlink_db(const char *path)
{
    char p[1100];
    unlink(path);
    tu_join(p, sizeof(p), path, "-wal", "");
    unlink(p);
    tu_join(p, sizeof(p), path, "-shm", "");
    unlink(p);
}

static inline void tu_write(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    if (!fp || fwrite(data, 1, n, fp) != n) {
        perror(path);
        exit(1);
    }
    fclose(fp);
}

static inline void tu_teardown(void)
{
    struct tu_state *t = tu_get();
    DIR *d = opendir(t->dir);
    if (!d)
        return;
    struct dirent *e;
    char p[1100];
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        tu_join(p, sizeof(p), t->dir, e->d_name, "/");
        unlink(p);
    }
    closedir(d);
    rmdir(t->dir);
}

#endif
