#include "addon-args.h"

#include <stdio.h>

int mtl2r_max_threads = 1;

int mtl2r_uint32_array(napi_env env, napi_value value, uint32_t** data, size_t* length) {
  napi_typedarray_type type;
  napi_value buffer;
  size_t byte_offset;
  if (napi_get_typedarray_info(env, value, &type, length, (void**)data, &buffer, &byte_offset) != napi_ok) return 0;
  return type == napi_uint32_array;
}

int mtl2r_heap_call(napi_env env, napi_callback_info info, const char* name, size_t min_argc, size_t max_argc,
                    napi_value* argv, size_t* argc, uint8_t** heap, size_t* heap_bytes) {
  *argc = max_argc;
  if (napi_get_cb_info(env, info, argc, argv, NULL, NULL) != napi_ok) {
    napi_throw_error(env, NULL, "mtl2r native: bad argument");
    return 0;
  }
  if (*argc < min_argc || *argc > max_argc) {
    char message[96];
    if (min_argc == max_argc) snprintf(message, sizeof message, "%s: expected %zu arguments", name, max_argc);
    else snprintf(message, sizeof message, "%s: expected %zu or %zu arguments", name, min_argc, max_argc);
    napi_throw_error(env, NULL, message);
    return 0;
  }
  if (napi_get_arraybuffer_info(env, argv[0], (void**)heap, heap_bytes) != napi_ok) {
    napi_throw_error(env, NULL, "mtl2r native: the heap must be an ArrayBuffer");
    return 0;
  }
  return 1;
}

int mtl2r_sizes(napi_env env, napi_value* argv, int first, int count, int64_t* out) {
  for (int i = 0; i < count; i++) {
    if (napi_get_value_int64(env, argv[first + i], &out[i]) != napi_ok || out[i] < 0) {
      napi_throw_error(env, NULL, "mtl2r native: offsets and sizes must be non-negative integers");
      return 0;
    }
  }
  return 1;
}

int mtl2r_inside(napi_env env, int64_t offset, int64_t floats, size_t heap_bytes) {
  if (offset % 4 != 0 || (uint64_t)offset + (uint64_t)floats * 4 > heap_bytes) {
    napi_throw_range_error(env, NULL, "mtl2r native: operand outside the heap or misaligned");
    return 0;
  }
  return 1;
}

void mtl2r_export_function(napi_env env, napi_value exports, const char* name, napi_callback fn) {
  napi_value value;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, fn, NULL, &value);
  napi_set_named_property(env, exports, name, value);
}
