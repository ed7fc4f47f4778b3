// NAME_bias_grad for bf16 and f16 (uint16_t arrays, arithmetic in f32):
// dx must be exactly the f32 kernel's dx on the widened inputs rounded to
// nearest even (by the independent references of half-kernels.c), dbias
// exactly the f32 kernel's column sums rounded once (both sum the rows in
// f32, in the same order), dP within 1e-5 relative of the f32 kernel's (its
// lanes group the sum differently). Column counts 1..67 (every tail) and
// 2047..2049, 4100 (the f32 sums go in chunks of 2048 columns); rows 0, 1,
// 3, 5; dx in place over dy; a PROT_NONE page after every array.
//
// RUN: actc --only relu,gelu,swish --dtype=f32,bf16,f16 --kernels=bias_grad -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PRINT_LIMIT 20
#include "check.h"
#include "half.h"
#include "random.h"

typedef void (*Grad16)(const uint16_t *, const uint16_t *, const uint16_t *,
                       uint16_t *, uint16_t *, int64_t, int64_t, float,
                       float *);
typedef void (*Grad32)(const float *, const float *, const float *, float *,
                       float *, int64_t, int64_t, float, float *);

#define ADAPT(NAME, S)                                                         \
  static void NAME##_##S##_p(const uint16_t *x, const uint16_t *b,             \
                             const uint16_t *dy, uint16_t *dx, uint16_t *db,   \
                             int64_t r, int64_t c, float p, float *dp) {       \
    (void)p;                                                                   \
    *dp = 0;                                                                   \
    NAME##_bias_grad_##S(x, b, dy, dx, db, r, c);                              \
  }
ADAPT(relu, bf16) ADAPT(relu, f16) ADAPT(gelu, bf16) ADAPT(gelu, f16)
#define ADAPT32(NAME)                                                          \
  static void NAME##_f32_p(const float *x, const float *b, const float *dy,    \
                           float *dx, float *db, int64_t r, int64_t c,         \
                           float p, float *dp) {                               \
    (void)p;                                                                   \
    *dp = 0;                                                                   \
    NAME##_bias_grad_f32(x, b, dy, dx, db, r, c);                              \
  }
ADAPT32(relu) ADAPT32(gelu)

static unsigned next(void) { return (unsigned)(rng_next() >> 20); }

/* A 16-bit pattern of a value in about [-8, 8]. */
static uint16_t sample(const Format *format) {
  return format->round((float)((int)(next() % 16001) - 8000) / 1000.0f);
}

static void check(const Format *format, const char *name, Grad16 kernel,
                  Grad32 reference, float p, long rows, long cols) {
  guard_context("%s_bias_grad_%s(rows=%ld, cols=%ld)", name, format->name,
                rows, cols);
  size_t count = rows * cols;
  uint16_t *x = guard_end(count * 2), *dy = guard_end(count * 2),
           *dx = guard_end(count * 2), *b = guard_end(cols * 2),
           *db = guard_end(cols * 2);
  float *xf = guard_end(count * 4), *dyf = guard_end(count * 4),
        *dxf = guard_end(count * 4), *bf = guard_end(cols * 4),
        *dbf = guard_end(cols * 4);
  for (size_t i = 0; i < count; ++i) {
    x[i] = sample(format);
    dy[i] = sample(format);
    xf[i] = format->widen(x[i]);
    dyf[i] = format->widen(dy[i]);
  }
  for (long j = 0; j < cols; ++j) {
    b[j] = sample(format);
    bf[j] = format->widen(b[j]);
    db[j] = 0x1234;
  }
  float dp = 12345, dpf = 0;
  kernel(x, b, dy, dx, db, rows, cols, p, &dp);
  reference(xf, bf, dyf, dxf, dbf, rows, cols, p, &dpf);
  for (size_t i = 0; i < count; ++i)
    CHECK(dx[i] == format->round(dxf[i]),
          "%s_bias_grad_%s rows=%ld cols=%ld: dx[%zu] = 0x%04x, expected "
          "0x%04x", name, format->name, rows, cols, i, dx[i],
          format->round(dxf[i]));
  for (long j = 0; j < cols; ++j)
    CHECK(db[j] == format->round(dbf[j]),
          "%s_bias_grad_%s rows=%ld cols=%ld: dbias[%ld] = 0x%04x (%g), "
          "expected 0x%04x (%g)", name, format->name, rows, cols, j, db[j],
          format->widen(db[j]), format->round(dbf[j]), dbf[j]);
  CHECK(fabsf(dp - dpf) <= 1e-5f * (fabsf(dpf) + 1e-3f * count),
        "%s_bias_grad_%s rows=%ld cols=%ld: dP = %.9g, expected %.9g", name,
        format->name, rows, cols, dp, dpf);
  /* In place: dx over dy. */
  uint16_t *copy = guard_end(count * 2), *db2 = guard_end(cols * 2);
  memcpy(copy, dy, count * 2);
  kernel(x, b, copy, copy, db2, rows, cols, p, &dp);
  CHECK(memcmp(copy, dx, count * 2) == 0 && memcmp(db2, db, cols * 2) == 0,
        "%s_bias_grad_%s rows=%ld cols=%ld: dx == dy differs", name,
        format->name, rows, cols);
  guard_release_all();
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  static const long wide[] = {2047, 2048, 2049, 4100};
  for (int b = 1; b >= 0; --b) {
    const Format *f = b ? &bf16 : &f16;
    struct {
      const char *name;
      Grad16 kernel;
      Grad32 reference;
      float p;
    } acts[] = {
        {"relu", b ? relu_bf16_p : relu_f16_p, relu_f32_p, 0},
        {"gelu", b ? gelu_bf16_p : gelu_f16_p, gelu_f32_p, 0},
        {"swish", b ? swish_bias_grad_bf16 : swish_bias_grad_f16,
         swish_bias_grad_f32, 1.5f},
    };
    for (int a = 0; a < 3; ++a) {
      for (long cols = 1; cols <= 67; ++cols)
        check(f, acts[a].name, acts[a].kernel, acts[a].reference, acts[a].p,
              3, cols);
      for (int w = 0; w < 4; ++w)
        check(f, acts[a].name, acts[a].kernel, acts[a].reference, acts[a].p,
              5, wide[w]);
      check(f, acts[a].name, acts[a].kernel, acts[a].reference, acts[a].p, 1,
            100);
      /* rows = 0: dbias set to zero, dP to zero. */
      check(f, acts[a].name, acts[a].kernel, acts[a].reference, acts[a].p, 0,
            19);
    }
  }
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
