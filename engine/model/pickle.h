/* pickle.h - a restricted unpickler for what torch.save writes.
 *
 * It runs the protocol-2 opcodes torch.save uses for a state_dict and
 * builds a tree of plain values; it never calls anything.  Five globals are
 * known by name (collections.OrderedDict, torch._utils._rebuild_tensor_v2 and
 * the float, half and bfloat16 storage classes); any other global, any other
 * opcode and any call other than those two is refused with a message naming
 * it.  Memory is bounded: at most PICKLE_MAX_NODES values, PICKLE_MAX_ITEMS
 * container entries, PICKLE_MAX_MEMO memo slots and PICKLE_MAX_STACK stack
 * entries, whatever the input.  pth.c gives the tree its meaning. */
#ifndef DCTDIFF_PICKLE_H
#define DCTDIFF_PICKLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

#define PICKLE_MAX_NODES (1u << 19)
#define PICKLE_MAX_ITEMS (1u << 21)
#define PICKLE_MAX_MEMO (1u << 19)
#define PICKLE_MAX_STACK (1u << 16)

typedef enum {
    PK_NONE = 0,
    PK_BOOL,
    PK_INT,      /* i */
    PK_FLOAT,    /* f */
    PK_STR,      /* s, len: UTF-8 bytes inside the pickle, not terminated */
    PK_TUPLE,    /* items */
    PK_LIST,     /* items */
    PK_DICT,     /* items: key, value, key, value ... (dict and OrderedDict) */
    PK_GLOBAL,   /* global: one of pk_global */
    PK_TENSOR,   /* items: the arguments _rebuild_tensor_v2 was called with */
    PK_STORAGE   /* items: the persistent id tuple's entries */
} pk_kind;

typedef enum {
    PK_G_ORDERED_DICT = 0,
    PK_G_REBUILD_TENSOR,
    PK_G_FLOAT_STORAGE,
    PK_G_HALF_STORAGE,
    PK_G_BFLOAT16_STORAGE
} pk_global;

typedef struct {
    pk_kind kind;
    pk_global global;
    int64_t i;
    double f;
    const char *s;
    size_t len;
    uint32_t *items; /* node indexes */
    uint32_t n, cap;
} pk_node;

typedef struct pickle pickle;

/* Runs the size bytes at data, which must outlive *out (strings point into
 * them).  label starts every message. */
dctdiff_status pickle_load(const char *label, const unsigned char *data, size_t size,
                           pickle **out, dctdiff_error *err);
/* The value STOP returned. */
const pk_node *pickle_root(const pickle *p);
const pk_node *pickle_node(const pickle *p, uint32_t index);
/* 1 when n is a string equal to the NUL-terminated s. */
int pickle_str_is(const pk_node *n, const char *s);
void pickle_free(pickle *p);

#endif
