/*
 * One instance of the blocked sgemm for one instruction set; sgemm.c includes this file once per ISA with
 * SUFFIX, MR (rows of the register tile), NR (columns), VEC_BYTES (vector width) and ISA_TARGET (a
 * `target` attribute string, or none). The register tile MR x NR lives in MR * NR / (VEC_BYTES / 4)
 * vector accumulators; GCC and Clang turn the vector-extension arithmetic into FMAs of that width.
 *
 * Blocking (Goto): for each NC-wide column block and KC-deep slice, B is packed into NR-wide strips (one
 * strip, KC x NR floats, stays in L1); for each MC-tall row block, A is packed into MR-tall strips (the
 * block stays in L2); the micro-kernel then sweeps the strips. Edges are zero-padded in the packed copies.
 */
#define CAT_(a, b) a##_##b
#define CAT(a, b) CAT_(a, b)
#define NAME(x) CAT(x, SUFFIX)
#define VL (VEC_BYTES / 4)
#define VN (NR / VL)

#ifdef ISA_TARGET
#define FN static __attribute__((target(ISA_TARGET)))
#else
#define FN static
#endif

typedef float NAME(vf) __attribute__((vector_size(VEC_BYTES)));
typedef float NAME(vfu) __attribute__((vector_size(VEC_BYTES), aligned(4)));

/* dst[p * MR + r] = A(i0 + r, p0 + p); rows past m are zero. */
FN void NAME(pack_a)(const float* a, long rsa, long csa, int i0, int rows, int p0, int kc, float* dst) {
  for (int s = 0; s < rows; s += MR) {
    const int mr = rows - s < MR ? rows - s : MR;
    if (rsa == 1 && mr == MR) {
      /* A stored transposed: each packed step is MR consecutive floats. */
      for (int p = 0; p < kc; p++) memcpy(dst + p * MR, a + (long)(p0 + p) * csa + i0 + s, MR * sizeof(float));
      dst += (long)kc * MR;
      continue;
    }
    for (int p = 0; p < kc; p++) {
      const float* col = a + (long)(p0 + p) * csa + (long)(i0 + s) * rsa;
      for (int r = 0; r < mr; r++) dst[p * MR + r] = col[(long)r * rsa];
      for (int r = mr; r < MR; r++) dst[p * MR + r] = 0.0f;
    }
    dst += (long)kc * MR;
  }
}

/* dst[p * NR + j] = B(p0 + p, j0 + j); columns past n are zero. */
FN void NAME(pack_b)(const float* b, long rsb, long csb, int j0, int cols, int p0, int kc, float* dst) {
  for (int s = 0; s < cols; s += NR) {
    const int nr = cols - s < NR ? cols - s : NR;
    for (int p = 0; p < kc; p++) {
      const float* row = b + (long)(p0 + p) * rsb + (long)(j0 + s) * csb;
      if (csb == 1 && nr == NR) {
        for (int j = 0; j < NR; j++) dst[p * NR + j] = row[j];
      } else {
        for (int j = 0; j < nr; j++) dst[p * NR + j] = row[(long)j * csb];
        for (int j = nr; j < NR; j++) dst[p * NR + j] = 0.0f;
      }
    }
    dst += (long)kc * NR;
  }
}

/* C[mr, nr] (=|+=) packed A strip x packed B strip. */
FN void NAME(micro)(int kc, const float* restrict a, const float* restrict b, float* restrict c, long ldc,
                    int accumulate, int mr, int nr) {
  NAME(vf) acc[MR][VN];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
    for (int v = 0; v < VN; v++) acc[r][v] = (NAME(vf)){0};
  for (int p = 0; p < kc; p++) {
    NAME(vf) bv[VN];
#pragma GCC unroll 8
    for (int v = 0; v < VN; v++) bv[v] = *(const NAME(vf)*)(b + p * NR + v * VL);
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const float ar = a[p * MR + r];
#pragma GCC unroll 8
      for (int v = 0; v < VN; v++) acc[r][v] += ar * bv[v];
    }
  }
  if (mr == MR && nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
      for (int v = 0; v < VN; v++) {
        NAME(vfu)* dst = (NAME(vfu)*)(c + r * ldc + v * VL);
        *dst = accumulate ? *dst + acc[r][v] : acc[r][v];
      }
    return;
  }
  float tile[MR * NR] __attribute__((aligned(64)));
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < VN; v++) *(NAME(vf)*)(tile + r * NR + v * VL) = acc[r][v];
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
}

/*
 * The micro-kernel on A in place (full MR-row strips only): A(r, p) = a[r * rsa + p * csa]. Same products
 * in the same order as packing A first, so the same floats; used where a packed A strip would be read
 * only once (B is a single NR strip, e.g. the attention's [240 x 240] x [240 x 32] products), where
 * packing it cost as much as the multiply.
 */
