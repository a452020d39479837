/*
 * The addon's element-wise kernels on the wasm heap (offsets in bytes, sizes in floats):
 * binary(heap, op, aOffset, aSize, bOffset, bSize, outOffset, outSize): op 0 add, 1 sub, 2 mul, with an
 *   operand broadcast over leading axes (its size divides outSize);
 * sumRows(heap, xOffset, rows, width, outOffset): the sum over leading axes;
 * dropout(heap, xOffset, outOffset, size, state, threshold, keepScale[, bits]): x times a mask drawn from the
 *   xorshift128 `state` (Uint32Array of 4), see dropout.h; `bits` (Uint32Array) receives the mask as keep bits;
 * dropoutBits(heap, xOffset, outOffset, size, bits, keepScale): x times that kept mask;
 * softmaxGrad(heap, dyOffset, yOffset, outOffset, rows, width): tfjs's softmax gradient over the last axis
 *   in one pass, see softmax.h.
 */
#include "addon-args.h"
#include "dropout.h"
#include "elementwise.h"
#include "softmax.h"

static napi_value binary(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  size_t argc;
  uint8_t* heap;
  size_t heap_bytes;
  int32_t op;
  int64_t v[6]; /* aOffset, aSize, bOffset, bSize, outOffset, outSize */
  if (!mtl2r_heap_call(env, info, "binary", 8, 8, argv, &argc, &heap, &heap_bytes)) return NULL;
  CHECK(napi_get_value_int32(env, argv[1], &op));
  if (!mtl2r_sizes(env, argv, 2, 6, v)) return NULL;
  if (op < MTL2R_ADD || op > MTL2R_MUL || v[1] == 0 || v[3] == 0 || v[5] % v[1] != 0 || v[5] % v[3] != 0) {
    napi_throw_error(env, NULL, "binary: op must be 0-2 and each operand size must divide the output size");
    return NULL;
  }
  if (!mtl2r_inside(env, v[0], v[1], heap_bytes) || !mtl2r_inside(env, v[2], v[3], heap_bytes) ||
      !mtl2r_inside(env, v[4], v[5], heap_bytes))
    return NULL;
  mtl2r_binary(op, (const float*)(heap + v[0]), (size_t)v[1], (const float*)(heap + v[2]), (size_t)v[3],
               (float*)(heap + v[4]), (size_t)v[5], mtl2r_max_threads);
  return NULL;
}

static napi_value sum_rows(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  size_t argc;
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[4]; /* xOffset, rows, width, outOffset */
  if (!mtl2r_heap_call(env, info, "sumRows", 5, 5, argv, &argc, &heap, &heap_bytes)) return NULL;
  if (!mtl2r_sizes(env, argv, 1, 4, v)) return NULL;
  if (!mtl2r_inside(env, v[0], v[1] * v[2], heap_bytes) || !mtl2r_inside(env, v[3], v[2], heap_bytes)) return NULL;
  mtl2r_sum_rows((const float*)(heap + v[0]), (size_t)v[1], (size_t)v[2], (float*)(heap + v[3]),
                 mtl2r_max_threads);
  return NULL;
}

/* An optional Uint32Array argument of at least `words` words: 1 with *bits set, 1 with NULL when absent. */
static int keep_bits(napi_env env, napi_value value, size_t words, uint32_t** bits) {
  napi_valuetype type;
  *bits = NULL;
  if (napi_typeof(env, value, &type) != napi_ok) return 0;
  if (type == napi_undefined || type == napi_null) return 1;
  size_t length;
  if (!mtl2r_uint32_array(env, value, bits, &length) || length < words) {
    napi_throw_range_error(env, NULL, "dropout: bits must be a Uint32Array of (size + 31) / 32 words");
    return 0;
  }
  return 1;
}

