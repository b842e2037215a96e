/* table.c — opening the embedded standards' tables (standards-int.h). */
#include <string.h>

#include "standards-int.h"

int std__open(struct eg_csv *c, const char *name, struct eg_csv_field *ret_source,
              struct eg_errbuf *eb)
{
    size_t len;
    const char *data = std_blob(name, &len);
    eg_csv_init(c, data ? data : "", data ? len : 0, name);
    if (!data) {
        eg_err_at(eb, name, 0, 0, NULL);
        return eg_errf(eb, EG_ENOTFOUND, "standard table not embedded");
    }
    if (ret_source) {
        const char *nl = memchr(data, '\n', len);
        ret_source->s = data + 2;
        ret_source->n = data[0] == '#' && nl ? (size_t)(nl - data) - 2 : 0;
    }
    c->skip_comments = true;
    int rc = eg_csv_next(c, eb); /* header */
    return rc < 0 ? rc : (rc == 0 ? eg_errf(eb, EG_EPARSE, "empty table") : 0);
}

int std__bad(struct eg_csv *c, struct eg_errbuf *eb, const char *what)
{
    eg_err_at(eb, c->path, c->line, 0, NULL);
    return eg_errf(eb, EG_EPARSE, "%s", what);
}