FN inline __attribute__((always_inline)) void NAME(micro_direct)(int kc, const float* restrict a, long rsa,
                                                                 long csa, const float* restrict b,
                                                                 float* restrict c, long ldc, int accumulate,
                                                                 int nr) {
  NAME(vf) acc[MR][VN];
#pragma GCC unroll 16
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
    for (int v = 0; v < VN; v++) acc[r][v] = (NAME(vf)){0};
  for (int p = 0; p < kc; p++) {
    NAME(vf) bv[VN];
#pragma GCC unroll 8
    for (int v = 0; v < VN; v++) bv[v] = *(const NAME(vf)*)(b + p * NR + v * VL);
    const float* ap = a + p * csa;
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++) {
      const float ar = ap[r * rsa];
#pragma GCC unroll 8
      for (int v = 0; v < VN; v++) acc[r][v] += ar * bv[v];
    }
  }
  if (nr == NR) {
#pragma GCC unroll 16
    for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
      for (int v = 0; v < VN; v++) {
        NAME(vfu)* dst = (NAME(vfu)*)(c + r * ldc + v * VL);
        *dst = accumulate ? *dst + acc[r][v] : acc[r][v];
      }
    return;
  }
  float tile[MR * NR] __attribute__((aligned(64)));
  for (int r = 0; r < MR; r++)
    for (int v = 0; v < VN; v++) *(NAME(vf)*)(tile + r * NR + v * VL) = acc[r][v];
  for (int r = 0; r < MR; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = accumulate ? c[r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
}

/* micro_direct with A's row stride a compile-time 1 (A stored transposed) or a run-time one. */
FN void NAME(micro_direct_t)(int kc, const float* a, long csa, const float* b, float* c, long ldc, int accumulate,
                             int nr) {
  NAME(micro_direct)(kc, a, 1, csa, b, c, ldc, accumulate, nr);
}
FN void NAME(micro_direct_n)(int kc, const float* a, long rsa, const float* b, float* c, long ldc, int accumulate,
                             int nr) {
  NAME(micro_direct)(kc, a, rsa, 1, b, c, ldc, accumulate, nr);
}

/*
 * C[m0:m1, n0:n1] of C[m, n] = op(A) op(B), row-major; A stored [m, k] ([k, m] when ta), B [k, n] ([n, k]
 * when tb). `abuf` holds MC x KC floats and `bbuf` KC x NC (64-byte aligned, one pair per thread).
 */
FN void NAME(gemm)(int ta, int tb, int m, int n, int k, const float* a, const float* b, float* c, int m0,
                   int m1, int n0, int n1, float* abuf, float* bbuf) {
  const long rsa = ta ? 1 : k, csa = ta ? m : 1;
  const long rsb = tb ? 1 : n, csb = tb ? k : 1;
  for (int jc = n0; jc < n1; jc += NC) {
    const int nc = n1 - jc < NC ? n1 - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      const int kc = k - pc < KC ? k - pc : KC;
      NAME(pack_b)(b, rsb, csb, jc, nc, pc, kc, bbuf);
      if (nc <= NR) {
        /* One B strip: each A strip is used once, so full strips are read in place instead of packed. */
        for (int ir = m0; ir < m1; ir += MR) {
          const int mr = m1 - ir < MR ? m1 - ir : MR;
          float* cp = c + (long)ir * n + jc;
          if (mr == MR && rsa != 1) {
            const float* ap = a + (long)ir * rsa + (long)pc * csa;
            if (rsa == 1) NAME(micro_direct_t)(kc, ap, csa, bbuf, cp, n, pc > 0, nc);
            else NAME(micro_direct_n)(kc, ap, rsa, bbuf, cp, n, pc > 0, nc);
          } else {
            NAME(pack_a)(a, rsa, csa, ir, mr, pc, kc, abuf);
            NAME(micro)(kc, abuf, bbuf, cp, n, pc > 0, mr, nc);
          }
        }
        continue;
      }
      for (int ic = m0; ic < m1; ic += MC) {
        const int mc = m1 - ic < MC ? m1 - ic : MC;
        NAME(pack_a)(a, rsa, csa, ic, mc, pc, kc, abuf);
        for (int jr = 0; jr < nc; jr += NR) {
          const int nr = nc - jr < NR ? nc - jr : NR;
          for (int ir = 0; ir < mc; ir += MR) {
            const int mr = mc - ir < MR ? mc - ir : MR;
            NAME(micro)(kc, abuf + (long)ir * kc, bbuf + (long)jr * kc, c + (long)(ic + ir) * n + jc + jr, n,
                        pc > 0, mr, nr);
          }
        }
      }
    }
  }
}

#undef FN
#undef VL
#undef VN
#undef NAME
