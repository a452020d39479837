# The native addon (N-API): node-gyp builds it at install (scripts/install-native.mjs) or prebuildify
# for a release. OpenBLAS is linked when scripts/find-openblas.mjs finds it (its static archive first, so
# the addon is self-contained); otherwise the addon carries only our portable blocked sgemm.
{
  "variables": {
    "openblas%": "<!(node scripts/find-openblas.mjs)"
  },
  "targets": [
    {
      "target_name": "mtl2r_native",
      "sources": ["src/native/addon.c", "src/native/addon-args.c", "src/native/addon-elementwise.c", "src/native/dropout.c", "src/native/elementwise.c", "src/native/sgemm.c", "src/native/softmax.c"],
      "cflags": ["-O3", "-std=gnu11", "-ffp-contract=fast", "-fno-math-errno"],
      "libraries": ["-lpthread"],
      "conditions": [
        ["openblas!=''", {
          "defines": ["MTL2R_OPENBLAS"],
          "libraries": ["<(openblas)"]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_OPTIMIZATION_LEVEL": "3",
            "OTHER_CFLAGS": ["-std=gnu11", "-ffp-contract=fast", "-fno-math-errno"]
          }
        }]
      ]
    }
  ]
}
