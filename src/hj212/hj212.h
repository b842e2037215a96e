/* hj212.h — the HJ 212 codec: CRC, stream framer, data-segment parser and packet builder.
 *
 * Implements HJ 212-2017 (§6.3 packet, Table 3 header, Table 4 CP, Appendix A CRC) and accepts
 * HJ/T 212-2005 traffic (no Flag, QN inside CP, 17-digit DataTime, 2005 pollutant codes mapped to
 * 2017 codes by Appendix B).  HJ 212-2025 is kept pluggable (version bits, extra header pairs).
 * Pure codec: no I/O, no allocation; all memory comes from the caller.  Parsed strings are
 * (pointer, length) views into the caller's frame bytes, which must outlive the record.
 * See docs/hj212.md.
 */
#ifndef HJ212_H
#define HJ212_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/eg_err.h"

/* ---- limits of the wire format ------------------------------------------------------------- */

#define HJ212_STD_MAX_SEG 1024 /* HJ 212-2017 Table 2: data segment 0..1024 bytes */
#define HJ212_MAX_SEG     9999 /* the most a 4-digit length field can say */
#define HJ212_OVERHEAD    12   /* "##" + LLLL + CRC(4) + CR LF */
#define HJ212_MAX_FRAME   (HJ212_MAX_SEG + HJ212_OVERHEAD)

/* ---- CRC (Appendix A) ------------------------------------------------------------------------ */

typedef enum hj212_crc_kind {
    HJ212_CRC_STD = 0,           /* HJ 212 Appendix A "ANSI CRC16": r = T[(r >> 8) ^ b] */
    HJ212_CRC_MODBUS = 1,        /* CRC-16/MODBUS (some devices; per-device option) */
    HJ212_CRC_MODBUS_SWAPPED = 2 /* CRC-16/MODBUS with the two bytes printed swapped */
} hj212_crc_kind;

/* HJ 212-2017 Appendix A CRC of n bytes (slicing-by-8).  Empty input gives 0xFFFF. */
uint16_t hj212_crc(const void *data, size_t n);
/* CRC-16/MODBUS of n bytes. */
uint16_t hj212_crc_modbus(const void *data, size_t n);
/* The CRC of the given kind, as the value printed on the wire. */
uint16_t hj212_crc_of(hj212_crc_kind kind, const void *data, size_t n);
/* Appendix A CRC of `count` buffers at once (interleaved chains); ret[i] = hj212_crc(data[i],
 * n[i]). */
void hj212_crc_multi(const void *const *data, const size_t *n, size_t count, uint16_t *ret);

/* ---- stream framer ----------------------------------------------------------------------------
 */

typedef enum hj212_reject {
    HJ212_REJ_NONE = 0,
    HJ212_REJ_BAD_LENGTH,      /* the 4 bytes after "##" are not decimal digits */
    HJ212_REJ_OVERSIZE,        /* declared length above the configured cap */
    HJ212_REJ_LENGTH_MISMATCH, /* no CR LF where the declared length puts it (bytes lost/added) */
    HJ212_REJ_CRC,             /* length right, CRC text not hex or not the computed CRC */
    HJ212_REJ_TRUNCATED,       /* end of stream inside a frame */
    HJ212_REJ_STRAY,           /* bytes outside any frame (garbage, fragments) */
    HJ212_REJ__COUNT
} hj212_reject;

/* Static English name of a reject reason ("crc mismatch"); never NULL. */
const char *hj212_reject_name(hj212_reject r);

/* Options of one framer (one TCP connection / device).  Zero-initialised = defaults. */
struct hj212_framer_opts {
    size_t max_seg;      /* cap on the declared length; 0 = HJ212_MAX_SEG; at most 9999 */
    hj212_crc_kind crc;  /* CRC algorithm expected from this device */
    bool lenient_length; /* accept a frame whose length field is wrong when the CRC over the
                            bytes up to the first CR LF matches (flag HJ212_FRAME_LENGTH_FIXED) */
};

#define HJ212_FRAME_OVER_1024    1u /* data segment longer than the standard's 1024 bytes */
#define HJ212_FRAME_LENGTH_FIXED 2u /* accepted by lenient_length despite a wrong length field */

