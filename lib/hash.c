/* hash.c - fast non-cryptographic hashing and 128-bit fingerprints. */
#include <string.h>

#include "pb.h"

static inline uint64_t mix(uint64_t x)
{
	/* A 64-bit finaliser: xor-shift and odd multipliers. */
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	return x;
}

static inline uint64_t load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint64_t hash_lane(const unsigned char *p, size_t n, uint64_t seed,
			  uint64_t mul)
{
	uint64_t h = seed ^ (n * UINT64_C(0x9e3779b97f4a7c15));

	while (n >= 8) {
		h = (h ^ mix(load64(p) + seed)) * mul;
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n) {
		uint64_t v = 0;

		memcpy(&v, p, n);
		h = (h ^ mix(v + seed + n)) * mul;
		h ^= h >> 29;
	}
	return mix(h);
}

uint64_t pb_hash64(const void *p, size_t n, uint64_t seed)
{
	return hash_lane(p, n, seed + UINT64_C(0x243f6a8885a308d3),
			 UINT64_C(0x9fb21c651e98df25));
}

struct pb_fp pb_fingerprint(const void *p, size_t n)
{
	struct pb_fp f;

	f.hi = hash_lane(p, n, UINT64_C(0x13198a2e03707344),
			 UINT64_C(0xc2b2ae3d27d4eb4f));
	f.lo = hash_lane(p, n, UINT64_C(0xa4093822299f31d0),
			 UINT64_C(0x94d049bb133111eb));
	return f;
}
