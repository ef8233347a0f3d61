/* test_safetensors.c - the safetensors reader: values of each dtype come back
 * right, and every kind of corrupt header is refused with a message that
 * names the problem. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "core/safetensors.h"

/* An in-memory file: 8-byte length, the header, the data. */
typedef struct {
    unsigned char *bytes;
    size_t size;
} blob;

static blob make_file(const char *header, const void *data, size_t data_size)
{
    size_t hlen = strlen(header);
    blob b = {malloc(8 + hlen + data_size), 8 + hlen + data_size};
    for (int i = 0; i < 8; i++)
        b.bytes[i] = (unsigned char)((uint64_t)hlen >> (8 * i));
    memcpy(b.bytes + 8, header, hlen);
    if (data_size)
        memcpy(b.bytes + 8 + hlen, data, data_size);
    return b;
}

/* Parses header + zeroed data of data_size bytes; checks the status and that
 * the message contains every one of the NULL-terminated phrases. */
static void expect_fail(const char *what, const char *header, size_t data_size,
                        dctdiff_status want, const char *const *phrases)
{
    unsigned char *zeros = calloc(1, data_size + 1);
    blob b = make_file(header, zeros, data_size);
    safetensors_file *f = (safetensors_file *)1;
    dctdiff_error err = {0};
    dctdiff_status st = safetensors_parse("x.safetensors", b.bytes, b.size, &f, &err);
    CHECK(st == want, "%s: status %s, want %s (%s)", what, dctdiff_status_name(st),
          dctdiff_status_name(want), err.msg);
    CHECK(f == NULL, "%s: out not cleared on failure", what);
    CHECK(strncmp(err.msg, "x.safetensors: ", 15) == 0, "%s: message '%s' does not name the file",
          what, err.msg);
    for (; *phrases; phrases++)
        CHECK(strstr(err.msg, *phrases) != NULL, "%s: message '%s' lacks '%s'", what, err.msg,
              *phrases);
    free(b.bytes);
    free(zeros);
}

#define PHRASES(...) ((const char *const[]){__VA_ARGS__, NULL})

