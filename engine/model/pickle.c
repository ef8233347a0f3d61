/* pickle.c - the restricted unpickler of pickle.h.
 *
 * The machine keeps Python's semantics for the opcodes it knows: a value
 * stack with marks, a memo of references (a dict memoized and then filled is
 * the same dict), REDUCE applying a known callable to an argument tuple.
 * Values live in one node pool; containers hold node indexes, so shared and
 * even cyclic references cost nothing and nothing here recurses. */
#include "model/pickle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NO_NODE UINT32_MAX

struct pickle {
    pk_node *nodes;
    uint32_t count, cap;
    uint32_t items;   /* container entries in all nodes, for the limit */
    uint32_t root;
};

/* The running machine: the input, the stack, the marks and the memo. */
typedef struct {
    pickle *p;
    const char *label;
    const unsigned char *data;
    size_t size, pos, op_pos;
    int op;
    uint32_t *stack, depth;
    uint32_t *marks, nmarks;
    uint32_t *memo, memo_cap;
    dctdiff_error *err;
} machine;

static const struct {
    const char *module, *name;
} known_globals[] = {
    [PK_G_ORDERED_DICT] = {"collections", "OrderedDict"},
    [PK_G_REBUILD_TENSOR] = {"torch._utils", "_rebuild_tensor_v2"},
    [PK_G_FLOAT_STORAGE] = {"torch", "FloatStorage"},
    [PK_G_HALF_STORAGE] = {"torch", "HalfStorage"},
    [PK_G_BFLOAT16_STORAGE] = {"torch", "BFloat16Storage"},
};

static dctdiff_status fail_at(machine *mc, const char *why)
{
    return dd_fail(mc->err, DCTDIFF_E_FORMAT, "%s: data.pkl byte %zu, opcode 0x%02x: %s",
                   mc->label, mc->op_pos, mc->op, why);
}

static pk_node *node(const machine *mc, uint32_t i) { return &mc->p->nodes[i]; }

static dctdiff_status new_node(machine *mc, pk_kind kind, uint32_t *out)
{
    pickle *p = mc->p;
    if (p->count == PICKLE_MAX_NODES)
        return fail_at(mc, "more values than a state_dict has (node limit)");
    if (p->count == p->cap) {
        uint32_t cap = p->cap ? 2 * p->cap : 256;
        pk_node *bigger = realloc(p->nodes, cap * sizeof *bigger);
        if (!bigger)
            return dd_fail(mc->err, DCTDIFF_E_NOMEM, "%s: no memory for the pickle", mc->label);
        p->nodes = bigger;
        p->cap = cap;
    }
    *out = p->count++;
    memset(&p->nodes[*out], 0, sizeof p->nodes[*out]);
    p->nodes[*out].kind = kind;
    return DCTDIFF_OK;
}

