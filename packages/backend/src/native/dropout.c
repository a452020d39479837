/*
 * Dropout with the mask drawn on the fly: no mask is ever stored. xorshift128 is one serial stream, but its
 * step is linear over GF(2), so the stream can be cut into segments: the state at word i * S is the seed
 * state times J^i, J = (the step's 128 x 128 bit matrix)^S. Each thread runs LANES segments side by side in
 * vector registers (measured here: 0.8 ns per element on one core, 0.45 ns on two; a plain x * scalar
 * takes 0.25 ns), yet every element gets exactly the draw the serial JS fill gives it. x * 0 (not a
 * select) keeps NaN and -0 as a tensor multiply by the mask would.
 */
#include "dropout.h"

#include <pthread.h>
#include <string.h>

#define LANES 16
/* Words per lane per round: the draws of one round (LANES x BLOCK words) stay in L1. */
#define BLOCK 64 /* a multiple of 4 (draw_block) */
/* Below this many words the serial loop costs less than a jump matrix for a new size (about 0.5 ms). */
#define SERIAL_MAX_WORDS 65536
/* Below this many words a second thread costs more to start than it saves. */
#define PARALLEL_MIN_WORDS 262144
/* Jump matrices kept (2 KB each): a training step has a few dropout sizes per list length. */
#define CACHED 16
#define MAX_THREADS 8

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CLONES
#endif

typedef struct {
  uint32_t w[4];
} state128;

static inline void step(uint32_t* a, uint32_t* b, uint32_t* c, uint32_t* d) {
  const uint32_t t = *a ^ (*a << 11);
  *a = *b;
  *b = *c;
  *c = *d;
  *d = *d ^ (*d >> 19) ^ t ^ (t >> 8);
}

/* A linear map on 128-bit states, by columns: column j is the image of bit j (bit j of word j / 32). */
typedef struct {
  state128 col[128];
} matrix128;

static state128 apply(const matrix128* m, state128 x) {
  state128 y = {{0, 0, 0, 0}};
  for (int j = 0; j < 128; j++) {
    if ((x.w[j >> 5] >> (j & 31)) & 1u) {
      for (int k = 0; k < 4; k++) y.w[k] ^= m->col[j].w[k];
    }
  }
  return y;
}

static void compose(const matrix128* a, const matrix128* b, matrix128* out) { /* out = a after b */
  for (int j = 0; j < 128; j++) out->col[j] = apply(a, b->col[j]);
}

static void step_matrix(matrix128* m) {
  for (int j = 0; j < 128; j++) {
    uint32_t s[4] = {0, 0, 0, 0};
    s[j >> 5] = 1u << (j & 31);
    step(&s[0], &s[1], &s[2], &s[3]);
    memcpy(m->col[j].w, s, sizeof s);
  }
}

/*
 * Writes the step matrix to the power `words` (square and multiply) to `out`. Cached, since sizes repeat
 * from step to step; the cache is shared by every thread that loads the addon (worker_threads), hence the
 * lock and the copy out.
 */
static void jump_matrix(size_t words, matrix128* out) {
  static matrix128 cache[CACHED];
  static size_t cached_words[CACHED];
  static int next = 0;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  for (int i = 0; i < CACHED; i++) {
    if (cached_words[i] == words) {
      *out = cache[i];
      pthread_mutex_unlock(&lock);
      return;
    }
  }
  pthread_mutex_unlock(&lock);
  matrix128 power, scratch;
  step_matrix(&power);
  int have = 0;
  for (size_t n = words; n > 0; n >>= 1) {
    if (n & 1) {
      if (have) {
        compose(&power, out, &scratch);
        *out = scratch;
      } else {
        *out = power;
        have = 1;
      }
    }
    if (n > 1) {
      compose(&power, &power, &scratch);
      power = scratch;
    }
  }
  pthread_mutex_lock(&lock);
  cache[next] = *out;
  cached_words[next] = words;
  next = (next + 1) % CACHED;
  pthread_mutex_unlock(&lock);
}

/* x times the mask of consecutive 16-bit draws (element j's draw is draws[j]): a loop the compiler vectorises. */
CLONES static void apply_draws(const uint16_t* draws, uint32_t threshold, float keep_scale, const float* x,
                               float* out, size_t n) {
  for (size_t j = 0; j < n; j++) out[j] = x[j] * ((uint32_t)draws[j] < threshold ? 0.0f : keep_scale);
}

/*
 * The keep bits of n consecutive draws: bit b of bits[w] is 1 when draw 32 w + b is kept. The caller's
 * chunks start at multiples of 128 elements, so no two chunks (or threads) share a word.
 */
