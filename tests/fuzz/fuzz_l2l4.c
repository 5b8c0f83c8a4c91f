/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: a whole frame through L2-L4, and the payload again from its IP layer. */
#include <stddef.h>
#include <stdint.h>

#include "decode_l2l4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_l2l4 d;
	volatile uint32_t sink = 0;

	if (size > UINT32_MAX)
		return 0;
	if (cs_decode_l2l4(data, (uint32_t)size, &d) == CS_R_OK) {
		/* the decoder's offsets must stay inside the frame: touch the bytes they name */
		for (uint32_t i = 0; i < d.payload_len; i++)
			sink += data[d.payload_offset + i];
		sink += data[d.l3_offset] + d.sport + d.dport;
	}
	if (size > 14 && cs_decode_ip(data + 14, (uint32_t)size - 14, &d) == CS_R_OK)
		for (uint32_t i = 0; i < d.payload_len; i++)
			sink += data[14 + d.payload_offset + i];
	(void)sink;
	return 0;
}
