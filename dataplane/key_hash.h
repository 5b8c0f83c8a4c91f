/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_KEY_HASH_H
#define CS_KEY_HASH_H

#include <stdint.h>
#include <string.h>

#include <rte_hash_crc.h>

/*
 * The hash function of cdrsentry's rte_hash tables: CRC32-C, one
 * instruction for each 8 bytes of key (jhash took 80 instructions for a
 * 20-byte F-TEID). rte_hash_crc itself reads the key 8 bytes at a time
 * through a uint64_t pointer, and a key such as an IP address need only be
 * 4-aligned: here each word is copied out first, which the compiler turns
 * into the same unaligned load, without the undefined behaviour.
 */
static inline uint32_t cs_key_crc(const void *key, uint32_t len, uint32_t init)
{
	const uint8_t *p = key;
	uint32_t h = init;
	uint64_t w8;
	uint32_t w4;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w8, p, 8);
		h = rte_hash_crc_8byte(w8, h);
	}
	if (len >= 4) {
		memcpy(&w4, p, 4);
		h = rte_hash_crc_4byte(w4, h);
		p += 4;
		len -= 4;
	}
	for (; len > 0; p++, len--)
		h = rte_hash_crc_1byte(*p, h);
	return h;
}

#endif