static dctdiff_status add_item(machine *mc, uint32_t container, uint32_t item)
{
    pk_node *c = node(mc, container);
    if (mc->p->items == PICKLE_MAX_ITEMS)
        return fail_at(mc, "more entries than a state_dict has (item limit)");
    if (c->n == c->cap) {
        uint32_t cap = c->cap ? 2 * c->cap : 4;
        uint32_t *bigger = realloc(c->items, cap * sizeof *bigger);
        if (!bigger)
            return dd_fail(mc->err, DCTDIFF_E_NOMEM, "%s: no memory for the pickle", mc->label);
        c->items = bigger;
        c->cap = cap;
    }
    c->items[c->n++] = item;
    mc->p->items++;
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* Stack, marks, memo                                                       */

static dctdiff_status push(machine *mc, uint32_t v)
{
    if (mc->depth == PICKLE_MAX_STACK)
        return fail_at(mc, "stack too deep (stack limit)");
    mc->stack[mc->depth++] = v;
    return DCTDIFF_OK;
}

static dctdiff_status push_new(machine *mc, pk_kind kind, uint32_t *out)
{
    dctdiff_status st = new_node(mc, kind, out);
    return st == DCTDIFF_OK ? push(mc, *out) : st;
}

/* The stack floor: nothing below the last mark may be popped. */
static uint32_t floor_of(const machine *mc)
{
    return mc->nmarks ? mc->marks[mc->nmarks - 1] : 0;
}

static dctdiff_status pop(machine *mc, uint32_t *v)
{
    if (mc->depth == floor_of(mc))
        return fail_at(mc, "pops an empty stack");
    *v = mc->stack[--mc->depth];
    return DCTDIFF_OK;
}

static dctdiff_status top(machine *mc, uint32_t *v)
{
    if (mc->depth == floor_of(mc))
        return fail_at(mc, "reads an empty stack");
    *v = mc->stack[mc->depth - 1];
    return DCTDIFF_OK;
}

/* Removes everything above the last mark and the mark; *first is where the
 * items were. */
static dctdiff_status pop_mark(machine *mc, uint32_t *first)
{
    if (mc->nmarks == 0)
        return fail_at(mc, "needs a MARK and there is none");
    *first = mc->marks[--mc->nmarks];
    return DCTDIFF_OK;
}

static dctdiff_status memo_put(machine *mc, uint64_t index)
{
    uint32_t v = 0;
    dctdiff_status st = top(mc, &v);
    if (st != DCTDIFF_OK)
        return st;
    if (index >= PICKLE_MAX_MEMO)
        return fail_at(mc, "memo index beyond the memo limit");
    if (index >= mc->memo_cap) {
        uint32_t cap = mc->memo_cap ? mc->memo_cap : 256;
        while (cap <= index)
            cap *= 2;
        uint32_t *bigger = realloc(mc->memo, cap * sizeof *bigger);
        if (!bigger)
            return dd_fail(mc->err, DCTDIFF_E_NOMEM, "%s: no memory for the pickle memo",
                           mc->label);
        for (uint32_t i = mc->memo_cap; i < cap; i++)
            bigger[i] = NO_NODE;
        mc->memo = bigger;
        mc->memo_cap = cap;
    }
    mc->memo[index] = v;
    return DCTDIFF_OK;
}

static dctdiff_status memo_get(machine *mc, uint64_t index)
{
    if (index >= mc->memo_cap || mc->memo[index] == NO_NODE)
        return fail_at(mc, "reads a memo slot never written");
    return push(mc, mc->memo[index]);
}

/* ------------------------------------------------------------------------ */
/* Reading arguments                                                        */

static dctdiff_status take(machine *mc, size_t n, const unsigned char **out)
{
    if (n > mc->size - mc->pos)
        return fail_at(mc, "the pickle ends inside its argument");
    *out = mc->data + mc->pos;
    mc->pos += n;
    return DCTDIFF_OK;
}

static dctdiff_status read_le(machine *mc, size_t n, uint64_t *out)
{
    const unsigned char *b = NULL;
    dctdiff_status st = take(mc, n, &b);
    *out = 0;
    for (size_t i = 0; st == DCTDIFF_OK && i < n; i++)
        *out |= (uint64_t)b[i] << (8 * i);
    return st;
}

/* A newline-terminated line (GLOBAL's module and name). */
static dctdiff_status read_line(machine *mc, const char **s, size_t *len)
{
    const unsigned char *start = mc->data + mc->pos;
    const unsigned char *nl = memchr(start, '\n', mc->size - mc->pos);
    if (!nl)
        return fail_at(mc, "the pickle ends inside a GLOBAL name");
    *s = (const char *)start;
    *len = (size_t)(nl - start);
    mc->pos += *len + 1;
    return DCTDIFF_OK;
}

/* ------------------------------------------------------------------------ */
/* Opcodes                                                                  */

static dctdiff_status op_int(machine *mc, size_t bytes, int is_signed)
{
    uint64_t u;
    dctdiff_status st = read_le(mc, bytes, &u);
    uint32_t v = 0;
    if (st == DCTDIFF_OK)
        st = push_new(mc, PK_INT, &v);
    if (st == DCTDIFF_OK)
        node(mc, v)->i = is_signed ? (int64_t)(int32_t)(uint32_t)u : (int64_t)u;
    return st;
}

/* LONG1: a little-endian two's complement integer of n bytes; only those
 * that fit 64 bits occur in a state_dict. */
static dctdiff_status op_long1(machine *mc)
{
    uint64_t n, u = 0;
    const unsigned char *b = NULL;
    dctdiff_status st = read_le(mc, 1, &n);
    if (st == DCTDIFF_OK && n > 8)
        return fail_at(mc, "LONG1 integer wider than 64 bits");
    if (st == DCTDIFF_OK)
        st = take(mc, (size_t)n, &b);
    for (size_t i = 0; st == DCTDIFF_OK && i < n; i++)
        u |= (uint64_t)b[i] << (8 * i);
    if (st == DCTDIFF_OK && n > 0 && n < 8 && (b[n - 1] & 0x80))
        u |= ~(uint64_t)0 << (8 * n);   /* sign-extend */
    uint32_t v = 0;
    if (st == DCTDIFF_OK)
        st = push_new(mc, PK_INT, &v);
    if (st == DCTDIFF_OK)
        node(mc, v)->i = (int64_t)u;
    return st;
}

static dctdiff_status op_binfloat(machine *mc)
{
    const unsigned char *b = NULL;
    dctdiff_status st = take(mc, 8, &b);
    uint64_t bits = 0;
    for (int i = 0; st == DCTDIFF_OK && i < 8; i++)
        bits = bits << 8 | b[i];   /* big-endian */
    uint32_t v = 0;
    if (st == DCTDIFF_OK)
        st = push_new(mc, PK_FLOAT, &v);
    if (st == DCTDIFF_OK)
        memcpy(&node(mc, v)->f, &bits, sizeof(double));
    return st;
}

static dctdiff_status op_binunicode(machine *mc)
{
    uint64_t n;
    const unsigned char *b = NULL;
    dctdiff_status st = read_le(mc, 4, &n);
    if (st == DCTDIFF_OK)
        st = take(mc, (size_t)n, &b);
    uint32_t v = 0;
    if (st == DCTDIFF_OK)
        st = push_new(mc, PK_STR, &v);
    if (st == DCTDIFF_OK) {
        node(mc, v)->s = (const char *)b;
        node(mc, v)->len = (size_t)n;
    }
    return st;
}

static dctdiff_status op_global(machine *mc)
{
    const char *module = NULL, *name = NULL;
    size_t mlen = 0, nlen = 0;
    dctdiff_status st = read_line(mc, &module, &mlen);
    if (st == DCTDIFF_OK)
        st = read_line(mc, &name, &nlen);
    if (st != DCTDIFF_OK)
        return st;
    for (size_t g = 0; g < sizeof known_globals / sizeof known_globals[0]; g++)
        if (strlen(known_globals[g].module) == mlen &&
            memcmp(known_globals[g].module, module, mlen) == 0 &&
            strlen(known_globals[g].name) == nlen && memcmp(known_globals[g].name, name, nlen) == 0) {
            uint32_t v = 0;
            st = push_new(mc, PK_GLOBAL, &v);
            if (st == DCTDIFF_OK)
                node(mc, v)->global = (pk_global)g;
            return st;
        }
    return dd_fail(mc->err, DCTDIFF_E_FORMAT,
                   "%s: data.pkl byte %zu: global '%.*s.%.*s' is not allowed (a torch.save "
                   "state_dict uses only OrderedDict, _rebuild_tensor_v2 and float storages)",
                   mc->label, mc->op_pos, (int)(mlen > 60 ? 60 : mlen), module,
                   (int)(nlen > 60 ? 60 : nlen), name);
}

/* A container of the given kind from the stack entries [first, depth). */
static dctdiff_status collect(machine *mc, pk_kind kind, uint32_t first)
{
    uint32_t v = 0;
    dctdiff_status st = new_node(mc, kind, &v);
    for (uint32_t i = first; st == DCTDIFF_OK && i < mc->depth; i++)
        st = add_item(mc, v, mc->stack[i]);
    if (st != DCTDIFF_OK)
        return st;
    mc->depth = first;
    return push(mc, v);
}

static dctdiff_status op_tuple_n(machine *mc, uint32_t n)
{
    if (mc->depth - floor_of(mc) < n)
        return fail_at(mc, "builds a tuple from fewer values than the stack holds");
    return collect(mc, PK_TUPLE, mc->depth - n);
}

static dctdiff_status op_tuple_mark(machine *mc)
{
    uint32_t first = 0;
    dctdiff_status st = pop_mark(mc, &first);
    return st == DCTDIFF_OK ? collect(mc, PK_TUPLE, first) : st;
}

/* APPEND, APPENDS, SETITEM, SETITEMS: the items from first on go into the
 * container below them. */
static dctdiff_status fill(machine *mc, uint32_t first, pk_kind want, int pairs)
{
    if (first == floor_of(mc))
        return fail_at(mc, "has no container to fill");
    pk_node *c = node(mc, mc->stack[first - 1]);
    if (c->kind != want)
        return fail_at(mc, want == PK_DICT ? "sets items on a value that is not a dict"
                                           : "appends to a value that is not a list");
    if (pairs && (mc->depth - first) % 2)
        return fail_at(mc, "sets a key without a value");
    dctdiff_status st = DCTDIFF_OK;
    uint32_t container = mc->stack[first - 1];
    for (uint32_t i = first; st == DCTDIFF_OK && i < mc->depth; i++)
        st = add_item(mc, container, mc->stack[i]);
    mc->depth = first;
    return st;
}

static dctdiff_status op_fill_mark(machine *mc, pk_kind want, int pairs)
{
    uint32_t first = 0;
    dctdiff_status st = pop_mark(mc, &first);
    return st == DCTDIFF_OK ? fill(mc, first, want, pairs) : st;
}

static dctdiff_status op_fill_top(machine *mc, uint32_t n, pk_kind want)
{
    if (mc->depth - floor_of(mc) < n + 1)
        return fail_at(mc, "has too few values on the stack");
    return fill(mc, mc->depth - n, want, n == 2);
}

/* REDUCE: only OrderedDict() and _rebuild_tensor_v2(...) are calls. */
static dctdiff_status op_reduce(machine *mc)
{
    uint32_t args = 0, fn = 0, v = 0;
    dctdiff_status st = pop(mc, &args);
    if (st == DCTDIFF_OK)
        st = pop(mc, &fn);
    if (st != DCTDIFF_OK)
        return st;
    if (node(mc, args)->kind != PK_TUPLE)
        return fail_at(mc, "REDUCE with arguments that are not a tuple");
    if (node(mc, fn)->kind != PK_GLOBAL)
        return fail_at(mc, "REDUCE calls a value that is not a known global");
    switch (node(mc, fn)->global) {
    case PK_G_ORDERED_DICT:
        if (node(mc, args)->n != 0)
            return fail_at(mc, "OrderedDict called with arguments");
        return push_new(mc, PK_DICT, &v);
    case PK_G_REBUILD_TENSOR:
        st = push_new(mc, PK_TENSOR, &v);
        for (uint32_t i = 0; st == DCTDIFF_OK && i < node(mc, args)->n; i++)
            st = add_item(mc, v, node(mc, args)->items[i]);
        return st;
    default:
        return fail_at(mc, "REDUCE calls a storage class (only persistent ids name storages)");
    }
}

/* BUILD sets an object's state; the only one a state_dict has is the
 * OrderedDict's _metadata attribute (module versions), which is dropped. */
static dctdiff_status op_build(machine *mc)
{
    uint32_t state = 0, obj = 0;
    dctdiff_status st = pop(mc, &state);
    if (st == DCTDIFF_OK)
        st = top(mc, &obj);
    if (st == DCTDIFF_OK && node(mc, obj)->kind != PK_DICT)
        return fail_at(mc, "BUILD on a value that is not an OrderedDict");
    return st;
}

static dctdiff_status op_persid(machine *mc)
{
    uint32_t pid = 0, v = 0;
    dctdiff_status st = pop(mc, &pid);
    if (st == DCTDIFF_OK && node(mc, pid)->kind != PK_TUPLE)
        return fail_at(mc, "persistent id is not a tuple");
    if (st == DCTDIFF_OK)
        st = push_new(mc, PK_STORAGE, &v);
    for (uint32_t i = 0; st == DCTDIFF_OK && i < node(mc, pid)->n; i++)
        st = add_item(mc, v, node(mc, pid)->items[i]);
    return st;
}

static dctdiff_status op_mark(machine *mc)
{
    if (mc->nmarks == PICKLE_MAX_STACK)
        return fail_at(mc, "too many open MARKs (stack limit)");
    mc->marks[mc->nmarks++] = mc->depth;
    return DCTDIFF_OK;
}

static dctdiff_status op_proto(machine *mc)
{
    uint64_t v;
    dctdiff_status st = read_le(mc, 1, &v);
    if (st == DCTDIFF_OK && v != 2) {
        char why[96];
        snprintf(why, sizeof why, "pickle protocol %u; torch.save writes protocol 2",
                 (unsigned)v);
        return fail_at(mc, why);
    }
    return st;
}

static dctdiff_status op_memo(machine *mc, size_t bytes, int put)
{
    uint64_t index;
    dctdiff_status st = read_le(mc, bytes, &index);
    if (st != DCTDIFF_OK)
        return st;
    return put ? memo_put(mc, index) : memo_get(mc, index);
}

static dctdiff_status op_constant(machine *mc, pk_kind kind, int64_t value)
{
    uint32_t v = 0;
    dctdiff_status st = push_new(mc, kind, &v);
    if (st == DCTDIFF_OK)
        node(mc, v)->i = value;
    return st;
}

static dctdiff_status step(machine *mc)
{
    uint32_t v = 0;
    switch (mc->op) {
    case 0x80: return op_proto(mc);
    case '(': return op_mark(mc);
    case 'N': return op_constant(mc, PK_NONE, 0);
    case 0x88: return op_constant(mc, PK_BOOL, 1);
    case 0x89: return op_constant(mc, PK_BOOL, 0);
    case 'K': return op_int(mc, 1, 0);
    case 'M': return op_int(mc, 2, 0);
    case 'J': return op_int(mc, 4, 1);
    case 0x8a: return op_long1(mc);
    case 'G': return op_binfloat(mc);
    case 'X': return op_binunicode(mc);
    case ')': return push_new(mc, PK_TUPLE, &v);
    case 't': return op_tuple_mark(mc);
    case 0x85: return op_tuple_n(mc, 1);
    case 0x86: return op_tuple_n(mc, 2);
    case 0x87: return op_tuple_n(mc, 3);
    case ']': return push_new(mc, PK_LIST, &v);
    case 'a': return op_fill_top(mc, 1, PK_LIST);
    case 'e': return op_fill_mark(mc, PK_LIST, 0);
    case '}': return push_new(mc, PK_DICT, &v);
    case 's': return op_fill_top(mc, 2, PK_DICT);
    case 'u': return op_fill_mark(mc, PK_DICT, 1);
    case 'c': return op_global(mc);
    case 'R': return op_reduce(mc);
    case 'b': return op_build(mc);
    case 'Q': return op_persid(mc);
    case 'q': return op_memo(mc, 1, 1);
    case 'r': return op_memo(mc, 4, 1);
    case 'h': return op_memo(mc, 1, 0);
    case 'j': return op_memo(mc, 4, 0);
    }
    char why[96];
    if (mc->op >= 0x20 && mc->op < 0x7f)
        snprintf(why, sizeof why, "opcode '%c' is not allowed (not used by torch.save)", mc->op);
    else
        snprintf(why, sizeof why, "opcode is not allowed (not used by torch.save)");
    return fail_at(mc, why);
}

static dctdiff_status run(machine *mc)
{
    while (mc->pos < mc->size) {
        mc->op_pos = mc->pos;
        mc->op = mc->data[mc->pos++];
        if (mc->op == '.') {
            if (mc->nmarks || mc->depth != 1)
                return fail_at(mc, "STOP with other than one value on the stack");
            mc->p->root = mc->stack[0];
            return DCTDIFF_OK;
        }
        dctdiff_status st = step(mc);
        if (st != DCTDIFF_OK)
            return st;
    }
    return dd_fail(mc->err, DCTDIFF_E_FORMAT, "%s: data.pkl ends without STOP", mc->label);
}

dctdiff_status pickle_load(const char *label, const unsigned char *data, size_t size,
                           pickle **out, dctdiff_error *err)
{
    *out = NULL;
    machine mc = {.label = label, .data = data, .size = size, .err = err};
    mc.p = calloc(1, sizeof *mc.p);
    mc.stack = malloc(PICKLE_MAX_STACK * sizeof *mc.stack);
    mc.marks = malloc(PICKLE_MAX_STACK * sizeof *mc.marks);
    dctdiff_status st = mc.p && mc.stack && mc.marks
        ? run(&mc)
        : dd_fail(err, DCTDIFF_E_NOMEM, "%s: no memory for the unpickler", label);
    free(mc.stack);
    free(mc.marks);
    free(mc.memo);
    if (st != DCTDIFF_OK) {
        pickle_free(mc.p);
        return st;
    }
    *out = mc.p;
    return DCTDIFF_OK;
}

const pk_node *pickle_root(const pickle *p) { return &p->nodes[p->root]; }

const pk_node *pickle_node(const pickle *p, uint32_t index) { return &p->nodes[index]; }

int pickle_str_is(const pk_node *n, const char *s)
{
    return n->kind == PK_STR && strlen(s) == n->len && memcmp(n->s, s, n->len) == 0;
}

void pickle_free(pickle *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->count; i++)
        free(p->nodes[i].items);
    free(p->nodes);
    free(p);
}
