/*
 * libcbor-bench FILE...
 *
 * Loads every FILE (each one CBOR data item) into memory, checks that each
 * decodes completely, then decodes all of them with cbor_load + cbor_decref in
 * whole passes until at least 1.0 s (CLOCK_MONOTONIC) has passed, and prints
 * one JSON line on stdout:
 *   {"impl":"libcbor","version":"0.8.0","items":N,"bytes":B,"seconds":S,
 *    "mbPerSec":X,"itemsPerSec":Y}
 * items/bytes count every decode performed (passes x inputs); mbPerSec uses
 * 1 MB = 1e6 bytes.
 */
#define _POSIX_C_SOURCE 200809L

#include <cbor.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STR_(x) #x
#define STR(x) STR_(x)
#define LIBCBOR_VERSION_STRING \
  STR(CBOR_MAJOR_VERSION) "." STR(CBOR_MINOR_VERSION) "." STR(CBOR_PATCH_VERSION)

#define MIN_SECONDS 1.0

typedef struct {
  unsigned char *data;
  size_t len;
} input;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int read_file(const char *path, input *in) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "libcbor-bench: %s: %s\n", path, strerror(errno));
    return -1;
  }
  size_t cap = 4096, len = 0;
  unsigned char *buf = malloc(cap);
  if (!buf) { fclose(f); fprintf(stderr, "libcbor-bench: out of memory\n"); return -1; }
  for (;;) {
    if (len == cap) {
      if (cap > SIZE_MAX / 2) { free(buf); fclose(f); fprintf(stderr, "libcbor-bench: %s: too large\n", path); return -1; }
      unsigned char *nb = realloc(buf, cap * 2);
      if (!nb) { free(buf); fclose(f); fprintf(stderr, "libcbor-bench: out of memory\n"); return -1; }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) {
        fprintf(stderr, "libcbor-bench: %s: read error\n", path);
        free(buf);
        fclose(f);
        return -1;
      }
      break;
    }
  }
  fclose(f);
  in->data = buf;
  in->len = len;
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: libcbor-bench FILE...\n");
    return 2;
  }
  size_t count = (size_t)(argc - 1);
  input *inputs = calloc(count, sizeof *inputs);
  if (!inputs) { fprintf(stderr, "libcbor-bench: out of memory\n"); return 1; }
  int status = 0;
  unsigned long long pass_bytes = 0;
  for (size_t i = 0; i < count && status == 0; i++) {
    if (read_file(argv[i + 1], &inputs[i]) < 0) { status = 1; break; }
    struct cbor_load_result res;
    cbor_item_t *item = cbor_load(inputs[i].data, inputs[i].len, &res);
    if (!item || res.error.code != CBOR_ERR_NONE) {
      fprintf(stderr, "libcbor-bench: %s: cbor_load failed (error %d at offset %zu)\n", argv[i + 1],
              (int)res.error.code, res.error.position);
      status = 1;
    } else if (res.read != inputs[i].len) {
      fprintf(stderr, "libcbor-bench: %s: %zu trailing bytes after the item\n", argv[i + 1],
              inputs[i].len - res.read);
      status = 1;
    }
    if (item) cbor_decref(&item);
    pass_bytes += inputs[i].len;
  }

  if (status == 0) {
    unsigned long long passes = 0;
    double start = now_seconds(), elapsed = 0.0;
    do {
      for (size_t i = 0; i < count; i++) {
        struct cbor_load_result res;
        cbor_item_t *item = cbor_load(inputs[i].data, inputs[i].len, &res);
        if (item) cbor_decref(&item);
      }
      passes++;
      elapsed = now_seconds() - start;
    } while (elapsed < MIN_SECONDS);

    unsigned long long items = passes * (unsigned long long)count;
    unsigned long long bytes = passes * pass_bytes;
    printf("{\"impl\":\"libcbor\",\"version\":\"%s\",\"items\":%llu,\"bytes\":%llu,\"seconds\":%.6f,"
           "\"mbPerSec\":%.3f,\"itemsPerSec\":%.1f}\n",
           LIBCBOR_VERSION_STRING, items, bytes, elapsed, (double)bytes / 1e6 / elapsed,
           (double)items / elapsed);
    if (fflush(stdout) != 0) status = 1;
  }

  for (size_t i = 0; i < count; i++) free(inputs[i].data);
  free(inputs);
  return status;
}
