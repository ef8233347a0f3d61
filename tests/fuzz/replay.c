/* replay.c - runs a fuzz target's entry point over its seed corpus without
 * libFuzzer, so CI exercises it (under ASan where the build has it).  Seeds
 * named valid-* must be accepted and bad-* refused (fuzz.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    size_t cap = 0, n;
    *size = 0;
    do {
        if (*size == cap) {
            uint8_t *bigger = realloc(buf, cap = cap ? 2 * cap : 4096);
            if (!bigger)
                break;
            buf = bigger;
        }
        n = fread(buf + *size, 1, cap - *size, f);
        *size += n;
    } while (n > 0);
    fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    int failures = 0;
    for (int i = 1; i < argc; i++) {
        size_t size;
        uint8_t *buf = read_all(argv[i], &size);
        if (!buf) {
            perror(argv[i]);
            return 1;
        }
        const char *base = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
        char msg[256] = "";
        int ok = fuzz_seed_accepted(base, buf, size, msg, sizeof msg);
        if (ok != (strncmp(base, "valid-", 6) == 0)) {
            fprintf(stderr, "FAIL %s: %s\n", base, ok ? "accepted" : msg);
            failures++;
        }
        LLVMFuzzerTestOneInput(buf, size);
        free(buf);
    }
    printf("replay: %d inputs, %d failures\n", argc - 1, failures);
    return argc < 2 || failures ? 1 : 0;
}
