/* The softmax gradient in one pass; see softmax.c. */
#ifndef MTL2R_SOFTMAX_H
#define MTL2R_SOFTMAX_H
#include <stddef.h>

/*
 * For each of `rows` rows of `width` floats: t = dy * y, s = t[0] + t[1] + ... (in order, float32),
 * dx = t - s * y: tfjs's Softmax gradient (dy*y - sum(dy*y) * y) with the same float32 roundings, on up
 * to `threads` threads. dx must not overlap dy or y.
 */
void mtl2r_softmax_grad(const float* dy, const float* y, float* dx, size_t rows, size_t width, int threads);

#endif