static napi_value dropout(napi_env env, napi_callback_info info) {
  napi_value argv[8];
  size_t argc;
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[3]; /* xOffset, outOffset, size */
  uint32_t* state;
  size_t state_length;
  uint32_t threshold;
  double keep_scale;
  uint32_t* bits = NULL;
  if (!mtl2r_heap_call(env, info, "dropout", 7, 8, argv, &argc, &heap, &heap_bytes)) return NULL;
  if (!mtl2r_sizes(env, argv, 1, 3, v)) return NULL;
  if (!mtl2r_uint32_array(env, argv[4], &state, &state_length) || state_length != 4) {
    napi_throw_error(env, NULL, "dropout: state must be a Uint32Array of 4 words");
    return NULL;
  }
  CHECK(napi_get_value_uint32(env, argv[5], &threshold));
  CHECK(napi_get_value_double(env, argv[6], &keep_scale));
  if (threshold > 65536 || (state[0] | state[1] | state[2] | state[3]) == 0) {
    napi_throw_error(env, NULL, "dropout: threshold must be in [0, 65536] and the state not all zero");
    return NULL;
  }
  if (argc == 8 && !keep_bits(env, argv[7], (size_t)(v[2] + 31) / 32, &bits)) return NULL;
  if (!mtl2r_inside(env, v[0], v[2], heap_bytes) || !mtl2r_inside(env, v[1], v[2], heap_bytes)) return NULL;
  mtl2r_dropout(state, threshold, (float)keep_scale, (const float*)(heap + v[0]), (float*)(heap + v[1]), bits,
                (size_t)v[2], mtl2r_max_threads);
  return NULL;
}

static napi_value dropout_bits(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t argc;
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[3]; /* xOffset, outOffset, size */
  uint32_t* bits;
  double keep_scale;
  if (!mtl2r_heap_call(env, info, "dropoutBits", 6, 6, argv, &argc, &heap, &heap_bytes)) return NULL;
  if (!mtl2r_sizes(env, argv, 1, 3, v)) return NULL;
  if (!keep_bits(env, argv[4], (size_t)(v[2] + 31) / 32, &bits)) return NULL;
  if (bits == NULL) {
    napi_throw_error(env, NULL, "dropoutBits: bits must be a Uint32Array");
    return NULL;
  }
  CHECK(napi_get_value_double(env, argv[5], &keep_scale));
  if (!mtl2r_inside(env, v[0], v[2], heap_bytes) || !mtl2r_inside(env, v[1], v[2], heap_bytes)) return NULL;
  mtl2r_dropout_apply_bits(bits, (float)keep_scale, (const float*)(heap + v[0]), (float*)(heap + v[1]),
                           (size_t)v[2], mtl2r_max_threads);
  return NULL;
}

static napi_value softmax_grad(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  size_t argc;
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[5]; /* dyOffset, yOffset, outOffset, rows, width */
  if (!mtl2r_heap_call(env, info, "softmaxGrad", 6, 6, argv, &argc, &heap, &heap_bytes)) return NULL;
  if (!mtl2r_sizes(env, argv, 1, 5, v)) return NULL;
  const int64_t floats = v[3] * v[4];
  if (!mtl2r_inside(env, v[0], floats, heap_bytes) || !mtl2r_inside(env, v[1], floats, heap_bytes) ||
      !mtl2r_inside(env, v[2], floats, heap_bytes))
    return NULL;
  mtl2r_softmax_grad((const float*)(heap + v[0]), (const float*)(heap + v[1]), (float*)(heap + v[2]),
                     (size_t)v[3], (size_t)v[4], mtl2r_max_threads);
  return NULL;
}

void mtl2r_export_elementwise(napi_env env, napi_value exports) {
  mtl2r_export_function(env, exports, "binary", binary);
  mtl2r_export_function(env, exports, "sumRows", sum_rows);
  mtl2r_export_function(env, exports, "dropout", dropout);
  mtl2r_export_function(env, exports, "dropoutBits", dropout_bits);
  mtl2r_export_function(env, exports, "softmaxGrad", softmax_grad);
}
