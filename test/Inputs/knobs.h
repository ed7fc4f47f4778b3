/* The accuracy harnesses' environment knobs (test/Inputs/accuracy.c and
 * grad-harness.c list theirs in their head comments): numbers, and the
 * ACTC_ONLY list that selects which kernels run. */

#ifndef ACTC_TEST_KNOBS_H
#define ACTC_TEST_KNOBS_H

#include <stdlib.h>
#include <string.h>

/* An integer knob from the environment, `fallback` when unset. */
static inline long env_long(const char *name, long fallback) {
  const char *env = getenv(name);
  return env && *env ? atol(env) : fallback;
}

/* A real knob from the environment, `fallback` when unset. */
static inline double env_double(const char *name, double fallback) {
  const char *env = getenv(name);
  return env && *env ? atof(env) : fallback;
}

/* True when ACTC_ONLY is unset or empty, or when `name` (not NULL) is one
 * of its comma-separated entries. */
static inline int only_selects(const char *name) {
  const char *only = getenv("ACTC_ONLY");
  if (!only || !*only)
    return 1;
  if (!name)
    return 0;
  size_t len = strlen(name);
  for (const char *p = only; *p;) {
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n == len && strncmp(p, name, n) == 0)
      return 1;
    p += n + (end != NULL);
  }
  return 0;
}

#endif /* ACTC_TEST_KNOBS_H */
