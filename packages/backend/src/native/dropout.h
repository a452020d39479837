/* Dropout with the mask drawn on the fly; see dropout.c. */
#ifndef MTL2R_DROPOUT_H
#define MTL2R_DROPOUT_H
#include <stddef.h>
#include <stdint.h>

/*
 * out[i] = x[i] * mask[i], the mask drawn from xorshift128 seeded with `state`: element i uses the low
 * (even i) or high (odd i) 16 bits of the (i >> 1)-th word, and is 0 when that draw is below `threshold`,
 * else keep_scale. The same sequence as core's fillDropoutMask (packages/core/src/dropout-stream.ts), on
 * up to `threads` threads. x and out may be the same array. Unless `bits` is NULL, also writes the mask
 * as keep bits, (size + 31) / 32 words: bit i % 32 of bits[i / 32] is 1 when element i is kept.
 */
void mtl2r_dropout(const uint32_t state[4], uint32_t threshold, float keep_scale, const float* x, float* out,
                   uint32_t* bits, size_t size, int threads);

/*
 * out[i] = x[i] * (keep bit i ? keep_scale : 0) with bits from mtl2r_dropout: the same mask, not drawn
 * again (the K backward passes over one recorded forward). x and out may be the same array.
 */
void mtl2r_dropout_apply_bits(const uint32_t* bits, float keep_scale, const float* x, float* out, size_t size,
                              int threads);

#endif
