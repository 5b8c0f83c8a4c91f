/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_GTPU_REASONS_H
#define CS_DECODE_GTPU_REASONS_H

/* Why the GTP-U decoder refuses a packet; see decode_reason.h. */
#define CS_GTPU_REASONS(X) \
	X(GTPU, TRUNCATED, "gtpu.truncated") \
	X(GTPU, BAD_VERSION, "gtpu.bad_version") \
	X(GTPU, NOT_GTP, "gtpu.not_gtp") \
	X(GTPU, BAD_LENGTH, "gtpu.bad_length") \
	X(GTPU, EXT_HEADER_BAD_LENGTH, "gtpu.ext_header_bad_length") \
	X(GTPU, EXT_CHAIN_TOO_LONG, "gtpu.ext_chain_too_long") \
	X(GTPU, EMPTY_GPDU, "gtpu.empty_gpdu")

#endif
