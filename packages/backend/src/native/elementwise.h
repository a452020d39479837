/* Elementwise kernels on the wasm heap; see elementwise.c. */
#ifndef MTL2R_ELEMENTWISE_H
#define MTL2R_ELEMENTWISE_H
#include <stddef.h>

enum mtl2r_binary_op { MTL2R_ADD = 0, MTL2R_SUB = 1, MTL2R_MUL = 2 };

/*
 * out[i] = a[i % a_size] op b[i % b_size] for i < out_size; a_size and b_size divide out_size (an operand
 * broadcast over leading axes repeats). `out` must not overlap a or b.
 */
void mtl2r_binary(int op, const float* a, size_t a_size, const float* b, size_t b_size, float* out,
                  size_t out_size, int threads);

/* out[c] = x[0][c] + x[1][c] + ... in row order, float32 accumulation (the same rounding as tfjs's Sum). */
void mtl2r_sum_rows(const float* x, size_t rows, size_t width, float* out, int threads);

#endif
