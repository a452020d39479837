/*
 * Portable blocked sgemm (no BLAS needed): row-major C[m, n] = op(A)[m, k] op(B)[k, n] for a batch of
 * operand pointers, on up to `threads` threads. See sgemm.c.
 */
#ifndef MTL2R_SGEMM_H
#define MTL2R_SGEMM_H
#include <stddef.h>

/* Which micro-kernel the CPU runs: "avx512", "avx2", or "generic". */
const char* mtl2r_sgemm_isa(void);

/* Runs the named kernel from now on; 0 (and no change) when the CPU lacks it. */
int mtl2r_sgemm_set_isa(const char* isa);

void mtl2r_sgemm_batch(int transpose_a, int transpose_b, int m, int n, int k, const float* const* a,
                       const float* const* b, float* const* c, size_t count, int threads);

/* How many threads a product of this size is worth (1 for small or skinny ones; see sgemm.c). */
int mtl2r_sgemm_threads_for(int m, int n, int k, size_t count, int max_threads);

#endif