typedef enum hj212_event_kind {
    HJ212_EV_FRAME = 1, /* a complete frame whose length and CRC check out */
    HJ212_EV_REJECT,    /* a "##" that did not start a valid frame (its first '#' consumed) */
    HJ212_EV_STRAY      /* bytes between frames */
} hj212_event_kind;

/* One framer output.  All pointers are valid until the next call on the framer. */
struct hj212_event {
    hj212_event_kind kind;
    hj212_reject reason; /* HJ212_REJ_NONE for frames */
    uint64_t offset;     /* stream offset of the first byte ("##" for frames and rejects) */
    const char *data;    /* FRAME: the whole frame "##…\r\n"; REJECT: the first '#'; STRAY: the
                            bytes (for a REJECT the rest of the damaged frame follows as STRAY) */
    size_t len;
    const char *seg; /* FRAME: the data segment */
    size_t seg_len;
    uint16_t crc;   /* FRAME: the CRC as sent */
    unsigned flags; /* FRAME: HJ212_FRAME_* */
};

struct hj212_framer_stats {
    uint64_t frames;
    uint64_t frame_bytes;
    uint64_t over_1024;
    uint64_t length_fixed;
    uint64_t rejects[HJ212_REJ__COUNT]; /* [HJ212_REJ_STRAY] counts stray runs */
    uint64_t stray_bytes;
};

struct hj212_framer; /* opaque; lives inside caller memory */

/* Bytes of caller memory a framer needs for the given options (NULL = defaults):
 * the state plus one buffer of 12 + max_seg bytes (the hard per-framer cap). */
size_t hj212_framer_mem_size(const struct hj212_framer_opts *opts);

/* Create a framer inside mem[0..mem_size).  Fails with EG_EINVAL if mem is NULL, misaligned for
 * max_align_t, or smaller than hj212_framer_mem_size(opts), or if opts->max_seg > 9999.
 * On success *ret_f points into mem; nothing needs freeing. */
int hj212_framer_init(void *mem, size_t mem_size, const struct hj212_framer_opts *opts,
                      struct hj212_framer **ret_f) EG_MUST_CHECK;

/* Hand the framer the next chunk of the stream.  The previous chunk must have been drained
 * (hj212_framer_next returned 0); otherwise EG_ESTATE.  The bytes are read in place and must stay
 * valid until hj212_framer_next returns 0; the framer copies only an unfinished tail. */
int hj212_framer_push(struct hj212_framer *f, const void *data, size_t n) EG_MUST_CHECK;

/* Declare the end of the stream: buffered bytes are then drained as rejects / stray. */
void hj212_framer_finish(struct hj212_framer *f);

/* Next event: returns 1 and fills *ret_ev, or 0 when more input is needed (or, after finish, when
 * the stream is exhausted).  Never fails. */
int hj212_framer_next(struct hj212_framer *f, struct hj212_event *ret_ev);

/* Forget buffered bytes and counters (e.g. on reconnect). */
void hj212_framer_reset(struct hj212_framer *f);

const struct hj212_framer_stats *hj212_framer_stats(const struct hj212_framer *f);

/* ---- parsed record ------------------------------------------------------------------------------
 */

/* A view into the frame bytes; p == NULL means absent. */
struct hj212_str {
    const char *p;
    size_t n;
};

typedef enum hj212_version {
    HJ212_V2005 = 0,  /* version bits 000000, or no Flag at all */
    HJ212_V2017 = 1,  /* version bits 000001 */
    HJ212_V2025 = 2,  /* version bits 000010 (HJ 212-2025; unverified, see docs/hj212.md) */
    HJ212_VOTHER = 63 /* any other version bits: see hj212_record.version_bits */
} hj212_version;

/* A date-time field: 14 digits YYYYMMDDhhmmss; 17 with milliseconds (2005 devices); 13 and 15
 * tolerated (13: seconds lost, taken as 0; 15: tenths of a second). */
struct hj212_time {
    bool ok; /* digits and ranges valid */
    uint8_t digits;
    int16_t year;
    uint8_t month, day, hour, minute, second;
    uint16_t msec;
};

/* An exact decimal: value = num × 10^-scale, scale = the decimals written (at most 9). */
struct hj212_num {
    bool ok;
    int8_t scale;
    int64_t num;
};

