/*
 * mtl2r's native addon (N-API, so one build serves every Node version): matrix products for the tfjs wasm
 * backend, computed directly on the wasm heap (tensors addressed by byte offsets into the
 * WebAssembly.Memory buffer), so nothing is copied. Built at install by binding.gyp; the kernel is our
 * blocked sgemm (sgemm.c) on CPUs with AVX2 or AVX-512, else OpenBLAS's sgemm when the build linked it
 * (MTL2R_OPENBLAS); setKernel switches at run time.
 *
 * gemm(heap, transposeA, transposeB, m, n, k, aOffsets, bOffsets, cOffsets): for every i,
 *   C_i[m, n] = op(A_i) op(B_i), row-major, A_i stored [m, k] ([k, m] if transposed), B_i [k, n] ([n, k]).
 * binary(heap, op, aOffset, aSize, bOffset, bSize, outOffset, outSize): op 0 add, 1 sub, 2 mul, with an
 *   operand broadcast over leading axes (its size divides outSize); sumRows(heap, xOffset, rows, width,
 *   outOffset): the sum over leading axes; dropout(heap, xOffset, outOffset, size, state, threshold, keepScale):
 *   x times a mask drawn from the xorshift128 `state` (Uint32Array of 4), see dropout.h, with an optional 8th
 *   argument (Uint32Array) that receives the mask as keep bits; dropoutBits(heap, xOffset, outOffset, size,
 *   bits, keepScale): x times that kept mask. Offsets in bytes,
 *   sizes in floats; softmaxGrad(heap, dyOffset, yOffset, outOffset, rows, width): tfjs's softmax gradient
 *   over the last axis in one pass, see softmax.h.
 * setThreads(n), setKernel('openblas' | 'portable' | 'portable-avx512' | 'portable-avx2' | 'portable-generic')
 * -> boolean, info() -> { kernel, openblas, isa, threads }.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dropout.h"
#include "elementwise.h"
#include "sgemm.h"
#include "softmax.h"

#ifdef MTL2R_OPENBLAS
/* Declared here rather than via cblas.h, whose location differs between distributions. */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc);
void openblas_set_num_threads(int threads);
#endif

static int max_threads = 1;
static int use_openblas = 0;

#define CHECK(call)                                    \
  if ((call) != napi_ok) {                             \
    napi_throw_error(env, NULL, "mtl2r native: bad argument"); \
    return NULL;                                       \
  }

static int offsets(napi_env env, napi_value value, uint32_t** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, value, &type, length, (void**)data, &buffer, &byte_offset) != napi_ok) return 0;
  return type == napi_uint32_array;
}

#ifdef MTL2R_OPENBLAS
static void openblas_batch(int ta, int tb, int m, int n, int k, const float* const* a, const float* const* b,
                           float* const* c, size_t count) {
  // Both cores pay only on large products; on skinny ones (Gram matrices) 2 threads are slower.
  openblas_set_num_threads(mtl2r_sgemm_threads_for(m, n, k, 1, max_threads));
  const int lda = ta ? m : k, ldb = tb ? k : n;
  for (size_t i = 0; i < count; i++) {
    cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0f, a[i], lda, b[i], ldb, 0.0f,
                c[i], n);
  }
}
#endif

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) {
    napi_throw_error(env, NULL, "gemm: expected 9 arguments");
    return NULL;
  }
  uint8_t* heap;
  size_t heap_bytes;
  bool transpose_a, transpose_b;
  int32_t m, n, k;
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  CHECK(napi_get_value_bool(env, argv[1], &transpose_a));
  CHECK(napi_get_value_bool(env, argv[2], &transpose_b));
  CHECK(napi_get_value_int32(env, argv[3], &m));
  CHECK(napi_get_value_int32(env, argv[4], &n));
  CHECK(napi_get_value_int32(env, argv[5], &k));
  uint32_t *a_at, *b_at, *c_at;
  size_t count, count_b, count_c;
  if (!offsets(env, argv[6], &a_at, &count) || !offsets(env, argv[7], &b_at, &count_b) ||
      !offsets(env, argv[8], &c_at, &count_c) || count_b != count || count_c != count || m < 0 || n < 0 || k < 0) {
    napi_throw_error(env, NULL, "gemm: offsets must be Uint32Arrays of one length, sizes non-negative");
    return NULL;
  }
  const uint64_t a_bytes = (uint64_t)m * k * 4, b_bytes = (uint64_t)k * n * 4, c_bytes = (uint64_t)m * n * 4;
  // Refuse anything outside the heap rather than write over the process.
  for (size_t i = 0; i < count; i++) {
    if (a_at[i] + a_bytes > heap_bytes || b_at[i] + b_bytes > heap_bytes || c_at[i] + c_bytes > heap_bytes ||
        (a_at[i] | b_at[i] | c_at[i]) % 4 != 0) {
      napi_throw_range_error(env, NULL, "gemm: operand outside the heap or misaligned");
      return NULL;
    }
  }
  if (count == 0) return NULL;
  void* pointers = malloc(count * 3 * sizeof(float*));
  if (pointers == NULL) {
    napi_throw_error(env, NULL, "gemm: out of memory");
    return NULL;
  }
  const float** a = (const float**)pointers;
  const float** b = a + count;
  float** c = (float**)(b + count);
  for (size_t i = 0; i < count; i++) {
    a[i] = (const float*)(heap + a_at[i]);
    b[i] = (const float*)(heap + b_at[i]);
    c[i] = (float*)(heap + c_at[i]);
  }
