/* records_water.c — the records of the water and soil evaluations: one point and period per
 * record (section, river, city, cwqi, drinking, lake, sea, groundwater, odorous, soil; see
 * records.h). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/eg_mem.h"
#include "common/eg_num.h"
#include "common/eg_time.h"
#include "records.h"

static bool rec_row(struct rec_water_out *o)
{
    return !o->row || o->row(o->row_ud);
}

/* ---- record helpers ---- */

void rec_water_day(struct fmt *f, const char *key, int32_t day)
{
    char b[16];
    eg_date_format(day, b, sizeof(b));
    fmt_str(f, key, b);
}

static void rec_water_value(struct fmt *f, const char *key, const struct wq_value *v, int decimals)
{
    char b[48];
    if (!v || v->n == 0) {
        fmt_null(f, key);
        return;
    }
    int d = decimals >= 0 ? decimals : 6; /* exact means are shown to 10^-6 */
    int64_t x = eg_rescale(v->v, STD_WQ_SCALE, d);
    size_t n = eg_dec_format(x, d, b, sizeof(b));
    if (decimals < 0) /* exact value: drop trailing zeros */
        while (n > 1 && b[n - 1] == '0' && b[n - 2] != '.')
            b[--n] = 0;
    if (decimals < 0 && n > 2 && b[n - 1] == '0' && b[n - 2] == '.')
        b[n -= 2] = 0;
    if (v->nd_only) {
        char nd[64];
        snprintf(nd, sizeof(nd), "<%s", b);
        fmt_str(f, key, nd);
    } else {
        fmt_str(f, key, b);
    }
}

const char *rec_water_class_name(const struct std_wq_table *t, int cls)
{
    return cls >= 1 && cls <= t->nclass + 1 ? t->class_name[cls - 1] : NULL;
}

static void rec_water_class(struct fmt *f, const char *key, const struct std_wq_table *t, int cls)
{
    const char *n = rec_water_class_name(t, cls);
    if (n)
        fmt_str(f, key, n);
    else
        fmt_null(f, key);
}

static void rec_water_point(struct fmt *f, const struct query_water_rec *r)
{
    fmt_str(f, "point", r->pt->code);
    fmt_str(f, "name", r->pt->name);
    rec_water_day(f, "from", r->from);
    rec_water_day(f, "to", r->to);
}

/* deciding: items whose class equals the overall class */
static void rec_water_sf_lists(struct fmt *f, const struct wq_sf *sf, int ref, const char *ref_key,
                               int target, bool target_list)
{
    static const struct wq_sf none;
    if (!sf)
        sf = &none;
    fmt_arr_begin(f, "deciding");
    for (size_t i = 0; i < sf->n && sf->cls; i++)
        if (sf->item[i].cls == sf->cls)
            fmt_str(f, NULL, sf->item[i].it->key);
    fmt_close(f);
    if (ref_key) {
        fmt_arr_begin(f, ref_key);
        for (size_t i = 0; i < sf->n; i++) {
            const struct wq_sf_item *x = &sf->item[i];
            if (x->cls <= ref)
                continue;
            fmt_obj_begin(f, NULL);
            fmt_str(f, "item", x->it->key);
            fmt_str(f, "name", x->it->name_zh);
            rec_water_class(f, "class", sf->table, x->cls);
            if (x->mult_ref >= 0)
                fmt_dec(f, "multiple", x->mult_ref, WQ_MULT_SCALE);
            else
                fmt_null(f, "multiple");
            fmt_close(f);
        }
        fmt_close(f);
    }
    if (target_list) {
        fmt_arr_begin(f, "over_target");
        for (size_t i = 0; i < sf->n; i++) {
            const struct wq_sf_item *x = &sf->item[i];
            if (!target || x->cls <= target)
                continue;
            fmt_obj_begin(f, NULL);
            fmt_str(f, "item", x->it->key);
            if (x->mult_target >= 0)
                fmt_dec(f, "multiple", x->mult_target, WQ_MULT_SCALE);
            else
                fmt_null(f, "multiple");
            fmt_close(f);
        }
        fmt_close(f);
    }
    fmt_arr_begin(f, "undetermined");
    for (size_t i = 0; i < sf->n; i++)
        if (sf->item[i].cls == 0)
            fmt_str(f, NULL, sf->item[i].it->key);
    fmt_close(f);
    fmt_int(f, "items", (int64_t)sf->n);
}

