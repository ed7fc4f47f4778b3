/* CHECK(cond, format, ...): the executable tests' assertion. A failed check
 * is counted in `failures` (main returns it) and printed, the first
 * CHECK_PRINT_LIMIT of them (define it before including; default: all). */

#ifndef ACTC_TEST_CHECK_H
#define ACTC_TEST_CHECK_H

#include <stdio.h>

#ifndef CHECK_PRINT_LIMIT
#define CHECK_PRINT_LIMIT 2147483647
#endif

static int failures;

#define CHECK(cond, ...)                                                       \
  do {                                                                         \
    if (!(cond)) {                                                             \
      if (failures < CHECK_PRINT_LIMIT) {                                      \
        printf("FAIL: " __VA_ARGS__);                                          \
        printf("\n");                                                          \
      }                                                                        \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

#endif /* ACTC_TEST_CHECK_H */
