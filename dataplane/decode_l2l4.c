/* SPDX-License-Identifier: Apache-2.0 */
#include "decode_l2l4.h"

#include <string.h>

/*
 * Ethernet II, with optional tags (IEEE 802.1Q / 802.1ad):
 *
 *   0        6        12       14
 *   +--------+--------+--------+------------------
 *   | dst    | src    | type   | payload
 *   +--------+--------+--------+------------------
 *   a tag inserts 4 bytes before the type: TPID (0x8100 or 0x88a8) + TCI,
 *   whose low 12 bits are the VLAN ID. QinQ stacks 0x88a8 (or 0x8100,
 *   as older switches do) over 0x8100.
 */
enum {
	ETH_HDR_LEN = 14, VLAN_TAG_LEN = 4,
	ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_IPV6 = 0x86dd,
	ETHERTYPE_VLAN = 0x8100, ETHERTYPE_QINQ = 0x88a8,
	IPV4_MIN_HDR = 20, IPV6_HDR = 40, UDP_HDR = 8, TCP_MIN_HDR = 20,
	IP6_HOPOPTS = 0, IP6_ROUTING = 43, IP6_FRAGMENT = 44, IP6_AH = 51, IP6_DSTOPTS = 60,
};

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* UDP or TCP at p[off], within the datagram that ends at p[end]. */
static enum cs_reason decode_l4(const uint8_t *p, uint32_t off, uint32_t end, struct cs_l2l4 *o)
{
	uint32_t avail = end - off;

	o->l4_offset = off;
	if (o->is_fragment) {
		/* ports and payload only exist once the datagram is whole */
		o->payload_offset = off;
		o->payload_len = avail;
		return CS_R_OK;
	}
	if (o->l4_proto == CS_IPPROTO_UDP) {
		if (avail < UDP_HDR)
			return CS_R_UDP_TRUNCATED;
		uint16_t udp_len = be16(p + off + 4);
		if (udp_len < UDP_HDR || udp_len > avail)
			return CS_R_UDP_BAD_LENGTH;
		o->sport = be16(p + off);
		o->dport = be16(p + off + 2);
		o->payload_offset = off + UDP_HDR;
		o->payload_len = udp_len - UDP_HDR;
		return CS_R_OK;
	}
	if (o->l4_proto == CS_IPPROTO_TCP) {
		if (avail < TCP_MIN_HDR)
			return CS_R_TCP_TRUNCATED;
		uint32_t hdr = (uint32_t)(p[off + 12] >> 4) * 4;
		if (hdr < TCP_MIN_HDR || hdr > avail)
			return CS_R_TCP_BAD_HEADER_LENGTH;
		o->sport = be16(p + off);
		o->dport = be16(p + off + 2);
		o->tcp_seq = be32(p + off + 4);
		o->tcp_flags = p[off + 13];
		o->payload_offset = off + hdr;
		o->payload_len = avail - hdr;
		return CS_R_OK;
	}
	return CS_R_IP_UNSUPPORTED_PROTOCOL;
}

/*
 * IPv4 (RFC 791): IHL in 32-bit words (5..15, options skipped), total
 * length covers header and payload. Frames may carry Ethernet padding
 * after the datagram, so the datagram ends at total length, not at len.
 */
static enum cs_reason decode_ipv4(const uint8_t *p, uint32_t off, uint32_t len, struct cs_l2l4 *o)
{
	const uint8_t *ip = p + off;
	uint32_t avail = len - off;

	if (avail < IPV4_MIN_HDR)
		return CS_R_IPV4_TRUNCATED;
	if (ip[0] >> 4 != 4)
		return CS_R_IPV4_BAD_VERSION;
	uint32_t ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl < IPV4_MIN_HDR || ihl > avail)
		return CS_R_IPV4_BAD_HEADER_LENGTH;
	uint32_t total = be16(ip + 2);
	if (total < ihl)
		return CS_R_IPV4_BAD_TOTAL_LENGTH;
	if (total > avail)
		return CS_R_IPV4_TRUNCATED;

	uint16_t frag = be16(ip + 6);
	o->ip_version = 4;
	o->l3_offset = off;
	o->l3_len = total;
	o->l4_proto = ip[9];
	memcpy(o->src.b, ip + 12, 4);
	memcpy(o->dst.b, ip + 16, 4);
	o->more_fragments = (frag & 0x2000) != 0;
	o->frag_offset = (uint16_t)((frag & 0x1fff) * 8);
	o->is_fragment = o->more_fragments || o->frag_offset != 0;
	o->frag_id = be16(ip + 4);
	return decode_l4(p, off + ihl, off + total, o);
}

