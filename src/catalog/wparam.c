/* wparam.c — HJ 212 item codes of water and soil parameters (catalog.h cat_water_param).
 *
 * The water and soil standards name their items by key or Chinese name (standards.h std_wparam);
 * devices and some files name them by HJ 212-2017 code (w01018 = COD).  The map from code to
 * parameter is derived once from the catalog's names of each parameter's key and Chinese name, so
 * no second table has to be kept in step with the first two.
 */
#include <pthread.h>
#include <string.h>

#include "catalog.h"
#include "standards/standards.h"

#define CODE_MAP_MAX 512

static struct {
    char code[8];
    int param;
} code_map[CODE_MAP_MAX];
static size_t ncode_map;
static pthread_once_t code_once = PTHREAD_ONCE_INIT;

static void code_map_add(const struct cat_item *it, int p)
{
    if (!it || it->table != 'w' || ncode_map >= CODE_MAP_MAX || strlen(it->code) >= 8)
        return;
    for (size_t i = 0; i < ncode_map; i++)
        if (!strcmp(code_map[i].code, it->code))
            return;
    memcpy(code_map[ncode_map].code, it->code, strlen(it->code) + 1);
    code_map[ncode_map++].param = p;
}

static void code_map_build(void)
{
    for (int p = 0; p < std_wparam_count(); p++) {
        const struct std_wparam *w = std_wparam_at(p);
        code_map_add(cat_find(w->key, strlen(w->key)), p);
        code_map_add(cat_find(w->name_zh, strlen(w->name_zh)), p);
    }
}

int cat_water_param(const char *s, size_t n)
{
    int p = std_wparam_find(s, n);
    if (p >= 0)
        return p;
    pthread_once(&code_once, code_map_build);
    const struct cat_item *it = cat_find(s, n);
    if (!it)
        return -1;
    for (size_t i = 0; i < ncode_map; i++)
        if (!strcmp(code_map[i].code, it->code))
            return code_map[i].param;
    return -1;
}
