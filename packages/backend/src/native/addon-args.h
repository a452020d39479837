/*
 * Argument checks shared by the addon's N-API functions: every kernel reads tensors on the wasm heap by
 * byte offset, so each call unpacks (heap, offsets, sizes) the same way and refuses anything outside it.
 */
#ifndef MTL2R_ADDON_ARGS_H
#define MTL2R_ADDON_ARGS_H

#define NAPI_VERSION 8
#include <node_api.h>
#include <stddef.h>
#include <stdint.h>

/* Most threads a kernel may use (setThreads; all online cores up to 8 by default). */
extern int mtl2r_max_threads;

#define CHECK(call)                                              \
  if ((call) != napi_ok) {                                       \
    napi_throw_error(env, NULL, "mtl2r native: bad argument");   \
    return NULL;                                                 \
  }

/* A Uint32Array's data and length; 0 when the value is not one. */
int mtl2r_uint32_array(napi_env env, napi_value value, uint32_t** data, size_t* length);

/*
 * Reads the call's arguments (between `min_argc` and `max_argc`; argv holds max_argc) and the heap in argv[0];
 * throws `<name>: expected N arguments` otherwise. Returns 1 on success.
 */
int mtl2r_heap_call(napi_env env, napi_callback_info info, const char* name, size_t min_argc, size_t max_argc,
                    napi_value* argv, size_t* argc, uint8_t** heap, size_t* heap_bytes);

/* Reads `count` int64 arguments starting at argv[first]; throws unless they are non-negative. */
int mtl2r_sizes(napi_env env, napi_value* argv, int first, int count, int64_t* out);

/* A float range of `floats` elements at byte `offset` inside the heap, 4-byte aligned; throws otherwise. */
int mtl2r_inside(napi_env env, int64_t offset, int64_t floats, size_t heap_bytes);

/* Adds the element-wise kernels (binary, sumRows, dropout, dropoutBits, softmaxGrad) to the exports. */
void mtl2r_export_elementwise(napi_env env, napi_value exports);

void mtl2r_export_function(napi_env env, napi_value exports, const char* name, napi_callback fn);

#endif