/*
 * IPv6 (RFC 8200): fixed 40-byte header, then a chain of extension
 * headers, each naming the next. Hop-by-hop, routing and destination
 * options share one shape (next header, length in 8-octet units not
 * counting the first 8); AH counts 4-octet units minus 2 (RFC 4302);
 * the fragment header is 8 bytes. The walk is bounded: a chain longer
 * than CS_MAX_IPV6_EXT_HEADERS is refused, not followed.
 */
static enum cs_reason decode_ipv6(const uint8_t *p, uint32_t off, uint32_t len, struct cs_l2l4 *o)
{
	const uint8_t *ip = p + off;
	uint32_t avail = len - off;

	if (avail < IPV6_HDR)
		return CS_R_IPV6_TRUNCATED;
	if (ip[0] >> 4 != 6)
		return CS_R_IPV6_BAD_VERSION;
	uint32_t end = off + IPV6_HDR + be16(ip + 4);
	if (end > len)
		return CS_R_IPV6_BAD_PAYLOAD_LENGTH;

	o->ip_version = 6;
	o->l3_offset = off;
	o->l3_len = end - off;
	memcpy(o->src.b, ip + 8, 16);
	memcpy(o->dst.b, ip + 24, 16);

	uint8_t next = ip[6];
	uint32_t at = off + IPV6_HDR;
	for (unsigned int n = 0;; n++) {
		uint32_t ext_len;

		switch (next) {
		case IP6_HOPOPTS:
		case IP6_ROUTING:
		case IP6_DSTOPTS:
		case IP6_AH:
		case IP6_FRAGMENT:
			break;
		default:
			o->l4_proto = next;
			return decode_l4(p, at, end, o);
		}
		if (n == CS_MAX_IPV6_EXT_HEADERS)
			return CS_R_IPV6_TOO_MANY_EXT_HEADERS;
		if (end - at < 8)
			return CS_R_IPV6_EXT_HEADER_TRUNCATED;
		if (next == IP6_FRAGMENT) {
			uint16_t off_flags = be16(p + at + 2);
			o->frag_offset = off_flags & 0xfff8;
			o->more_fragments = off_flags & 1;
			o->is_fragment = o->frag_offset != 0 || o->more_fragments;
			o->frag_id = be32(p + at + 4);
			ext_len = 8;
		} else if (next == IP6_AH) {
			ext_len = ((uint32_t)p[at + 1] + 2) * 4;
		} else {
			ext_len = ((uint32_t)p[at + 1] + 1) * 8;
		}
		if (ext_len > end - at)
			return CS_R_IPV6_EXT_HEADER_TRUNCATED;
		next = p[at];
		at += ext_len;
	}
}

enum cs_reason cs_decode_ip(const uint8_t *p, uint32_t len, struct cs_l2l4 *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 1)
		return CS_R_IPV4_TRUNCATED;
	switch (p[0] >> 4) {
	case 4: return decode_ipv4(p, 0, len, out);
	case 6: return decode_ipv6(p, 0, len, out);
	default: return CS_R_IP_UNSUPPORTED_PROTOCOL;
	}
}

enum cs_reason cs_decode_l2l4(const uint8_t *p, uint32_t len, struct cs_l2l4 *out)
{
	memset(out, 0, sizeof(*out));
	if (len < ETH_HDR_LEN)
		return CS_R_ETH_TRUNCATED;

	uint32_t off = 12;
	uint16_t type = be16(p + off);
	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
		if (out->vlan_count == CS_MAX_VLAN_TAGS)
			return CS_R_VLAN_TOO_MANY_TAGS;
		if (len - off < VLAN_TAG_LEN + 2)
			return CS_R_VLAN_TRUNCATED;
		out->vlan[out->vlan_count++] = be16(p + off + 2) & 0x0fff;
		off += VLAN_TAG_LEN;
		type = be16(p + off);
	}
	off += 2;
	switch (type) {
	case ETHERTYPE_IPV4: return decode_ipv4(p, off, len, out);
	case ETHERTYPE_IPV6: return decode_ipv6(p, off, len, out);
	default: return CS_R_ETH_UNSUPPORTED_ETHERTYPE;
	}
}
