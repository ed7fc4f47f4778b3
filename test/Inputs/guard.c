/* guard.c - arrays bordered by PROT_NONE pages (see guard.h). */

#include "guard.h"

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

enum { MAX_MAPPINGS = 4096 };
static struct {
  void *base;
  size_t size;
} mappings[MAX_MAPPINGS];
static int mapping_count;

static size_t page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

/* Maps `pages` read-write pages followed by one PROT_NONE page; returns the
 * start of the guard page. */
static char *map_with_guard(size_t pages) {
  size_t page = page_size();
  size_t size = (pages + 1) * page;
  char *base = mmap(NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (base == MAP_FAILED || mapping_count == MAX_MAPPINGS) {
    perror("guard: mmap");
    exit(2);
  }
  if (mprotect(base + pages * page, page, PROT_NONE) != 0) {
    perror("guard: mprotect");
    exit(2);
  }
  mappings[mapping_count].base = base;
  mappings[mapping_count].size = size;
  ++mapping_count;
  return base + pages * page;
}

void *guard_end(size_t bytes) {
  size_t page = page_size();
  char *guard = map_with_guard(bytes / page + 1);
  return guard - bytes;
}

void *guard_offset(size_t bytes, size_t offset) {
  size_t page = page_size();
  char *guard = map_with_guard((bytes + offset) / page + 1);
  size_t pages = (bytes + offset) / page + 1;
  return guard - pages * page + offset;
}

void *guard_no_access(void) { return map_with_guard(0); }

void guard_release_all(void) {
  for (int i = 0; i < mapping_count; ++i)
    munmap(mappings[i].base, mappings[i].size);
  mapping_count = 0;
}

static char context[256];

static void on_fault(int signal) {
  static const char prefix[] = "FAIL: memory fault (an access outside the "
                               "arrays) in ";
  write(2, prefix, sizeof(prefix) - 1);
  write(2, context, strlen(context));
  write(2, "\n", 1);
  _exit(1);
}

void guard_context(const char *format, ...) {
  static int installed;
  if (!installed) {
    struct sigaction action;
    memset(&action, 0, sizeof(action));
    action.sa_handler = on_fault;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    installed = 1;
  }
  va_list args;
  va_start(args, format);
  vsnprintf(context, sizeof(context), format, args);
  va_end(args);
}
