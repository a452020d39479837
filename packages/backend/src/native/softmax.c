/*
 * tfjs computes the softmax gradient as four kernels over [B, h, L, L] (Multiply, Sum, Multiply, Sub), each
 * a full pass over memory with its own output tensor. Here it is one pass per row while the row is in L1.
 * Every product and difference is rounded to float32 as tfjs rounds it (no fused multiply-add: the file is
 * compiled with contraction off) and the row sum is accumulated in order like tfjs's Sum, so the result is
 * the stock gradient bit for bit.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#elif defined(__clang__)
#pragma clang fp contract(off)
#endif

#include "softmax.h"

#include <pthread.h>

/* Below this many elements one thread is faster than starting a second. */
#define PARALLEL_MIN 262144

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

CLONES static void rows_grad(const float* restrict dy, const float* restrict y, float* restrict dx, size_t rows,
                             size_t width) {
  for (size_t r = 0; r < rows; r++) {
    const float* dyr = dy + r * width;
    const float* yr = y + r * width;
    float* dxr = dx + r * width;
    for (size_t j = 0; j < width; j++) dxr[j] = dyr[j] * yr[j];
    float sum = 0.0f;
    for (size_t j = 0; j < width; j++) sum += dxr[j];
    for (size_t j = 0; j < width; j++) {
      const float scaled = sum * yr[j];
      dxr[j] = dxr[j] - scaled;
    }
  }
}

typedef struct {
  const float *dy, *y;
  float* dx;
  size_t rows, width;
} grad_job;

static void* grad_thread(void* arg) {
  const grad_job* job = (const grad_job*)arg;
  rows_grad(job->dy, job->y, job->dx, job->rows, job->width);
  return NULL;
}

void mtl2r_softmax_grad(const float* dy, const float* y, float* dx, size_t rows, size_t width, int threads) {
  if (threads < 2 || rows < 2 || rows * width < PARALLEL_MIN) {
    rows_grad(dy, y, dx, rows, width);
    return;
  }
  const size_t half = rows / 2, offset = half * width;
  grad_job second = {dy + offset, y + offset, dx + offset, rows - half, width};
  pthread_t id;
  const int started = pthread_create(&id, NULL, grad_thread, &second) == 0;
  rows_grad(dy, y, dx, half, width);
  if (started) pthread_join(id, NULL);
  else grad_thread(&second);
}