#ifdef MTL2R_OPENBLAS
  if (use_openblas) {
    openblas_batch(transpose_a, transpose_b, m, n, k, a, b, c, count);
    free(pointers);
    return NULL;
  }
#endif
  mtl2r_sgemm_batch(transpose_a, transpose_b, m, n, k, a, b, c, count,
                    mtl2r_sgemm_threads_for(m, n, k, count, max_threads));
  free(pointers);
  return NULL;
}

/* Reads `count` int64 arguments starting at argv[first]; throws unless they are non-negative. */
static int sizes(napi_env env, napi_value* argv, int first, int count, int64_t* out) {
  for (int i = 0; i < count; i++) {
    if (napi_get_value_int64(env, argv[first + i], &out[i]) != napi_ok || out[i] < 0) {
      napi_throw_error(env, NULL, "mtl2r native: offsets and sizes must be non-negative integers");
      return 0;
    }
  }
  return 1;
}

/* A float range of `floats` elements at byte `offset` inside the heap, 4-byte aligned. */
static int inside(napi_env env, int64_t offset, int64_t floats, size_t heap_bytes) {
  if (offset % 4 != 0 || (uint64_t)offset + (uint64_t)floats * 4 > heap_bytes) {
    napi_throw_range_error(env, NULL, "mtl2r native: operand outside the heap or misaligned");
    return 0;
  }
  return 1;
}

static napi_value binary(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  uint8_t* heap;
  size_t heap_bytes;
  int32_t op;
  int64_t v[6]; /* aOffset, aSize, bOffset, bSize, outOffset, outSize */
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) {
    napi_throw_error(env, NULL, "binary: expected 8 arguments");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  CHECK(napi_get_value_int32(env, argv[1], &op));
  if (!sizes(env, argv, 2, 6, v)) return NULL;
  if (op < MTL2R_ADD || op > MTL2R_MUL || v[1] == 0 || v[3] == 0 || v[5] % v[1] != 0 || v[5] % v[3] != 0) {
    napi_throw_error(env, NULL, "binary: op must be 0-2 and each operand size must divide the output size");
    return NULL;
  }
  if (!inside(env, v[0], v[1], heap_bytes) || !inside(env, v[2], v[3], heap_bytes) ||
      !inside(env, v[4], v[5], heap_bytes))
    return NULL;
  mtl2r_binary(op, (const float*)(heap + v[0]), (size_t)v[1], (const float*)(heap + v[2]), (size_t)v[3],
               (float*)(heap + v[4]), (size_t)v[5], max_threads);
  return NULL;
}

static napi_value sum_rows(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[4]; /* xOffset, rows, width, outOffset */
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) {
    napi_throw_error(env, NULL, "sumRows: expected 5 arguments");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  if (!sizes(env, argv, 1, 4, v)) return NULL;
  if (!inside(env, v[0], v[1] * v[2], heap_bytes) || !inside(env, v[3], v[2], heap_bytes)) return NULL;
  mtl2r_sum_rows((const float*)(heap + v[0]), (size_t)v[1], (size_t)v[2], (float*)(heap + v[3]), max_threads);
  return NULL;
}

/* An optional Uint32Array argument of at least `words` words: 1 with *bits set, 1 with NULL when absent. */
static int keep_bits(napi_env env, napi_value value, size_t words, uint32_t** bits) {
  napi_valuetype type;
  *bits = NULL;
  if (napi_typeof(env, value, &type) != napi_ok) return 0;
  if (type == napi_undefined || type == napi_null) return 1;
  size_t length;
  if (!offsets(env, value, bits, &length) || length < words) {
    napi_throw_range_error(env, NULL, "dropout: bits must be a Uint32Array of (size + 31) / 32 words");
    return 0;
  }
  return 1;
}