/* Parse s[0..n) as an exact decimal ([+-]digits[.digits], at most 9 decimals; up to 18 digits
 * directly, longer through eg_dec_parse, which reports overflow).  Always fills *ret: ok = false
 * when the text is not such a number.  No binary floating point. */
void hj212_num_parse(const char *s, size_t n, struct hj212_num *ret);

/* One item field `code-Name=value` (Name as sent: Rtd, Avg, Flag, ZsRtd, RS, Ala, Info, …).
 * The value is kept as text; its exact decimal is computed only when asked (hj212_field_num),
 * so a frame whose values are only stored as text never pays for number parsing. */
struct hj212_field {
    struct hj212_str name;
    struct hj212_str value;
    int32_t next; /* next field of the same item, -1 = last */
};

/* The field's value as an exact decimal (ok = false when it is not a decimal number). */
struct hj212_num hj212_field_num(const struct hj212_field *f);

/* All fields of one pollutant / facility / site-information code, in arrival order. */
struct hj212_item {
    struct hj212_str code; /* as sent (2005 or 2017) */
    const char
        *code_2017;   /* the 2017 code (static string; == code for 2017 codes); NULL if unknown */
    bool mapped_2005; /* code is an HJ/T 212-2005 code translated by Appendix B */
    int32_t first, last; /* indexes into hj212_record.fields */
    uint32_t nfields;
    uint32_t seq; /* position in CP (for rebuilding in the original order) */
};

/* A `Key=value` pair: CP parameters (DataTime, BeginTime, QnRtn, QN inside CP, …) and header
 * fields beyond the 2017 set (e.g. HJ 212-2025 "RF"). */
struct hj212_pair {
    struct hj212_str key;
    struct hj212_str value;
    uint32_t seq;
};

/* Well-known CP parameters, copied out of the pairs for convenience. */
struct hj212_cp_params {
    struct hj212_str data_time, begin_time, end_time, qn, system_time, pol_id, info_id;
    struct hj212_time data_time_v, begin_time_v, end_time_v;
    int qn_rtn;  /* -1 = absent */
    int exe_rtn; /* -1 = absent */
};

/* A parsed data segment.  Initialise with hj212_record_init; the arrays are the caller's and
 * their capacities are the per-frame limits (exceeding one is EG_ELIMIT). */
struct hj212_record {
    /* header (Table 3); absent fields have p == NULL */
    struct hj212_str qn, st, cn, pw, mn, flag_s, pnum_s, pno_s, cp;
    int cn_num;            /* -1 if absent */
    int flag;              /* -1 if absent */
    hj212_version version; /* from the Flag version bits; V2005 without Flag */
    unsigned version_bits;
    bool ack;                      /* Flag bit A: a reply is wanted */
    bool split;                    /* Flag bit D: PNUM/PNO present */
    int pnum, pno;                 /* -1 if absent */
    bool header_2005;              /* header without QN and Flag (2005 layout) */
    struct hj212_str qn_effective; /* header QN, else the 2005 QN inside CP */
    struct hj212_cp_params p;

    struct hj212_pair *header_extra;
    uint32_t nheader_extra, max_header_extra;
    struct hj212_pair *params;
    uint32_t nparams, max_params;
    struct hj212_item *items;
    uint32_t nitems, max_items;
    struct hj212_field *fields;
    uint32_t nfields, max_fields;
};

/* Attach caller arrays (any may be NULL with capacity 0) and clear the record. */
void hj212_record_init(struct hj212_record *r, struct hj212_pair *header_extra,
                       uint32_t max_header_extra, struct hj212_pair *params, uint32_t max_params,
                       struct hj212_item *items, uint32_t max_items, struct hj212_field *fields,
                       uint32_t max_fields);

/* Parse a data segment (the bytes between the length field and the CRC) into r, which must have
 * been set up by hj212_record_init (its arrays are reused; previous content is dropped).
 * Returns 0; EG_EPARSE for malformed input (eb->field names the field, e.g. "CN", "CP",
 * "DataTime"); EG_ELIMIT when an item/field/pair capacity is exceeded (eb->field "CP").
 * On failure r is left in an unspecified but safe state. */