CLONES static void pack_keep_bits(const uint16_t* draws, uint32_t threshold, size_t n, uint32_t* bits) {
  const size_t full = n / 32;
  for (size_t w = 0; w < full; w++) {
    uint32_t word = 0;
    for (uint32_t b = 0; b < 32; b++) word |= (uint32_t)((uint32_t)draws[32 * w + b] >= threshold) << b;
    bits[w] = word;
  }
  if (n % 32 != 0) {
    uint32_t word = 0;
    for (size_t b = 0; b < n % 32; b++) word |= (uint32_t)((uint32_t)draws[32 * full + b] >= threshold) << b;
    bits[full] = word;
  }
}

/* Word w's low then high 16 bits to draws[2w], draws[2w + 1]: a plain copy on little-endian CPUs. */
static inline void split_words(const uint32_t* words, size_t n, uint16_t* draws) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  memcpy(draws, words, n * sizeof(uint32_t));
#else
  for (size_t w = 0; w < n; w++) {
    draws[2 * w] = (uint16_t)(words[w] & 0xffffu);
    draws[2 * w + 1] = (uint16_t)(words[w] >> 16);
  }
#endif
}

/* The whole stream from `s`, serially (small tensors): BLOCK words at a time, then the vectorised multiply. */
static void dropout_serial(state128 s, uint32_t threshold, float keep_scale, const float* x, float* out,
                           uint32_t* bits, size_t size) {
  uint32_t a = s.w[0], b = s.w[1], c = s.w[2], d = s.w[3];
  uint16_t draws[2 * BLOCK];
  for (size_t start = 0; start < size; start += 2 * BLOCK) {
    const size_t n = size - start < 2 * BLOCK ? size - start : 2 * BLOCK;
    for (size_t j = 0; j < n; j += 2) {
      step(&a, &b, &c, &d);
      draws[j] = (uint16_t)(d & 0xffffu);
      draws[j + 1] = (uint16_t)(d >> 16);
    }
    apply_draws(draws, threshold, keep_scale, x + start, out + start, n);
    if (bits != NULL) pack_keep_bits(draws, threshold, n, bits + start / 32);
  }
}

typedef struct {
  state128 lane[LANES]; /* each lane's state at the start of its segment */
  size_t first_word;    /* lane l covers words [first_word + l * segment, ... + segment) */
  size_t segment;
  size_t size; /* elements in the whole tensor */
  uint32_t threshold;
  float keep_scale;
  const float* x;
  float* out;
  uint32_t* bits; /* NULL, or the keep bits to write */
} lanes_job;

/* The LANES generators' state words side by side (GCC / Clang vector extension: registers on any ISA). */
typedef uint32_t lanes_u32 __attribute__((vector_size(LANES * sizeof(uint32_t))));

/*
 * Draws BLOCK words of every lane, lane index fastest. The four state words rotate roles instead of moving
 * (after 4 steps they are back in order), so the whole state stays in registers.
 */
CLONES static void draw_block(lanes_u32* state, uint32_t draws[BLOCK][LANES]) {
  lanes_u32 a = state[0], b = state[1], c = state[2], d = state[3], t;
  for (int w = 0; w < BLOCK; w += 4) {
    t = a ^ (a << 11);
    a = d ^ (d >> 19) ^ t ^ (t >> 8);
    memcpy(draws[w], &a, sizeof a);
    t = b ^ (b << 11);
    b = a ^ (a >> 19) ^ t ^ (t >> 8);
    memcpy(draws[w + 1], &b, sizeof b);
    t = c ^ (c << 11);
    c = b ^ (b >> 19) ^ t ^ (t >> 8);
    memcpy(draws[w + 2], &c, sizeof c);
    t = d ^ (d << 11);
    d = c ^ (c >> 19) ^ t ^ (t >> 8);
    memcpy(draws[w + 3], &d, sizeof d);
  }
  state[0] = a;
  state[1] = b;
  state[2] = c;
  state[3] = d;
}

