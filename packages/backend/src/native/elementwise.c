/*
 * Add / Sub / Mul with a broadcast over leading axes, and Sum over leading axes, for the wasm backend's
 * tensors in place on the heap. The loops are plain float32 arithmetic in the same order as tfjs's kernels,
 * so results are bit-identical; the compiler vectorises them (AVX-512 / AVX2 clones, picked at run time),
 * and large tensors are split over threads (memory bandwidth grows with the cores that stream it).
 */
#include "elementwise.h"

#include <pthread.h>
#include <string.h>

/* Below this many elements one thread streams the data faster than a second one can be started. */
#define PARALLEL_MIN 262144

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

CLONES static void binary_run(int op, const float* restrict x, const float* restrict y, float* restrict o, size_t n) {
  switch (op) {
    case MTL2R_ADD:
      for (size_t j = 0; j < n; j++) o[j] = x[j] + y[j];
      break;
    case MTL2R_SUB:
      for (size_t j = 0; j < n; j++) o[j] = x[j] - y[j];
      break;
    default:
      for (size_t j = 0; j < n; j++) o[j] = x[j] * y[j];
  }
}

/* One operand a scalar (a [B, L, d] tensor times 1 / sqrt(d), ...): one loop, not one call per element. */
CLONES static void scalar_run(int op, const float* restrict x, float s, int scalar_first, float* restrict o,
                              size_t n) {
  switch (op) {
    case MTL2R_ADD:
      if (scalar_first)
        for (size_t j = 0; j < n; j++) o[j] = s + x[j];
      else
        for (size_t j = 0; j < n; j++) o[j] = x[j] + s;
      break;
    case MTL2R_SUB:
      if (scalar_first)
        for (size_t j = 0; j < n; j++) o[j] = s - x[j];
      else
        for (size_t j = 0; j < n; j++) o[j] = x[j] - s;
      break;
    default:
      if (scalar_first)
        for (size_t j = 0; j < n; j++) o[j] = s * x[j];
      else
        for (size_t j = 0; j < n; j++) o[j] = x[j] * s;
  }
}

typedef struct {
  int op;
  const float *a, *b;
  size_t a_size, b_size;
  float* out;
  size_t lo, hi;
} binary_job;

static void binary_range(const binary_job* job) {
  if (job->b_size == 1 && job->a_size != 1) {
    scalar_run(job->op, job->a + job->lo, job->b[0], 0, job->out + job->lo, job->hi - job->lo);
    return;
  }
  if (job->a_size == 1 && job->b_size != 1) {
    scalar_run(job->op, job->b + job->lo, job->a[0], 1, job->out + job->lo, job->hi - job->lo);
    return;
  }
  size_t i = job->lo;
  while (i < job->hi) {
    const size_t ai = i % job->a_size, bi = i % job->b_size;
    size_t run = job->hi - i;
    if (job->a_size - ai < run) run = job->a_size - ai;
    if (job->b_size - bi < run) run = job->b_size - bi;
    binary_run(job->op, job->a + ai, job->b + bi, job->out + i, run);
    i += run;
  }
}

static void* binary_thread(void* arg) {
  binary_range((const binary_job*)arg);
  return NULL;
}

void mtl2r_binary(int op, const float* a, size_t a_size, const float* b, size_t b_size, float* out,
                  size_t out_size, int threads) {
  if (out_size == 0) return;
  binary_job jobs[2] = {{op, a, b, a_size, b_size, out, 0, out_size}, {op, a, b, a_size, b_size, out, 0, out_size}};
  if (threads < 2 || out_size < PARALLEL_MIN) {
    binary_range(&jobs[0]);
    return;
  }
  jobs[0].hi = jobs[1].lo = out_size / 2 / 16 * 16;
  pthread_t second;
  if (pthread_create(&second, NULL, binary_thread, &jobs[1]) != 0) {
    binary_range(&jobs[1]);
    binary_range(&jobs[0]);
    return;
  }
  binary_range(&jobs[0]);
  pthread_join(second, NULL);
}

CLONES static void sum_columns(const float* restrict x, size_t rows, size_t width, size_t c0, size_t c1,
                               float* restrict out) {
  for (size_t c = c0; c < c1; c++) out[c] = 0.0f;
  for (size_t r = 0; r < rows; r++) {
    const float* row = x + r * width;
    for (size_t c = c0; c < c1; c++) out[c] += row[c];
  }
}

typedef struct {
  const float* x;
  size_t rows, width, c0, c1;
  float* out;
} sum_job;

static void* sum_thread(void* arg) {
  const sum_job* job = (const sum_job*)arg;
  sum_columns(job->x, job->rows, job->width, job->c0, job->c1, job->out);
  return NULL;
}

void mtl2r_sum_rows(const float* x, size_t rows, size_t width, float* out, int threads) {
  // Column blocks of 1024 keep the partial sums in L1 while the rows stream past.
  const size_t block = 1024;
  if (threads < 2 || rows * width < PARALLEL_MIN || width < 64) {
    for (size_t c = 0; c < width; c += block) sum_columns(x, rows, width, c, c + block < width ? c + block : width, out);
    return;
  }
  // Two column halves, each summed over all rows in order: the same rounding as one thread.
  const size_t half = width / 2 / 16 * 16;
  sum_job second = {x, rows, width, half, width, out};
  pthread_t id;
  const int started = pthread_create(&id, NULL, sum_thread, &second) == 0;
  for (size_t c = 0; c < half; c += block) sum_columns(x, rows, width, c, c + block < half ? c + block : half, out);
  if (started) pthread_join(id, NULL);
  else sum_thread(&second);
}