int hj212_parse(const char *seg, size_t n, struct hj212_record *r,
                struct eg_errbuf *eb) EG_MUST_CHECK;

/* Parse a DataTime-style value (13/14/15/17 digits).  EG_EPARSE if not digits / bad length /
 * out-of-range calendar fields. */
int hj212_time_parse(const char *s, size_t n, struct hj212_time *ret) EG_MUST_CHECK;

/* Look up a pollutant code: returns the 2017 code (static) for a 2017 code or a mapped 2005 code
 * (setting *ret_mapped), or NULL when it is in neither column of Appendix B. */
const char *hj212_code_2017(const char *code, size_t n, bool *ret_mapped);

/* Scan the header of a (possibly damaged) data segment for `key=` and return its value.
 * Returns 0 or EG_ENOTFOUND.  Used on rejected frames for statistics. */
int hj212_peek_field(const char *seg, size_t n, const char *key,
                     struct hj212_str *ret) EG_MUST_CHECK;

/* ---- key/value view for front ends (CLI JSON) -------------------------------------------------
 */

typedef enum hj212_kv_section {
    HJ212_KV_HEADER = 1, /* QN, ST, CN, PW, MN, Flag, PNUM, PNO and extra header pairs */
    HJ212_KV_PARAM,      /* CP parameters without a code (DataTime, QnRtn, …) */
    HJ212_KV_ITEM        /* an item field: item_code + key */
} hj212_kv_section;

struct hj212_kv {
    hj212_kv_section section;
    struct hj212_str item_code; /* ITEM only: as sent */
    const char *item_code_2017; /* ITEM only: NULL when unknown */
    struct hj212_str key;
    struct hj212_str value;
    const struct hj212_num *num; /* ITEM only, NULL otherwise */
};

typedef int (*hj212_kv_fn)(void *ctx, const struct hj212_kv *kv);

/* Call fn for every header field, CP parameter and item field in wire order (items grouped).
 * Stops and returns fn's value at the first non-zero return; 0 otherwise. */
int hj212_record_visit(const struct hj212_record *r, hj212_kv_fn fn, void *ctx);

/* ---- stream summary (for `envgov hj212 parse`) ------------------------------------------------
 */

struct hj212_summary {
    struct hj212_framer_stats framing;
    uint64_t parsed;       /* valid frames whose data segment parsed */
    uint64_t parse_failed; /* valid frames whose data segment did not parse */
};

/* Frame and parse a whole in-memory byte stream.  mem/mem_size as for hj212_framer_init.
 * Fills *ret and returns 0, or EG_EINVAL for bad options/memory. */
int hj212_summarize(const void *data, size_t n, const struct hj212_framer_opts *opts, void *mem,
                    size_t mem_size, struct hj212_summary *ret) EG_MUST_CHECK;

/* ---- builder ------------------------------------------------------------------------------------
 */

/* Header of an outgoing packet.  Absent views (p == NULL) are omitted (QN, PW, MN; ST is
 * required); flag < 0 omits Flag; PNUM/PNO are written only when both > 0. */
struct hj212_hdr {
    struct hj212_str qn, st, pw, mn;
    int cn;
    int flag;
    int pnum, pno;
};

/* A view of a NUL-terminated string (NULL gives an absent view). */
struct hj212_str hj212_s(const char *s);

/* The header of a parsed record (views into its frame), for replies and rebuilds. */
void hj212_hdr_from_record(const struct hj212_record *r, struct hj212_hdr *ret);

struct hj212_kvc {
    const char *key;
    const char *value;
};

/* Write "##" + LLLL + "QN=..;ST=..;CN=..;PW=..;MN=..;Flag=..;[PNUM=..;PNO=..;]CP=&&" + cp + "&&"
 * + CRC + CR LF into out[0..cap) (also NUL-terminated when room remains).  cp is the raw CP
 * content (may be NULL / empty).  Returns 0 and sets *ret_len; EG_ELIMIT when the frame does not
 * fit in cap or the data segment exceeds 9999 bytes; EG_EINVAL for bad arguments.  out is
 * unspecified on failure. */
