/* guard.h - memory that faults on any access outside the bytes asked for.
 *
 * Kernel tests place arrays so that their last byte is followed by a
 * PROT_NONE page: a kernel that loads or stores one element past n crashes
 * the test instead of passing by luck.
 */

#ifndef ACTC_TEST_GUARD_H
#define ACTC_TEST_GUARD_H

#include <stddef.h>

/* `bytes` of fresh read-write memory whose end touches a PROT_NONE page. */
void *guard_end(size_t bytes);

/* `bytes` starting `offset` bytes into a fresh page, followed (after any
 * slack) by a PROT_NONE page. */
void *guard_offset(size_t bytes, size_t offset);

/* A pointer into a PROT_NONE page: any access through it faults. */
void *guard_no_access(void);

/* Names what runs now: a fault (an access outside the arrays) prints it
 * and exits 1. The first call installs the handler. */
void guard_context(const char *format, ...);

/* Releases everything the functions above mapped. */
void guard_release_all(void);

#endif /* ACTC_TEST_GUARD_H */