static napi_value dropout(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[3]; /* xOffset, outOffset, size */
  uint32_t* state;
  size_t state_length;
  uint32_t threshold;
  double keep_scale;
  uint32_t* bits = NULL;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7 && argc != 8) {
    napi_throw_error(env, NULL, "dropout: expected 7 or 8 arguments");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  if (!sizes(env, argv, 1, 3, v)) return NULL;
  if (!offsets(env, argv[4], &state, &state_length) || state_length != 4) {
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
  if (!inside(env, v[0], v[2], heap_bytes) || !inside(env, v[1], v[2], heap_bytes)) return NULL;
  mtl2r_dropout(state, threshold, (float)keep_scale, (const float*)(heap + v[0]), (float*)(heap + v[1]), bits,
                (size_t)v[2], max_threads);
  return NULL;
}

/* dropoutBits(heap, xOffset, outOffset, size, bits, keepScale): the mask kept by dropout(..., bits). */
static napi_value dropout_bits(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[3]; /* xOffset, outOffset, size */
  uint32_t* bits;
  double keep_scale;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) {
    napi_throw_error(env, NULL, "dropoutBits: expected 6 arguments");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  if (!sizes(env, argv, 1, 3, v)) return NULL;
  if (!keep_bits(env, argv[4], (size_t)(v[2] + 31) / 32, &bits)) return NULL;
  if (bits == NULL) {
    napi_throw_error(env, NULL, "dropoutBits: bits must be a Uint32Array");
    return NULL;
  }
  CHECK(napi_get_value_double(env, argv[5], &keep_scale));
  if (!inside(env, v[0], v[2], heap_bytes) || !inside(env, v[1], v[2], heap_bytes)) return NULL;
  mtl2r_dropout_apply_bits(bits, (float)keep_scale, (const float*)(heap + v[0]), (float*)(heap + v[1]),
                           (size_t)v[2], max_threads);
  return NULL;
}

static napi_value softmax_grad(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  uint8_t* heap;
  size_t heap_bytes;
  int64_t v[5]; /* dyOffset, yOffset, outOffset, rows, width */
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) {
    napi_throw_error(env, NULL, "softmaxGrad: expected 6 arguments");
    return NULL;
  }
  CHECK(napi_get_arraybuffer_info(env, argv[0], (void**)&heap, &heap_bytes));
  if (!sizes(env, argv, 1, 5, v)) return NULL;
  const int64_t floats = v[3] * v[4];
  if (!inside(env, v[0], floats, heap_bytes) || !inside(env, v[1], floats, heap_bytes) ||
      !inside(env, v[2], floats, heap_bytes))
    return NULL;
  mtl2r_softmax_grad((const float*)(heap + v[0]), (const float*)(heap + v[1]), (float*)(heap + v[2]),
                     (size_t)v[3], (size_t)v[4], max_threads);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t threads;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &threads));
  max_threads = threads < 1 ? 1 : threads;
  return NULL;
}

static napi_value set_kernel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char name[32] = {0};
  size_t length;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &length));
  int ok = 1;
  if (strcmp(name, "portable") == 0) use_openblas = 0;
  else if (strncmp(name, "portable-", 9) == 0) {
    ok = mtl2r_sgemm_set_isa(name + 9);
    if (ok) use_openblas = 0;
  }
#ifdef MTL2R_OPENBLAS
  else if (strcmp(name, "openblas") == 0) use_openblas = 1;
#endif
  else ok = 0;
  napi_value result;
  CHECK(napi_get_boolean(env, ok, &result));
  return result;
}

static napi_value info(napi_env env, napi_callback_info cb) {
  (void)cb;
  napi_value result, kernel, openblas, isa, threads;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_string_utf8(env, use_openblas ? "openblas" : "portable", NAPI_AUTO_LENGTH, &kernel));
#ifdef MTL2R_OPENBLAS
  CHECK(napi_get_boolean(env, 1, &openblas));
#else
  CHECK(napi_get_boolean(env, 0, &openblas));
#endif
  CHECK(napi_create_string_utf8(env, mtl2r_sgemm_isa(), NAPI_AUTO_LENGTH, &isa));
  CHECK(napi_create_int32(env, max_threads, &threads));
  CHECK(napi_set_named_property(env, result, "kernel", kernel));
  CHECK(napi_set_named_property(env, result, "openblas", openblas));
  CHECK(napi_set_named_property(env, result, "isa", isa));
  CHECK(napi_set_named_property(env, result, "threads", threads));
  return result;
}

static void export_function(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value value;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value);
  napi_set_named_property(env, exports, name, value);
}

static napi_value init(napi_env env, napi_value exports) {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  max_threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
#ifdef MTL2R_OPENBLAS
  // Our kernel measured faster than OpenBLAS on every product of the training step where it has a tuned
  // micro-kernel (AVX2, AVX-512); OpenBLAS stays the default where ours would be the generic one.
  const char* isa = mtl2r_sgemm_isa();
  use_openblas = strcmp(isa, "generic") == 0;
#endif
  export_function(env, exports, "gemm", gemm);
  export_function(env, exports, "binary", binary);
  export_function(env, exports, "sumRows", sum_rows);
  export_function(env, exports, "dropout", dropout);
  export_function(env, exports, "dropoutBits", dropout_bits);
  export_function(env, exports, "softmaxGrad", softmax_grad);
  export_function(env, exports, "setThreads", set_threads);
  export_function(env, exports, "setKernel", set_kernel);
  export_function(env, exports, "info", info);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
