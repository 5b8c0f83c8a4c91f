/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_L2L4_H
#define CS_DECODE_L2L4_H

#include <stdint.h>

#include "decode_reason.h"

/*
 * Link, network and transport layers of a mirrored frame, decoded in place:
 *
 *   Ethernet [802.1ad 0x88a8 | 802.1Q 0x8100 tags, at most CS_MAX_VLAN_TAGS]
 *     -> IPv4 (options skipped by IHL) | IPv6 (extension headers walked)
 *       -> UDP | TCP
 *
 * Offsets are from the start of the frame. A fragment (IPv4 MF/offset or an
 * IPv6 Fragment header) is reported with its identification and offset and
 * no transport fields: the caller reassembles, then decodes the whole
 * datagram again from the IP layer with cs_decode_ip().
 */
enum { CS_MAX_VLAN_TAGS = 2, CS_MAX_IPV6_EXT_HEADERS = 8 };

enum cs_ip_proto { CS_IPPROTO_TCP = 6, CS_IPPROTO_UDP = 17 };

/* 4-byte aligned: addresses are hash keys, and rte_jhash reads them a word at a time. */
struct cs_ip_addr {
	_Alignas(4) uint8_t b[16]; /* IPv4 in the first 4 bytes, the rest zero */
};

struct cs_l2l4 {
	uint16_t vlan[CS_MAX_VLAN_TAGS]; /* VLAN IDs, outermost first */
	uint8_t vlan_count;
	uint8_t ip_version; /* 4 or 6 */
	uint8_t l4_proto;   /* IP protocol / IPv6 upper-layer next header */
	uint8_t tcp_flags;
	struct cs_ip_addr src, dst;

	uint8_t is_fragment;
	uint8_t more_fragments;
	uint16_t frag_offset; /* in bytes */
	uint32_t frag_id;     /* IPv4 identification or IPv6 fragment identification */

	uint16_t sport, dport;
	uint32_t tcp_seq;

	uint32_t l3_offset;   /* start of the IP header */
	uint32_t l3_len;      /* IP datagram length as its header says */
	uint32_t l4_offset;   /* start of the UDP/TCP header, or of the fragment's payload */
	uint32_t payload_offset; /* start of the UDP/TCP payload */
	uint32_t payload_len;
};

/* Decodes a frame from its Ethernet header. */
enum cs_reason cs_decode_l2l4(const uint8_t *p, uint32_t len, struct cs_l2l4 *out);

/*
 * Decodes from an IP header (a reassembled datagram, or the inner packet of
 * a GTP-U G-PDU). VLAN fields are left zero; offsets are from p.
 */
enum cs_reason cs_decode_ip(const uint8_t *p, uint32_t len, struct cs_l2l4 *out);

#endif