static void test_values(void)
{
    /* f32: 1.5, -2; f16: 1, -2, 0.5, 2^-24 (subnormal), inf; bf16: 1, -3.5 */
    unsigned char data[8 + 10 + 4 + 2] = {0};
    float f32[2] = {1.5f, -2.0f};
    for (int i = 0; i < 2; i++) {
        uint32_t u;
        memcpy(&u, &f32[i], 4);
        for (int k = 0; k < 4; k++)
            data[4 * i + k] = (unsigned char)(u >> (8 * k));
    }
    const uint16_t f16[5] = {0x3c00, 0xc000, 0x3800, 0x0001, 0x7c00};
    const uint16_t bf16[2] = {0x3f80, 0xc060};
    for (int i = 0; i < 5; i++) {
        data[8 + 2 * i] = (unsigned char)(f16[i] & 0xff);
        data[9 + 2 * i] = (unsigned char)(f16[i] >> 8);
    }
    for (int i = 0; i < 2; i++) {
        data[18 + 2 * i] = (unsigned char)(bf16[i] & 0xff);
        data[19 + 2 * i] = (unsigned char)(bf16[i] >> 8);
    }
    blob b = make_file("{\"__metadata__\":{\"name\":\"tiny\",\"format\":\"dctdiff\"},"
                       "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                       "\"h\":{\"dtype\":\"F16\",\"shape\":[5,1],\"data_offsets\":[8,18]},"
                       "\"b\":{\"dtype\":\"BF16\",\"shape\":[1,2],\"data_offsets\":[18,22]},"
                       "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[22,22]},"
                       "\"s\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[22,24]}}",
                       data, sizeof data);
    safetensors_file *f = NULL;
    dctdiff_error err = {0};
    dctdiff_status st = safetensors_parse("ok.safetensors", b.bytes, b.size, &f, &err);
    CHECK(st == DCTDIFF_OK, "valid file refused: %s", err.msg);
    if (st != DCTDIFF_OK) {
        free(b.bytes);
        return;
    }
    CHECK(f->count == 5, "tensor count %d, want 5", f->count);
    CHECK(f->meta_count == 2, "metadata count %d, want 2", f->meta_count);
    const char *name = safetensors_meta(f, "name");
    CHECK(name && strcmp(name, "tiny") == 0, "metadata name '%s'", name ? name : "(null)");
    CHECK(safetensors_meta(f, "nothing") == NULL, "absent metadata key found");
    CHECK(safetensors_find(f, "nothing") == NULL, "absent tensor found");

    const safetensors_tensor *h = safetensors_find(f, "h");
    CHECK(h && h->dtype == SAFETENSORS_F16 && h->ndim == 2 && h->shape[0] == 5 &&
          h->shape[1] == 1 && h->count == 5, "tensor h parsed wrong");
    float out[5];
    safetensors_read_f32(safetensors_find(f, "a"), out);
    check_close("f32", out, f32, 2, 0, 0);
    if (h) {
        safetensors_read_f32(h, out);
        const float want[4] = {1.0f, -2.0f, 0.5f, 5.9604645e-8f};
        check_close("f16", out, want, 4, 0, 0);
        CHECK(isinf(out[4]) && out[4] > 0, "f16 inf read as %g", out[4]);
    }
    safetensors_read_f32(safetensors_find(f, "b"), out);
    check_close("bf16", out, (const float[]){1.0f, -3.5f}, 2, 0, 0);
    const safetensors_tensor *e = safetensors_find(f, "e"), *s = safetensors_find(f, "s");
    CHECK(e && e->count == 0, "empty tensor count");
    CHECK(s && s->ndim == 0 && s->count == 1, "scalar tensor count");
    safetensors_close(f);
    free(b.bytes);
}

static void test_bad_headers(void)
{
    expect_fail("not JSON", "{\"a\": [1, 2", 0, DCTDIFF_E_FORMAT, PHRASES("not valid JSON"));
    expect_fail("not an object", "[1, 2]", 0, DCTDIFF_E_FORMAT, PHRASES("not a JSON object"));
    expect_fail("duplicate key",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                8, DCTDIFF_E_FORMAT, PHRASES("not valid JSON", "duplicate"));
    expect_fail("wrong dtype", "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                8, DCTDIFF_E_UNSUPPORTED, PHRASES("'w'", "F64"));
    expect_fail("unknown dtype", "{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                8, DCTDIFF_E_FORMAT, PHRASES("'w'", "unknown dtype 'Q4'"));
    expect_fail("dtype missing", "{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                DCTDIFF_E_FORMAT, PHRASES("'w'", "dtype"));
    expect_fail("offsets past the end",
                "{\"proj.weight\":{\"dtype\":\"F32\",\"shape\":[32,32],\"data_offsets\":[0,4096]}}",
                2048, DCTDIFF_E_FORMAT,
                PHRASES("tensor 'proj.weight'", "0..4096", "past the end", "2048 bytes"));
    expect_fail("size mismatch", "{\"w\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                8, DCTDIFF_E_FORMAT, PHRASES("'w'", "hold 8 bytes", "needs 6"));
    expect_fail("reversed offsets",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", 8,
                DCTDIFF_E_FORMAT, PHRASES("'w'", "reversed"));
    expect_fail("negative offset",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8,
                DCTDIFF_E_FORMAT, PHRASES("'w'", "data_offsets"));
    expect_fail("overlap",
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                12, DCTDIFF_E_FORMAT, PHRASES("'a'", "'b'", "overlap"));
    expect_fail("huge dim",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999],\"data_offsets\":[0,4]}}", 4,
                DCTDIFF_E_FORMAT, PHRASES("'w'", "dimension 0", "too large"));
    expect_fail("shape overflow",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],"
                "\"data_offsets\":[0,4]}}", 4, DCTDIFF_E_FORMAT, PHRASES("'w'", "overflows"));
    expect_fail("negative dim",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,4]}}", 4,
                DCTDIFF_E_FORMAT, PHRASES("'w'", "dimension 1"));
    expect_fail("too many dims",
                "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],\"data_offsets\":[0,4]}}",
                4, DCTDIFF_E_FORMAT, PHRASES("'w'", "9 dimensions"));
    expect_fail("metadata not a string", "{\"__metadata__\":{\"steps\":50}}", 0, DCTDIFF_E_FORMAT,
                PHRASES("__metadata__ 'steps'", "not a string"));
    expect_fail("metadata not an object", "{\"__metadata__\":[]}", 0, DCTDIFF_E_FORMAT,
                PHRASES("__metadata__", "not an object"));
    expect_fail("entry not an object", "{\"w\":7}", 0, DCTDIFF_E_FORMAT,
                PHRASES("'w'", "not an object"));
}

