// ab-run.h: the kernel pairs ab.sh lists for ab-run.c.
struct Pair {
  const char *name;
  void *old, *new;
  int inputs; // 1: forward (x, y, n); 2: gradient (x or y, dy, dx, n)
};
extern const struct Pair pairs[];
extern const int npairs;
