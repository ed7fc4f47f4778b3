/* The executable tests' deterministic random numbers: one xorshift64
 * stream per test program, seeded the same in every test. */

#ifndef ACTC_TEST_RANDOM_H
#define ACTC_TEST_RANDOM_H

static unsigned long long rng_state = 88172645463325252ULL;

/* The next 64 bits of the stream. */
static inline unsigned long long rng_next(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* A uniform value in [-1, 1). */
static inline double uniform(void) {
  return (double)(rng_next() >> 11) / 4503599627370496.0 - 1.0;
}

#endif /* ACTC_TEST_RANDOM_H */
