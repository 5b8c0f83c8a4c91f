/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_TEST_PCAP_WALK_H
#define CS_TEST_PCAP_WALK_H

#include <stddef.h>
#include <stdint.h>

/* The frames of a classic pcap file, loaded whole, for decoder tests. */
struct cs_test_frame {
	const uint8_t *data;
	uint32_t len;
};

struct cs_test_capture {
	char *bytes;
	size_t count;
	struct cs_test_frame *frames; /* frames[i] is tshark's frame number i + 1 */
};

/* Loads a pcap (fails the test if it cannot); free with cs_test_capture_free. */
void cs_test_capture_load(struct cs_test_capture *c, const char *path);
void cs_test_capture_free(struct cs_test_capture *c);

#endif
