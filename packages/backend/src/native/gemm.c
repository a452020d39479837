/*
 * Optional native GEMM for the tfjs wasm backend: runs OpenBLAS's sgemm directly on the wasm heap (tensors
 * are addressed by byte offsets into the WebAssembly.Memory buffer), so no data is copied. Built by
 * `pnpm --filter @mtl2r/backend build:native`; when absent, the wasm kernels use XNNPACK instead.
 *
 * gemm(heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, m, n, k,
 *      aOffsets: Uint32Array, bOffsets: Uint32Array, cOffsets: Uint32Array): void
 * computes, for every i, C_i[m,n] = op(A_i) op(B_i) with row-major A_i stored [m,k] ([k,m] if transposed),
 * B_i stored [k,n] ([n,k] if transposed).
 */
#define NAPI_VERSION 8
#include <cblas.h>
#include <node_api.h>
#include <stdint.h>

#define CHECK(call)                                   \
  if ((call) != napi_ok) {                            \
    napi_throw_error(env, NULL, "gemm: bad argument"); \
    return NULL;                                      \
  }

static int offsets(napi_env env, napi_value value, uint32_t** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, value, &type, length, (void**)data, &buffer, &byte_offset) != napi_ok) return 0;
  return type == napi_uint32_array;
}

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
  const int lda = transpose_a ? m : k, ldb = transpose_b ? k : n;
  for (size_t i = 0; i < count; i++) {
    cblas_sgemm(CblasRowMajor, transpose_a ? CblasTrans : CblasNoTrans, transpose_b ? CblasTrans : CblasNoTrans, m, n,
                k, 1.0f, (const float*)(heap + a_at[i]), lda, (const float*)(heap + b_at[i]), ldb, 0.0f,
                (float*)(heap + c_at[i]), n);
  }
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t threads;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &threads));
  openblas_set_num_threads(threads);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, gemm, NULL, &fn);
  napi_set_named_property(env, exports, "gemm", fn);
  napi_create_function(env, "setThreads", NAPI_AUTO_LENGTH, set_threads, NULL, &fn);
  napi_set_named_property(env, exports, "setThreads", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