static void* run_lanes(void* arg) {
  const lanes_job* job = (const lanes_job*)arg;
  lanes_u32 state[4];
  for (int k = 0; k < 4; k++)
    for (int l = 0; l < LANES; l++) state[k][l] = job->lane[l].w[k];
  uint32_t draws[BLOCK][LANES];
  uint16_t lane_draws[2 * BLOCK]; /* one lane's words of this round split into their 16-bit halves */
  for (size_t w0 = 0; w0 < job->segment; w0 += BLOCK) {
    draw_block(state, draws);
    for (int l = 0; l < LANES; l++) {
      const size_t start = 2 * (job->first_word + (size_t)l * job->segment + w0);
      if (start >= job->size) break;
      const size_t words = job->segment - w0 < BLOCK ? job->segment - w0 : BLOCK;
      size_t n = 2 * words;
      if (n > job->size - start) n = job->size - start;
      uint32_t lane_words[BLOCK];
      for (size_t w = 0; w < words; w++) lane_words[w] = draws[w][l];
      split_words(lane_words, words, lane_draws);
      apply_draws(lane_draws, job->threshold, job->keep_scale, job->x + start, job->out + start, n);
      if (job->bits != NULL) pack_keep_bits(lane_draws, job->threshold, n, job->bits + start / 32);
    }
  }
  return NULL;
}

void mtl2r_dropout(const uint32_t state[4], uint32_t threshold, float keep_scale, const float* x, float* out,
                   uint32_t* bits, size_t size, int threads) {
  const state128 seed = {{state[0], state[1], state[2], state[3]}};
  const size_t words = (size + 1) / 2;
  if (words <= SERIAL_MAX_WORDS) {
    dropout_serial(seed, threshold, keep_scale, x, out, bits, size);
    return;
  }
  if (threads < 1 || words < PARALLEL_MIN_WORDS) threads = 1;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  const size_t lanes = (size_t)threads * LANES;
  /*
   * Equal segments of whole rounds (so every chunk starts at a multiple of 2 BLOCK elements: whole words of
   * keep bits); the last lanes may run past the end, their extra draws unused.
   */
  const size_t segment = ((words + lanes - 1) / lanes + BLOCK - 1) / BLOCK * BLOCK;
  matrix128 jump;
  jump_matrix(segment, &jump);
  lanes_job jobs[MAX_THREADS];
  state128 s = seed;
  for (int t = 0; t < threads; t++) {
    jobs[t] = (lanes_job){.first_word = (size_t)t * LANES * segment,
                          .segment = segment,
                          .size = size,
                          .threshold = threshold,
                          .keep_scale = keep_scale,
                          .x = x,
                          .out = out,
                          .bits = bits};
    for (int l = 0; l < LANES; l++) {
      jobs[t].lane[l] = s;
      s = apply(&jump, s);
    }
  }
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&ids[t], NULL, run_lanes, &jobs[t]) == 0;
  run_lanes(&jobs[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else run_lanes(&jobs[t]);
  }
}

/* out[i] = x[i] * (keep bit i ? keep_scale : 0) for i in [begin, end); begin is a multiple of 32. */
CLONES static void apply_bits(const uint32_t* bits, float keep_scale, const float* x, float* out, size_t begin,
                              size_t end) {
  size_t i = begin;
  for (; i + 32 <= end; i += 32) {
    const uint32_t word = bits[i / 32];
    for (uint32_t b = 0; b < 32; b++) out[i + b] = x[i + b] * ((word >> b) & 1u ? keep_scale : 0.0f);
  }
  for (; i < end; i++) out[i] = x[i] * ((bits[i / 32] >> (i % 32)) & 1u ? keep_scale : 0.0f);
}

typedef struct {
  const uint32_t* bits;
  float keep_scale;
  const float* x;
  float* out;
  size_t begin, end;
} bits_job;

static void* run_bits(void* arg) {
  const bits_job* job = (const bits_job*)arg;
  apply_bits(job->bits, job->keep_scale, job->x, job->out, job->begin, job->end);
  return NULL;
}

void mtl2r_dropout_apply_bits(const uint32_t* bits, float keep_scale, const float* x, float* out, size_t size,
                              int threads) {
  if (threads < 1 || size < 2 * PARALLEL_MIN_WORDS) threads = 1;
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  bits_job jobs[MAX_THREADS];
  const size_t words = (size + 31) / 32;
  for (int t = 0; t < threads; t++) {
    const size_t begin = words * t / threads * 32, end = words * (t + 1) / threads * 32;
    jobs[t] = (bits_job){bits, keep_scale, x, out, begin, end < size ? end : size};
  }
  pthread_t ids[MAX_THREADS];
  int started[MAX_THREADS] = {0};
  for (int t = 1; t < threads; t++) started[t] = pthread_create(&ids[t], NULL, run_bits, &jobs[t]) == 0;
  run_bits(&jobs[0]);
  for (int t = 1; t < threads; t++) {
    if (started[t]) pthread_join(ids[t], NULL);
    else run_bits(&jobs[t]);
  }
}
