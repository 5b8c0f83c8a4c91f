/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ENCODE_H
#define CS_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Frame encoders for the traffic generator: real wire encodings that
 * tshark and cdrsentry's decoders both read. A cs_buf is a bounded byte
 * builder; writing past its capacity sets overflow instead of writing.
 */
struct cs_buf {
	uint8_t *p;
	size_t len;
	size_t cap;
	bool overflow;
};

void cs_buf_init(struct cs_buf *b, uint8_t *mem, size_t cap);
void cs_buf_u8(struct cs_buf *b, uint8_t v);
void cs_buf_u16(struct cs_buf *b, uint16_t v); /* network order */
void cs_buf_u32(struct cs_buf *b, uint32_t v); /* network order */
void cs_buf_bytes(struct cs_buf *b, const void *src, size_t n);
/* Writes a 16-bit length at offset, in network order. */
void cs_buf_patch_u16(struct cs_buf *b, size_t offset, uint16_t v);

/* Digits as TBCD (3GPP TS 29.274 8.3): two digits a byte, low nibble first, 0xF fill. */
void cs_buf_tbcd(struct cs_buf *b, const char *digits);

/* The Luhn check digit over the 14 digits of an IMEI (TS 23.003 B.2), as a character. */
char cs_luhn_digit(const char *digits14);

struct cs_udp4_flow {
	uint8_t src_mac[6], dst_mac[6];
	uint32_t src_ip, dst_ip; /* host order */
	uint16_t src_port, dst_port;
	uint16_t vlan;           /* 802.1Q VLAN id, 1-4094; 0: an untagged link */
};

/* Ethernet (802.1Q-tagged when flow->vlan) + IPv4 + UDP around payload. Returns the frame length, 0 if it does not fit. */
size_t cs_encode_udp4_frame(uint8_t *out, size_t cap, const struct cs_udp4_flow *flow, uint16_t ip_id,
			    const uint8_t *payload, size_t len);

/* A bare IPv4 + UDP packet (no L2), as carried inside GTP-U. */
size_t cs_encode_ipv4_udp(uint8_t *out, size_t cap, uint32_t src_ip, uint32_t dst_ip, uint16_t sport,
			  uint16_t dport, uint16_t ip_id, size_t payload_len);

/*
 * A bare IPv6 + UDP packet (no L2), as carried inside GTP-U, with its
 * payload_len bytes of payload set to fill: UDP's checksum is mandatory
 * over IPv6 (RFC 8200 8.1), so the payload must be known to compute it.
 */
size_t cs_encode_ipv6_udp(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
			  uint16_t dport, size_t payload_len, uint8_t fill);

/* The same around a payload of len bytes: an IPv6 S11 or Gm link's GTP-C and SIP. */
size_t cs_encode_ipv6_udp_payload(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16],
				  uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len);

/* An untagged Ethernet frame around an IP packet, IPv4 or IPv6 by its version nibble. Returns its length, or 0. */
size_t cs_encode_eth_frame(uint8_t *out, size_t cap, const uint8_t src_mac[6], const uint8_t dst_mac[6],
			   const uint8_t *packet, size_t len);

/* GTP-U G-PDU header (TS 29.281) around an inner IP packet. */
size_t cs_encode_gtpu_gpdu(uint8_t *out, size_t cap, uint32_t teid, const uint8_t *inner, size_t len);

#endif
