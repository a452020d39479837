/*
 * mtl2r's native addon (N-API, so one build serves every Node version): matrix products for the tfjs wasm
 * backend, computed directly on the wasm heap (tensors addressed by byte offsets into the
 * WebAssembly.Memory buffer), so nothing is copied. Built at install by binding.gyp; the kernel is our
 * blocked sgemm (sgemm.c) on CPUs with AVX2 or AVX-512, else OpenBLAS's sgemm when the build linked it
 * (MTL2R_OPENBLAS); setKernel switches at run time.
 *
 * gemm(heap, transposeA, transposeB, m, n, k, aOffsets, bOffsets, cOffsets): for every i,
 *   C_i[m, n] = op(A_i) op(B_i), row-major, A_i stored [m, k] ([k, m] if transposed), B_i [k, n] ([n, k]).
 * The element-wise kernels (binary, sumRows, dropout, dropoutBits, softmaxGrad) are in addon-elementwise.c.
 * setThreads(n), setKernel('openblas' | 'portable' | 'portable-avx512' | 'portable-avx2' | 'portable-generic')
 * -> boolean, info() -> { kernel, openblas, isa, threads }.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addon-args.h"
#include "sgemm.h"

#ifdef MTL2R_OPENBLAS
/* Declared here rather than via cblas.h, whose location differs between distributions. */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
void cblas_sgemm(int order, int trans_a, int trans_b, int m, int n, int k, float alpha, const float* a, int lda,
                 const float* b, int ldb, float beta, float* c, int ldc);
void openblas_set_num_threads(int threads);
#endif

static int use_openblas = 0;

#ifdef MTL2R_OPENBLAS
static void openblas_batch(int ta, int tb, int m, int n, int k, const float* const* a, const float* const* b,
                           float* const* c, size_t count) {
  // Both cores pay only on large products; on skinny ones (Gram matrices) 2 threads are slower.
  openblas_set_num_threads(mtl2r_sgemm_threads_for(m, n, k, 1, mtl2r_max_threads));
  const int lda = ta ? m : k, ldb = tb ? k : n;
  for (size_t i = 0; i < count; i++) {
    cblas_sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, m, n, k, 1.0f, a[i], lda, b[i], ldb, 0.0f,
                c[i], n);
  }
}
#endif

static napi_value gemm(napi_env env, napi_callback_info info) {
  size_t argc;
  napi_value argv[9];
  uint8_t* heap;
  size_t heap_bytes;
  if (!mtl2r_heap_call(env, info, "gemm", 9, 9, argv, &argc, &heap, &heap_bytes)) return NULL;
  bool transpose_a, transpose_b;
  int32_t m, n, k;
  CHECK(napi_get_value_bool(env, argv[1], &transpose_a));
  CHECK(napi_get_value_bool(env, argv[2], &transpose_b));
  CHECK(napi_get_value_int32(env, argv[3], &m));
  CHECK(napi_get_value_int32(env, argv[4], &n));
  CHECK(napi_get_value_int32(env, argv[5], &k));
  uint32_t *a_at, *b_at, *c_at;
  size_t count, count_b, count_c;
  if (!mtl2r_uint32_array(env, argv[6], &a_at, &count) || !mtl2r_uint32_array(env, argv[7], &b_at, &count_b) ||
      !mtl2r_uint32_array(env, argv[8], &c_at, &count_c) || count_b != count || count_c != count || m < 0 || n < 0 || k < 0) {
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
                    mtl2r_sgemm_threads_for(m, n, k, count, mtl2r_max_threads));
  free(pointers);
  return NULL;
}

static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t threads;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  CHECK(napi_get_value_int32(env, argv[0], &threads));
  mtl2r_max_threads = threads < 1 ? 1 : threads;
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
  CHECK(napi_create_int32(env, mtl2r_max_threads, &threads));
  CHECK(napi_set_named_property(env, result, "kernel", kernel));
  CHECK(napi_set_named_property(env, result, "openblas", openblas));
  CHECK(napi_set_named_property(env, result, "isa", isa));
  CHECK(napi_set_named_property(env, result, "threads", threads));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  mtl2r_max_threads = cpus < 1 ? 1 : cpus > 8 ? 8 : (int)cpus;
#ifdef MTL2R_OPENBLAS
  // Our kernel measured faster than OpenBLAS on every product of the training step where it has a tuned
  // micro-kernel (AVX2, AVX-512); OpenBLAS stays the default where ours would be the generic one.
  const char* isa = mtl2r_sgemm_isa();
  use_openblas = strcmp(isa, "generic") == 0;
#endif
  mtl2r_export_function(env, exports, "gemm", gemm);
  mtl2r_export_elementwise(env, exports);
  mtl2r_export_function(env, exports, "setThreads", set_threads);
  mtl2r_export_function(env, exports, "setKernel", set_kernel);
  mtl2r_export_function(env, exports, "info", info);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
