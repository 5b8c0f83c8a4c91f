/* SPDX-License-Identifier: Apache-2.0 */
/* Fuzz target: a GTP-U packet (UDP payload), then its inner IP packet. */
#include <stddef.h>
#include <stdint.h>

#include "decode_gtpu.h"
#include "decode_l2l4.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_gtpu_msg m;
	struct cs_l2l4 inner;
	volatile uint32_t sink = 0;

	if (size > UINT32_MAX || cs_decode_gtpu(data, (uint32_t)size, &m) != CS_R_OK)
		return 0;
	sink += m.teid + m.qfi + m.seq;
	if (m.type == CS_GTPU_GPDU) {
		const uint8_t *ip = data + m.inner_offset;
		sink += ip[0] + ip[m.inner_len - 1];
		if (cs_decode_ip(ip, m.inner_len, &inner) == CS_R_OK)
			for (uint32_t i = 0; i < inner.payload_len; i++)
				sink += ip[inner.payload_offset + i];
	}
	(void)sink;
	return 0;
}