int hj212_build_raw(char *out, size_t cap, const struct hj212_hdr *h, const char *cp, size_t cp_len,
                    hj212_crc_kind crc, size_t *ret_len) EG_MUST_CHECK;

/* As hj212_build_raw with CP = "k1=v1;k2=v2…". */
int hj212_build_cmd(char *out, size_t cap, const struct hj212_hdr *h, const struct hj212_kvc *kv,
                    size_t nkv, size_t *ret_len) EG_MUST_CHECK;

/* Replies to a parsed request/upload `req` (HJ 212-2017 §6.5, Tables C.1/C.4/C.14/C.50):
 * ST=91, Flag=4 (2017, no reply wanted), QN/PW/MN echoed from req (QN: the header QN, else the
 * 2005 QN inside CP).  9011 QnRtn, 9012 ExeRtn, 9013 notify answer, 9014 data answer. */
int hj212_build_qn_rtn(char *out, size_t cap, const struct hj212_record *req, int qn_rtn,
                       size_t *ret_len) EG_MUST_CHECK;
int hj212_build_exe_rtn(char *out, size_t cap, const struct hj212_record *req, int exe_rtn,
                        size_t *ret_len) EG_MUST_CHECK;
int hj212_build_notify_ack(char *out, size_t cap, const struct hj212_record *req,
                           size_t *ret_len) EG_MUST_CHECK;
int hj212_build_data_ack(char *out, size_t cap, const struct hj212_record *req,
                         size_t *ret_len) EG_MUST_CHECK;

/* Downlinks (host → device), Table 9.  h->cn is overwritten with the command's CN. */
/* 1000: OverTime (s) and ReCount. */
int hj212_build_set_timeout(char *out, size_t cap, struct hj212_hdr h, int overtime, int recount,
                            size_t *ret_len) EG_MUST_CHECK;
/* 1011 get time (system_time NULL) / 1012 set time (system_time = 14 digits); pol_id may be NULL.
 */
int hj212_build_get_time(char *out, size_t cap, struct hj212_hdr h, const char *pol_id,
                         size_t *ret_len) EG_MUST_CHECK;
int hj212_build_set_time(char *out, size_t cap, struct hj212_hdr h, const char *pol_id,
                         const char *system_time, size_t *ret_len) EG_MUST_CHECK;
/* 1061/1063 get intervals, 1062 RtdInterval, 1064 MinInterval, 1072 NewPW. */
int hj212_build_get(char *out, size_t cap, struct hj212_hdr h, int cn,
                    size_t *ret_len) EG_MUST_CHECK;
int hj212_build_set_rtd_interval(char *out, size_t cap, struct hj212_hdr h, int seconds,
                                 size_t *ret_len) EG_MUST_CHECK;
int hj212_build_set_min_interval(char *out, size_t cap, struct hj212_hdr h, int minutes,
                                 size_t *ret_len) EG_MUST_CHECK;
int hj212_build_set_password(char *out, size_t cap, struct hj212_hdr h, const char *new_pw,
                             size_t *ret_len) EG_MUST_CHECK;
/* 2011/2021 start and 2012/2022 stop real-time / status upload (empty CP). */
int hj212_build_notify(char *out, size_t cap, struct hj212_hdr h, int cn,
                       size_t *ret_len) EG_MUST_CHECK;
/* 2031/2041/2051/2061 history (re-)fetch with BeginTime/EndTime (14 digits each). */
int hj212_build_history(char *out, size_t cap, struct hj212_hdr h, int cn, const char *begin_time,
                        const char *end_time, size_t *ret_len) EG_MUST_CHECK;
/* 3011-3014, 3017-3019 control/get commands carrying only PolId. */
int hj212_build_control(char *out, size_t cap, struct hj212_hdr h, int cn, const char *pol_id,
                        size_t *ret_len) EG_MUST_CHECK;

/* Rebuild a frame from a parsed record: header fields present in r in the Table 3 order (extra
 * header pairs before CP), CP parameters and items in their original order, item fields joined by
 * ',' and entries by ';'.  Values are written exactly as received, so a canonical frame round-trips
 * byte for byte.  Errors as hj212_build_raw. */
int hj212_build_record(char *out, size_t cap, const struct hj212_record *r,
                       size_t *ret_len) EG_MUST_CHECK;

#endif
