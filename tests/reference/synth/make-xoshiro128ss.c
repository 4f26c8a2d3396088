/* Reference outputs of xoshiro128** 1.1 from the authors' C code (https://prng.di.unimi.it/xoshiro128starstar.c,
   Blackman & Vigna 2018, public domain), for tests/synth/rng.test.ts.
   Build and run: gcc -O2 -o /tmp/x make-xoshiro128ss.c && /tmp/x > xoshiro128ss.json */
#include <stdint.h>
#include <stdio.h>

static inline uint32_t rotl(const uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
static uint32_t s[4];
uint32_t next(void) {
  const uint32_t result = rotl(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

int main(void) {
  const uint32_t seeds[2][4] = {{1u, 2u, 3u, 4u}, {0x9e3779b9u, 0x243f6a88u, 0xb7e15162u, 0xdeadbeefu}};
  printf("{\n  \"source\": \"xoshiro128** 1.1 reference C code (prng.di.unimi.it), compiled with gcc\",\n  \"cases\": [\n");
  for (int c = 0; c < 2; c++) {
    for (int i = 0; i < 4; i++) s[i] = seeds[c][i];
    printf("    {\"state\": [%u, %u, %u, %u], \"outputs\": [", seeds[c][0], seeds[c][1], seeds[c][2], seeds[c][3]);
    for (int i = 0; i < 20; i++) printf("%s%u", i ? ", " : "", next());
    for (int i = 0; i < 980; i++) next();
    printf("], \"output1001\": %u}%s\n", next(), c == 0 ? "," : "");
  }
  printf("  ]\n}\n");
  return 0;
}
