/* h_static.c — the dashboard's files (web/, built into the served directory): GET / (the
 * dashboard), /login, /public (the disclosure page, no login) and the assets.
 * Paths are checked before any file is opened: only [A-Za-z0-9._-] segments, none starting with
 * a dot (so no "..", no hidden files), no empty segment; the resolved file must lie inside the
 * static directory (realpath), and must be a regular file.  Anything else is 404 — a traversal
 * attempt learns nothing about the file system.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http-int.h"

static const struct {
    const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".geojson", "application/geo+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
};

static bool safe_path(const char *p)
{
    if (p[0] != '/')
        return false;
    size_t seg = 0;
    for (const char *c = p + 1;; c++) {
        if (*c == '/' || *c == 0) {
            if (seg == 0)
                return false;
            if (*c == 0)
                return true;
            seg = 0;
            continue;
        }
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || (*c == '.' && seg > 0);
        if (!ok)
            return false;
        seg++;
        if (c - p > 200)
            return false;
    }
}

int h_static(struct hreq *r)
{
    const char *p = r->path;
    if (!r->cfg->static_dir)
        return hr_error(r, 404, NULL, "this server has no dashboard files");
    if (!strcmp(p, "/") || !strcmp(p, "/index.html"))
        p = "/index.html";
    else if (!strcmp(p, "/public") || !strcmp(p, "/public/"))
        p = "/public.html";
    else if (!strcmp(p, "/login"))
        p = "/login.html";
    if (!safe_path(p))
        return hr_error(r, 404, NULL, "no such file");
    char root[PATH_MAX], full[PATH_MAX];
    if (!realpath(r->cfg->static_dir, root))
        return hr_error(r, 404, NULL, "no such file");
    char *joined = hr_strf(r, "%s%s", root, p);
    if (!joined || !realpath(joined, full))
        return hr_error(r, 404, NULL, "no such file");
    size_t rl = strlen(root);
    if (strncmp(full, root, rl) || full[rl] != '/')
        return hr_error(r, 404, NULL, "no such file");
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0)
        return hr_error(r, 404, NULL, "no such file");
    if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        close(fd);
        return hr_error(r, 404, NULL, "no such file");
    }
    r->ctype = "application/octet-stream";
    size_t pl = strlen(p);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        size_t el = strlen(types[i].ext);
        if (pl > el && !strcmp(p + pl - el, types[i].ext))
            r->ctype = types[i].type;
    }
    hr_add_header(r, "Cache-Control",
                  strstr(r->ctype, "html") ? "no-cache" : "public, max-age=300");
    r->file_fd = fd;
    r->file_size = (uint64_t)st.st_size;
    r->status = 200;
    return 0;
}
