/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GEN_RANDOM_H
#define CS_GEN_RANDOM_H

#include <stdint.h>

/*
 * splitmix64, the generator's one random stream: small, fast, and
 * identical on every platform, so a seed gives the same bytes anywhere.
 */
static inline uint64_t cs_gen_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#endif