static void rec_water_values(struct fmt *f, const struct wq_sf *sf)
{
    fmt_obj_begin(f, "values");
    for (size_t i = 0; i < sf->n; i++)
        rec_water_value(f, sf->item[i].it->key, &sf->item[i].v, sf->item[i].it->decimals);
    fmt_close(f);
}

const char *const rec_water_rules_surface = "GB3838-2002; 环办〔2011〕22号; 环办监测函〔2020〕82号";

/* ---- water section ---- */

int rec_water_section(void *ud, const struct query_water_rec *r)
{
    struct rec_water_out *o = ud;
    struct fmt *f = o->f;
    const struct wq_section *s = r->section;
    if (!rec_row(o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    fmt_str(f, "water", r->pt->water);
    rec_water_class(f, "class", s->sf.table, s->cls);
    rec_water_sf_lists(f, &s->sf, 3, "over_iii", s->target, true);
    if (s->target)
        fmt_str(f, "target_class", s->sf.table->class_name[s->target - 1]);
    else
        fmt_null(f, "target_class");
    if (s->target && s->cls)
        fmt_bool(f, "attained", s->attained);
    else
        fmt_null(f, "attained");
    if (s->status)
        fmt_str(f, "status", s->status);
    else
        fmt_null(f, "status");
    fmt_arr_begin(f, "main_pollutants");
    for (size_t i = 0; i < s->nmain; i++) {
        const struct wq_sf_item *x = &s->sf.item[s->main[i]];
        char b[160], m[32];
        eg_dec_format(x->mult_ref >= 0 ? x->mult_ref : 0, WQ_MULT_SCALE, m, sizeof(m));
        snprintf(b, sizeof(b), "%s(%s)", x->it->name_zh, m);
        fmt_str(f, NULL, b);
    }
    fmt_close(f);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    rec_water_values(f, &s->sf);
    fmt_str(f, "rules", rec_water_rules_surface);
    return fmt_row_end(f);
}

/* ---- water city ---- */

int rec_water_city(void *ud, const struct query_water_rec *r)
{
    struct rec_water_out *o = ud;
    const struct wq_section *s = r->section;
    if (!s->cls)
        return 0;
    o->n++;
    o->cls[s->cls]++;
    o->ok += s->attained;
    o->w_all += s->target > 0;
    return 0;
}

void rec_water_pct(struct fmt *f, const char *key, long num, long den)
{
    if (den <= 0)
        fmt_null(f, key);
    else
        fmt_dec(f, key, eg_div_round((int64_t)num * 10000, den), 2);
}

/* ---- water river ---- */

int rec_water_river(void *ud, const struct query_water_river *r)
{
    struct rec_water_out *o = ud;
    struct fmt *f = o->f;
    static const char *const names[] = {"", "I", "II", "III", "IV", "V", "劣V"};
    if (!rec_row(o))
        return 0;
    fmt_row_begin(f);
    fmt_str(f, "river", r->body);
    rec_water_day(f, "from", r->from);
    rec_water_day(f, "to", r->to);
    fmt_int(f, "sections", (int64_t)r->n);
    fmt_obj_begin(f, "classes");
    for (int k = 1; k <= 6; k++)
        fmt_int(f, names[k], (int64_t)r->ncls[k]);
    fmt_close(f);
    rec_water_pct(f, "share_i_iii", (long)r->n13, (long)r->n);
    rec_water_pct(f, "share_worse_v", (long)r->n6, (long)r->n);
    fmt_str(f, "method", r->by_share ? "shares (>= 5 sections)" : "averaged indicators (< 5)");
    if (r->avg)
        rec_water_class(f, "class", r->avg->sf.table, r->avg->cls);
    else
        fmt_null(f, "class");
    if (r->status)
        fmt_str(f, "status", r->status);
    else
        fmt_null(f, "status");
    rec_water_sf_lists(f, r->avg ? &r->avg->sf : NULL, 3, "over_iii", 0, false);
    fmt_str(f, "rules", "环办〔2011〕22号 表2");
    return fmt_row_end(f);
}

/* ---- water cwqi ---- */

static void rec_water_cwqi_part(struct fmt *f, const char *key,
                                const struct query_water_cwqi_part *p)
{
    const struct std_cwqi_row *rows;
    size_t nr = std_cwqi_rows(&rows);
    fmt_obj_begin(f, key);
    fmt_dec(f, "cwqi", wq_cwqi_round4(p->city), 4);
    if (p->m)
        fmt_dec(f, "cwqi_river", wq_cwqi_round4(p->river.total), 4);
    else
        fmt_null(f, "cwqi_river");
    if (p->n)
        fmt_dec(f, "cwqi_lake", wq_cwqi_round4(p->lake.total), 4);
    else
        fmt_null(f, "cwqi_lake");
    fmt_int(f, "river_sections", (int64_t)p->m);
    fmt_int(f, "lake_points", (int64_t)p->n);
    fmt_obj_begin(f, "items");
    for (size_t i = 0; i < nr && i < WQ_CWQI_ROWS; i++) {
        int64_t v = p->m ? p->river.item[i] : p->lake.item[i];
        if (v >= 0)
            fmt_dec(f, rows[i].key, wq_cwqi_round4(v), 4);
    }
    fmt_close(f);
    fmt_close(f);
}

void rec_water_cwqi(struct fmt *f, const struct query_water_cwqi *w, bool compare, long cmp)
{
    rec_water_day(f, "from", w->from);
    rec_water_day(f, "to", w->to);
    if (w->now.m + w->now.n)
        fmt_dec(f, "cwqi", wq_cwqi_round4(w->now.city), 4);
    else
        fmt_null(f, "cwqi");
    rec_water_cwqi_part(f, "this", &w->now);
    if (compare) {
        fmt_int(f, "compare", cmp);
        if (w->has_prev) {
            rec_water_cwqi_part(f, "previous", &w->prev);
            fmt_dec(f, "change_pct", w->change, 2);
            char b[160], m[32];
            eg_dec_format(w->change < 0 ? -w->change : w->change, 2, m, sizeof(m));
            snprintf(b, sizeof(b), "水质综合指数同比%s%s%%",
                     w->change < 0   ? "改善"
                     : w->change > 0 ? "下降"
                                     : "持平",
                     w->change ? m : "");
            fmt_str(f, "sentence", b);
        } else {
            fmt_null(f, "previous");
            fmt_null(f, "change_pct");
            fmt_null(f, "sentence");
        }
    }
    fmt_str(f, "rules", "环办监测〔2017〕51号; GB3838-2002 III类; 环办监测函〔2020〕82号");
}

/* ---- water drinking ---- */

static int rec_water_drinking(void *ud, const struct query_water_rec *r)
{
    struct rec_water_out *o = ud;
    const struct wq_drinking *d = r->drinking;
    int64_t w = r->pt->supply;
    if (d->n) {
        o->n++;
        o->ok += d->compliant;
        o->w_all += w;
        o->w_ok += d->compliant ? w : 0;
    }
    return 0;
}

int rec_water_drinking_row(void *ud, const struct query_water_rec *r)
{
    struct rec_water_drink_out *x = ud;
    struct fmt *f = x->o.f;
    const struct wq_drinking *d = r->drinking;
    rec_water_drinking(&x->o, r);
    if (x->summary)
        return 0;
    if (!rec_row(&x->o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    fmt_str(f, "water", r->pt->water);
    fmt_str(f, "level", r->pt->level);
    if (d->n)
        fmt_bool(f, "compliant", d->compliant);
    else
        fmt_null(f, "compliant");
    fmt_int(f, "items", (int64_t)d->n);
    fmt_arr_begin(f, "failing");
    for (size_t i = 0; i < d->nfail && i < 16; i++) {
        fmt_obj_begin(f, NULL);
        fmt_str(f, "item", d->fail[i].it->key);
        if (d->fail[i].mult_ref >= 0)
            fmt_dec(f, "multiple", d->fail[i].mult_ref, WQ_MULT_SCALE);
        else
            fmt_null(f, "multiple");
        fmt_close(f);
    }
    fmt_close(f);
    fmt_dec(f, "supply", eg_rescale(r->pt->supply, STD_WQ_SCALE, 2), 2);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    fmt_str(f, "rules",
            !strcmp(r->pt->water, "ground") ? "GB/T14848-2017 III类"
                                            : "GB3838-2002 表1 III类、表2、表3");
    return fmt_row_end(f);
}

/* ---- water lake ---- */

int rec_water_lake(void *ud, const struct query_water_rec *r)
{
    struct rec_water_out *o = ud;
    struct fmt *f = o->f;
    const struct wq_tli *t = r->tli;
    const struct std_tli *st = std_tli();
    if (!rec_row(o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    if (t->valid) {
        fmt_dec(f, "tli", t->tli, 1);
        fmt_str(f, "grade", t->grade);
        fmt_obj_begin(f, "parts");
        for (int j = 0; j < 5; j++)
            fmt_dec(f, st->row[j].key, t->part[j], 1);
        fmt_close(f);
    } else {
        fmt_null(f, "tli");
        fmt_null(f, "grade");
        fmt_null(f, "parts");
    }
    fmt_obj_begin(f, "values");
    for (int j = 0; j < 5; j++)
        if (st->row[j].param >= 0)
            rec_water_value(f, st->row[j].key, &r->means[st->row[j].param], -1);
    fmt_close(f);
    fmt_str(f, "rules", "环办〔2011〕22号 TLI(Σ)");
    return fmt_row_end(f);
}

int rec_water_sf(void *ud, const struct query_water_rec *r)
{
    struct rec_water_sf_out *x = ud;
    struct rec_water_out *o = &x->o;
    const struct wq_sf *sf = r->sf;
    if (sf->cls) {
        if (o->np == o->capnp) {
            size_t cap = o->capnp ? o->capnp * 2 : 64;
            int *pc = eg_realloc(o->pcls, cap * sizeof(int));
            if (!pc)
                return EG_ENOMEM;
            o->pcls = pc;
            int64_t *pa = eg_realloc(o->parea, cap * sizeof(int64_t));
            if (!pa)
                return EG_ENOMEM;
            o->parea = pa;
            o->capnp = cap;
        }
        o->pcls[o->np] = sf->cls;
        o->parea[o->np] = r->pt->area;
        o->np++;
        o->n++;
        o->cls[sf->cls]++;
        if (r->pt->target) {
            o->w_all++;
            o->ok += sf->cls <= r->pt->target;
        }
    }
    if (x->summary)
        return 0;
    struct fmt *f = o->f;
    if (!rec_row(o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    rec_water_class(f, "class", sf->table, sf->cls);
    rec_water_sf_lists(f, sf, x->sea ? r->pt->target : 3, x->sea ? "over_target" : "over_iii",
                       r->pt->target, !x->sea);
    if (r->pt->target)
        fmt_str(f, "target_class", sf->table->class_name[r->pt->target - 1]);
    else
        fmt_null(f, "target_class");
    if (r->pt->target && sf->cls)
        fmt_bool(f, "attained", sf->cls <= r->pt->target);
    else
        fmt_null(f, "attained");
    if (x->sea && r->pt->area)
        fmt_dec(f, "area", eg_rescale(r->pt->area, STD_WQ_SCALE, 3), 3);
    else if (x->sea)
        fmt_null(f, "area");
    fmt_int(f, "samples", (int64_t)r->nsamples);
    rec_water_values(f, sf);
    fmt_str(f, "rules", sf->table->id);
    return fmt_row_end(f);
}

/* ---- odorous ---- */

int rec_water_odor(void *ud, const struct query_water_rec *r)
{
    struct rec_water_sf_out *x = ud;
    struct rec_water_out *o = &x->o;
    const struct wq_odor_point *p = r->odor;
    const char *body = r->pt->body[0] ? r->pt->body : r->pt->code;
    size_t b = 0;
    while (b < o->nbody && strcmp(o->bodies[b], body))
        b++;
    if (b == o->nbody && b < 512) {
        o->bodies[b] = eg_strdup(body);
        if (!o->bodies[b])
            return EG_ENOMEM;
        o->nbody++;
    }
    if (b < 512 && o->nbp[b] < 64)
        o->bgrade[b][o->nbp[b]++] = p->grade;
    if (x->summary)
        return 0;
    const struct std_odor_row *rows;
    size_t nr = std_odor_rows(&rows);
    struct fmt *f = o->f;
    if (!rec_row(o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    fmt_str(f, "water_body", body);
    fmt_str(f, "grade", wq_odor_name(p->grade));
    fmt_obj_begin(f, "heavy_share");
    for (size_t j = 0; j < nr && j < 4; j++)
        if (p->n[j])
            rec_water_pct(f, rows[j].key, p->heavy[j], p->n[j]);
    fmt_close(f);
    fmt_int(f, "samples", (int64_t)r->nsamples);
    fmt_str(f, "rules", "建城〔2015〕130号");
    return fmt_row_end(f);
}

int rec_water_soil(void *ud, const struct query_water_rec *r)
{
    struct rec_water_soil_out *x = ud;
    const struct soil_result *s = r->soil;
    int w = x->farm ? s->category : (int)s->worst;
    if (x->np == 0 || strcmp(x->plots[x->np - 1].code, r->pt->code)) {
        if (x->np == x->cap) {
            size_t cap = x->cap ? x->cap * 2 : 64;
            struct rec_water_plot *p = eg_realloc(x->plots, cap * sizeof(*p));
            if (!p)
                return EG_ENOMEM;
            x->plots = p;
            x->cap = cap;
        }
        struct rec_water_plot *p = &x->plots[x->np++];
        snprintf(p->code, sizeof(p->code), "%s", r->pt->code);
        p->worst = 0;
        p->area = r->pt->area;
        p->measures_ok = r->pt->measures_ok;
    }
    if (w > x->plots[x->np - 1].worst)
        x->plots[x->np - 1].worst = w;
    if (x->summary)
        return 0;
    struct fmt *f = x->o.f;
    if (!rec_row(&x->o))
        return 0;
    fmt_row_begin(f);
    rec_water_point(f, r);
    fmt_str(f, "land_use", r->pt->land_use);
    if (x->farm) {
        static const char *const bands[] = {"pH<=5.5", "5.5<pH<=6.5", "6.5<pH<=7.5", "pH>7.5"};
        if (s->band >= 0)
            fmt_str(f, "ph_band", bands[s->band]);
        else
            fmt_null(f, "ph_band");
        if (s->category) {
            char cat[2] = {s->category, 0};
            fmt_str(f, "category", cat);
            fmt_str(f, "category_name", s->label);
        } else {
            fmt_null(f, "category");
            fmt_null(f, "category_name");
        }
    } else {
        if (s->label)
            fmt_str(f, "result", s->label);
        else
            fmt_null(f, "result");
    }
    fmt_arr_begin(f, "over_screening");
    for (size_t i = 0; i < s->n; i++) {
        const struct soil_item *it = &s->item[i];
        if (it->level < SOIL_BETWEEN)
            continue;
        fmt_obj_begin(f, NULL);
        fmt_str(f, "item", it->it->key);
        fmt_str(f, "name", it->it->name_zh);
        fmt_str(f, "level", soil_level_name(it->level, x->farm));
        fmt_dec(f, "pi", it->pi, 2);
        fmt_close(f);
    }
    fmt_close(f);
    fmt_obj_begin(f, "values");
    for (size_t i = 0; i < s->n; i++)
        rec_water_value(f, s->item[i].it->key, &s->item[i].v, -1);
    fmt_close(f);
    fmt_str(f, "rules", x->farm ? "GB15618-2018" : "GB36600-2018");
    return fmt_row_end(f);
}

int rec_water_city_summary(struct rec_water_out *o, const struct query_water *q)
{
    int rc = 0;
    struct fmt *f = o->f;
    char sent[256];
    fmt_row_begin(f);
    rec_water_day(f, "from", q->from);
    rec_water_day(f, "to", q->to);
    if (q->level)
        fmt_str(f, "level", q->level);
    fmt_int(f, "sections", o->n);
    fmt_int(f, "with_target", o->w_all);
    fmt_int(f, "attained", o->ok);
    fmt_obj_begin(f, "classes");
    static const char *const names[] = {"", "I", "II", "III", "IV", "V", "劣V"};
    for (int k = 1; k <= 6; k++)
        fmt_int(f, names[k], o->cls[k]);
    fmt_close(f);
    rec_water_pct(f, "share_i_iii", o->cls[1] + o->cls[2] + o->cls[3], o->n);
    rec_water_pct(f, "share_worse_v", o->cls[6], o->n);
    if (o->w_all && o->ok == o->w_all)
        snprintf(sent, sizeof(sent), "%ld个%s地表水考核断面全部达到考核标准", o->w_all,
                 q->level && !strcmp(q->level, "national") ? "国家" : "");
    else
        snprintf(sent, sizeof(sent), "%ld个考核断面中%ld个达到考核标准", o->w_all, o->ok);
    fmt_str(f, "sentence", sent);
    fmt_str(f, "rules", rec_water_rules_surface);
    rc = fmt_row_end(f);
    return rc;
}

int rec_water_drinking_summary(struct rec_water_drink_out *x, const struct query_water *q)
{
    int rc = 0;
    struct fmt *f = x->o.f;
    fmt_row_begin(f);
    rec_water_day(f, "from", q->from);
    rec_water_day(f, "to", q->to);
    fmt_int(f, "sources", x->o.n);
    fmt_int(f, "compliant", x->o.ok);
    rec_water_pct(f, "rate_by_count", x->o.ok, x->o.n);
    if (x->o.w_all > 0)
        fmt_dec(f, "rate_by_volume", eg_div_round128((eg_i128)x->o.w_ok * 10000, x->o.w_all), 2);
    else
        fmt_null(f, "rate_by_volume");
    fmt_str(f, "rules", "GB3838-2002 5.3 (III类, 表2, 表3); GB/T14848-2017 III类");
    rc = fmt_row_end(f);
    return rc;
}

int rec_water_sf_summary(struct rec_water_sf_out *x, const struct query_water *q)
{
    int rc = 0;
    struct fmt *f = x->o.f;
    const struct std_wq_table *t = std_wq(x->sea ? STD_GB3097 : STD_GBT14848);
    fmt_row_begin(f);
    rec_water_day(f, "from", q->from);
    rec_water_day(f, "to", q->to);
    fmt_int(f, "points", x->o.n);
    fmt_obj_begin(f, "classes");
    for (int k = 1; k <= t->nclass + 1; k++)
        fmt_int(f, t->class_name[k - 1], x->o.cls[k]);
    fmt_close(f);
    fmt_int(f, "with_target", x->o.w_all);
    fmt_int(f, "attained", x->o.ok);
    if (x->sea) {
        struct wq_share sp, sa;
        int64_t *one = eg_calloc(x->o.np + 1, sizeof(int64_t));
        if (!one)
            rc = EG_ENOMEM;
        for (size_t i = 0; one && i < x->o.np; i++)
            one[i] = 1;
        if (one) {
            wq_sea_share(x->o.pcls, one, x->o.np, &sp);
            wq_sea_share(x->o.pcls, x->o.parea, x->o.np, &sa);
            eg_free(one);
            fmt_obj_begin(f, "by_point");
            fmt_dec(f, "share_i_ii", sp.p12, 2);
            fmt_dec(f, "share_i_iii", sp.p123, 2);
            fmt_dec(f, "share_worse_iv", sp.p4x, 2);
            fmt_str(f, "status", sp.status);
            fmt_close(f);
            fmt_obj_begin(f, "by_area");
            if (sa.status) {
                fmt_dec(f, "share_i_ii", sa.p12, 2);
                fmt_dec(f, "share_i_iii", sa.p123, 2);
                fmt_dec(f, "share_worse_iv", sa.p4x, 2);
                fmt_str(f, "status", sa.status);
            }
            fmt_close(f);
        }
    }
    fmt_str(f, "rules", x->sea ? "GB3097-1997; nearshore_grading (HJ 442)" : t->id);
    if (rc == 0)
        rc = fmt_row_end(f);
    return rc;
}

int rec_water_odorous_summary(struct rec_water_sf_out *x, const struct query_water *q)
{
    int rc = 0;
    long eliminated = 0;
    for (size_t b = 0; b < x->o.nbody && rc == 0; b++) {
        enum wq_odor g = wq_odor_body(x->o.bgrade[b], x->o.nbp[b]);
        eliminated += g == WQ_ODOR_NONE;
        fmt_row_begin(x->o.f);
        fmt_str(x->o.f, "water_body", x->o.bodies[b]);
        rec_water_day(x->o.f, "from", q->from);
        rec_water_day(x->o.f, "to", q->to);
        fmt_int(x->o.f, "points", (int64_t)x->o.nbp[b]);
        fmt_str(x->o.f, "grade", wq_odor_name(g));
        fmt_null(x->o.f, "remediated_pct");
        fmt_str(x->o.f, "rules", "建城〔2015〕130号");
        rc = fmt_row_end(x->o.f);
    }
    if (rc == 0) {
        fmt_row_begin(x->o.f);
        fmt_str(x->o.f, "water_body", "(all)");
        rec_water_day(x->o.f, "from", q->from);
        rec_water_day(x->o.f, "to", q->to);
        fmt_int(x->o.f, "points", (int64_t)x->o.nbody);
        char b[64];
        snprintf(b, sizeof(b), "%ld/%zu 不黑臭", eliminated, x->o.nbody);
        fmt_str(x->o.f, "grade", b);
        rec_water_pct(x->o.f, "remediated_pct", eliminated, (long)x->o.nbody);
        fmt_str(x->o.f, "rules", "建城〔2015〕130号 (不黑臭 = no indicator at 轻度 or worse)");
        rc = fmt_row_end(x->o.f);
    }
    return rc;
}

int rec_water_soil_summary(struct rec_water_soil_out *x, const struct query_water *q)
{
    int rc = 0;
    long n[4] = {0, 0, 0, 0}, contaminated = 0, safe = 0;
    int64_t area_c = 0, area_safe = 0;
    for (size_t i = 0; i < x->np; i++) {
        const struct rec_water_plot *p = &x->plots[i];
        int k = x->farm ? (p->worst ? p->worst - 'A' + 1 : 0) : p->worst;
        if (k < 0 || k > 3)
            k = 0;
        n[k]++;
        if (k >= 2) {
            int64_t w = p->area > 0 ? p->area : eg_pow10(STD_WQ_SCALE);
            contaminated++;
            area_c += w;
            if (p->measures_ok) {
                safe++;
                area_safe += w;
            }
        }
    }
    struct fmt *f = x->o.f;
    fmt_row_begin(f);
    rec_water_day(f, "from", q->from);
    rec_water_day(f, "to", q->to);
    fmt_int(f, "plots", (int64_t)x->np);
    fmt_obj_begin(f, x->farm ? "categories" : "results");
    if (x->farm) {
        fmt_int(f, "优先保护类", n[1]);
        fmt_int(f, "安全利用类", n[2]);
        fmt_int(f, "严格管控类", n[3]);
    } else {
        fmt_int(f, "低于筛选值", n[1]);
        fmt_int(f, "高于筛选值", n[2]);
        fmt_int(f, "高于管制值", n[3]);
    }
    fmt_close(f);
    fmt_int(f, "contaminated", contaminated);
    fmt_int(f, "safely_used", safe);
    /* the rate's definition: docs/soil.md (area-weighted for farmland, count for plots) */
    if (x->farm) {
        if (area_c > 0)
            fmt_dec(f, "safe_use_rate", eg_div_round128((eg_i128)area_safe * 10000, area_c), 2);
        else
            fmt_dec(f, "safe_use_rate", 10000, 2);
    } else {
        rec_water_pct(f, "safe_use_rate", contaminated ? safe : 1, contaminated ? contaminated : 1);
    }
    fmt_str(f, "definition",
            x->farm
                ? "受污染耕地安全利用率 = 采取安全利用或严格管控措施且达到要求的受污染耕地面积 / "
                  "受污染耕地面积 (安全利用类+严格管控类; 无受污染耕地时为100%)"
                : "污染地块安全利用率 = 符合风险管控要求的污染地块数 / 污染地块数 "
                  "(高于筛选值的地块; 无污染地块时为100%)");
    fmt_str(f, "rules", x->farm ? "GB15618-2018" : "GB36600-2018");
    rc = fmt_row_end(f);
    return rc;
}