static void test_bad_lengths(void)
{
    unsigned char tiny[5] = {1, 0, 0, 0, 0};
    safetensors_file *f;
    dctdiff_error err = {0};
    dctdiff_status st = safetensors_parse("t.safetensors", tiny, sizeof tiny, &f, &err);
    CHECK(st == DCTDIFF_E_FORMAT && strstr(err.msg, "too short"), "5-byte file: %s", err.msg);

    /* header length 1000 in a 20-byte file */
    blob b = make_file("{}          ", NULL, 0);
    b.bytes[0] = 0xe8;
    b.bytes[1] = 0x03;
    st = safetensors_parse("t.safetensors", b.bytes, b.size, &f, &err);
    CHECK(st == DCTDIFF_E_FORMAT && strstr(err.msg, "header length 1000 runs past the end"),
          "header past EOF: %s", err.msg);
    b.bytes[7] = 0x80;   /* 2^63 + 1000: must not overflow the comparison */
    st = safetensors_parse("t.safetensors", b.bytes, b.size, &f, &err);
    CHECK(st == DCTDIFF_E_FORMAT && strstr(err.msg, "limit"), "huge header length: %s", err.msg);
    free(b.bytes);
}

/* The mapped path: a real file, then the same file truncated. */
static void test_open(void)
{
    char dir[] = "/tmp/dctdiff-st-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "mkdtemp");
    char path[64];
    snprintf(path, sizeof path, "%s/m.safetensors", dir);
    unsigned char data[8] = {0};
    blob b = make_file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", data, 8);
    FILE *fp = fopen(path, "wb");
    fwrite(b.bytes, 1, b.size, fp);
    fclose(fp);

    safetensors_file *f = NULL;
    dctdiff_error err = {0};
    CHECK(safetensors_open(path, &f, &err) == DCTDIFF_OK, "open: %s", err.msg);
    CHECK(f && f->count == 1 && f->map != NULL, "mapped file parsed wrong");
    safetensors_close(f);

    CHECK(truncate(path, (off_t)b.size - 3) == 0, "truncate");
    dctdiff_status st = safetensors_open(path, &f, &err);
    CHECK(st == DCTDIFF_E_FORMAT && strstr(err.msg, "m.safetensors: tensor 'w'") &&
          strstr(err.msg, "past the end"), "truncated file: %s", err.msg);
    unlink(path);
    st = safetensors_open(path, &f, &err);
    CHECK(st == DCTDIFF_E_IO && strstr(err.msg, "m.safetensors: cannot open"), "missing file: %s",
          err.msg);
    rmdir(dir);
    free(b.bytes);
}

int main(void)
{
    test_values();
    test_bad_headers();
    test_bad_lengths();
    test_open();
    return check_finish("test_safetensors");
}
