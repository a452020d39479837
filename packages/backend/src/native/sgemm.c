/*
 * Portable blocked sgemm, used when OpenBLAS is not on the machine (or MTL2R_NATIVE_KERNEL=portable).
 * Three instances of sgemm-kernel.h: AVX-512 (8 x 32 register tile), AVX2 + FMA (6 x 16) and a generic
 * one (6 x 16 of 128-bit vectors: SSE2 or NEON); the CPU's best is picked once at run time, so one binary
 * serves every x64 machine. Large products are split over threads (batches, else row blocks, else
 * column blocks); small or skinny ones stay on the calling thread, where thread start-up would cost more
 * than it saves.
 */
#include "sgemm.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KC 256
#define NC 1024

#if defined(__x86_64__) || defined(_M_X64)
#define MTL2R_X64 1
#define SUFFIX avx512
#define MR 8
#define NR 32
#define MC 128
#define VEC_BYTES 64
#define ISA_TARGET "avx512f,avx512vl,fma"
#include "sgemm-kernel.h"
#undef SUFFIX
#undef MR
#undef NR
#undef MC
#undef VEC_BYTES
#undef ISA_TARGET

#define SUFFIX avx2
#define MR 6
#define NR 16
#define MC 120
#define VEC_BYTES 32
#define ISA_TARGET "avx2,fma"
#include "sgemm-kernel.h"
#undef SUFFIX
#undef MR
#undef NR
#undef MC
#undef VEC_BYTES
#undef ISA_TARGET
#endif

#define SUFFIX generic
#define MR 6
#define NR 16
#define MC 120
#define VEC_BYTES 16
#include "sgemm-kernel.h"
#undef SUFFIX
#undef MR
#undef NR
#undef MC
#undef VEC_BYTES

typedef void (*gemm_fn)(int, int, int, int, int, const float*, const float*, float*, int, int, int, int, float*,
                        float*);

static gemm_fn chosen_gemm;
static const char* chosen_isa;
static int chosen_mr;

static int cpu_has(const char* isa) {
#ifdef MTL2R_X64
  __builtin_cpu_init();
  if (strcmp(isa, "avx512") == 0) return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  if (strcmp(isa, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return strcmp(isa, "generic") == 0;
}

int mtl2r_sgemm_set_isa(const char* isa) {
  if (!cpu_has(isa)) return 0;
  chosen_gemm = gemm_generic;
  chosen_isa = "generic";
  chosen_mr = 6;
#ifdef MTL2R_X64
  if (strcmp(isa, "avx512") == 0) {
    chosen_gemm = gemm_avx512;
    chosen_isa = "avx512";
    chosen_mr = 8;
  } else if (strcmp(isa, "avx2") == 0) {
    chosen_gemm = gemm_avx2;
    chosen_isa = "avx2";
  }
#endif
  return 1;
}

/* The best kernel this CPU runs, unless MTL2R_NATIVE_ISA names another one it runs. */
static void choose(void) {
  if (chosen_gemm != NULL) return;
  const char* forced = getenv("MTL2R_NATIVE_ISA");
  if (forced != NULL && mtl2r_sgemm_set_isa(forced)) return;
  if (!mtl2r_sgemm_set_isa("avx512") && !mtl2r_sgemm_set_isa("avx2")) mtl2r_sgemm_set_isa("generic");
}

const char* mtl2r_sgemm_isa(void) {
  choose();
  return chosen_isa;
}

/* Packing buffers, one pair per thread, allocated once on the calling thread and kept. */
#define MAX_THREADS 64
static float* a_buffers[MAX_THREADS];
static float* b_buffers[MAX_THREADS];

static int ensure_buffers(int threads) {
  for (int t = 0; t < threads; t++) {
    if (a_buffers[t] == NULL) a_buffers[t] = aligned_alloc(64, (size_t)128 * KC * sizeof(float));
    if (b_buffers[t] == NULL) b_buffers[t] = aligned_alloc(64, (size_t)KC * NC * sizeof(float));
    if (a_buffers[t] == NULL || b_buffers[t] == NULL) return t;
  }
  return threads;
}

typedef struct {
  int ta, tb, m, n, k;
  const float* const* a;
  const float* const* b;
  float* const* c;
  size_t first, last; /* batch range */
  int m0, m1, n0, n1; /* tile range inside each product of the batch */
  int thread;
} work;

static void run(const work* w) {
  for (size_t i = w->first; i < w->last; i++) {
    chosen_gemm(w->ta, w->tb, w->m, w->n, w->k, w->a[i], w->b[i], w->c[i], w->m0, w->m1, w->n0, w->n1,
                a_buffers[w->thread], b_buffers[w->thread]);
  }
}

static void* run_thread(void* arg) {
  run((const work*)arg);
  return NULL;
}

int mtl2r_sgemm_threads_for(int m, int n, int k, size_t count, int max_threads) {
  const double flops = 2.0 * m * n * k * (double)count;
  if (max_threads <= 1 || flops < 4e6) return 1;
  // Skinny products (a K x K Gram matrix of long gradients): too few tiles to share.
  if (count == 1 && (long)m * n < 64L * 64L) return 1;
  return max_threads;
}

void mtl2r_sgemm_batch(int ta, int tb, int m, int n, int k, const float* const* a, const float* const* b,
                       float* const* c, size_t count, int threads) {
  choose();
  if (count == 0 || m == 0 || n == 0) return;
  if (k == 0) {
    for (size_t i = 0; i < count; i++) memset(c[i], 0, (size_t)m * n * sizeof(float));
    return;
  }
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  threads = ensure_buffers(threads < 1 ? 1 : threads);
  if (threads < 1) abort(); /* out of memory for even one packing buffer */
  work jobs[MAX_THREADS];
  for (int t = 0; t < threads; t++) {
    work w = {ta, tb, m, n, k, a, b, c, 0, count, 0, m, 0, n, t};
    if (count >= (size_t)threads) {
      w.first = count * t / threads;
      w.last = count * (t + 1) / threads;
    } else if (m >= n) {
      // Row blocks, in whole register tiles.
      const int tiles = (m + chosen_mr - 1) / chosen_mr;
      w.m0 = tiles * t / threads * chosen_mr;
      w.m1 = t == threads - 1 ? m : tiles * (t + 1) / threads * chosen_mr;
    } else {
      const int tiles = (n + 31) / 32;
      w.n0 = tiles * t / threads * 32;
      w.n1 = t == threads - 1 ? n : tiles * (t + 1) / threads * 32;
      if (w.n0 > n) w.n0 = n;
      if (w.n1 > n) w.n1 = n;
    }
    jobs[t] = w;
  }
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&ids[t], NULL, run_thread, &jobs[t]) == 0;
  run(&jobs[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else run(&jobs[t]); /* could not start a thread: do its share here */
  }
}
