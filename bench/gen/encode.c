/* SPDX-License-Identifier: Apache-2.0 */
#include "encode.h"

#include <string.h>

void cs_buf_init(struct cs_buf *b, uint8_t *mem, size_t cap)
{
	*b = (struct cs_buf){ .p = mem, .cap = cap };
}

void cs_buf_bytes(struct cs_buf *b, const void *src, size_t n)
{
	if (b->overflow || b->len + n > b->cap) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, src, n);
	b->len += n;
}

void cs_buf_u8(struct cs_buf *b, uint8_t v)
{
	cs_buf_bytes(b, &v, 1);
}

void cs_buf_u16(struct cs_buf *b, uint16_t v)
{
	const uint8_t be[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	cs_buf_bytes(b, be, 2);
}

void cs_buf_u32(struct cs_buf *b, uint32_t v)
{
	const uint8_t be[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	cs_buf_bytes(b, be, 4);
}

void cs_buf_patch_u16(struct cs_buf *b, size_t offset, uint16_t v)
{
	if (b->overflow || offset + 2 > b->len)
		return;
	b->p[offset] = (uint8_t)(v >> 8);
	b->p[offset + 1] = (uint8_t)v;
}

void cs_buf_tbcd(struct cs_buf *b, const char *digits)
{
	size_t n = strlen(digits);

	for (size_t i = 0; i < n; i += 2) {
		uint8_t lo = (uint8_t)(digits[i] - '0');
		uint8_t hi = i + 1 < n ? (uint8_t)(digits[i + 1] - '0') : 0xf;
		cs_buf_u8(b, (uint8_t)(hi << 4 | lo));
	}
}

char cs_luhn_digit(const char *digits14)
{
	unsigned int sum = 0;

	for (int i = 0; i < 14; i++) {
		unsigned int d = (unsigned int)(digits14[i] - '0');
		if (i % 2 == 1)
			d = d * 2 > 9 ? d * 2 - 9 : d * 2;
		sum += d;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

/* RFC 1071 ones'-complement sum of 16-bit words, added to sum (an odd last byte is padded with zero). */
static uint32_t ones_sum(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len % 2 == 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint16_t ipv4_checksum(const uint8_t *hdr, size_t len)
{
	return fold(ones_sum(0, hdr, len));
}

enum {
	IPV4_HDR_LEN = 20, IPV6_HDR_LEN = 40, UDP_HDR_LEN = 8, ETH_HDR_LEN = 14, VLAN_TAG_LEN = 4,
	IPPROTO_UDP_NUM = 17,
};

size_t cs_encode_ipv4_udp(uint8_t *out, size_t cap, uint32_t src_ip, uint32_t dst_ip, uint16_t sport,
			  uint16_t dport, uint16_t ip_id, size_t payload_len)
{
	struct cs_buf b;
	size_t total = IPV4_HDR_LEN + UDP_HDR_LEN + payload_len;

	if (total > 0xffff || total > cap)
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_u8(&b, 0x45);            /* version 4, IHL 5 */
	cs_buf_u8(&b, 0);               /* DSCP/ECN */
	cs_buf_u16(&b, (uint16_t)total);
	cs_buf_u16(&b, ip_id);
	cs_buf_u16(&b, 0x4000);         /* DF, fragment offset 0 */
	cs_buf_u8(&b, 64);              /* TTL */
	cs_buf_u8(&b, IPPROTO_UDP_NUM);
	cs_buf_u16(&b, 0);              /* checksum, patched below */
	cs_buf_u32(&b, src_ip);
	cs_buf_u32(&b, dst_ip);
	cs_buf_patch_u16(&b, 10, ipv4_checksum(out, IPV4_HDR_LEN));
	cs_buf_u16(&b, sport);
	cs_buf_u16(&b, dport);
	cs_buf_u16(&b, (uint16_t)(UDP_HDR_LEN + payload_len));
	cs_buf_u16(&b, 0);              /* UDP checksum is optional over IPv4 */
	return b.overflow ? 0 : total;
}

size_t cs_encode_udp4_frame(uint8_t *out, size_t cap, const struct cs_udp4_flow *flow, uint16_t ip_id,
			    const uint8_t *payload, size_t len)
{
	size_t l2 = ETH_HDR_LEN + (flow->vlan != 0 ? VLAN_TAG_LEN : 0);
	struct cs_buf b;

	if (cap < l2 + IPV4_HDR_LEN + UDP_HDR_LEN + len)
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_bytes(&b, flow->dst_mac, 6);
	cs_buf_bytes(&b, flow->src_mac, 6);
	if (flow->vlan != 0) {
		cs_buf_u16(&b, 0x8100);                  /* 802.1Q tag: TPID, then priority 0 and the VLAN id */
		cs_buf_u16(&b, flow->vlan & 0x0fffu);
	}
	cs_buf_u16(&b, 0x0800);                          /* EtherType IPv4 */
	size_t ip_len = cs_encode_ipv4_udp(out + l2, cap - l2, flow->src_ip, flow->dst_ip, flow->src_port,
					   flow->dst_port, ip_id, len);
	if (ip_len == 0)
		return 0;
	memcpy(out + l2 + IPV4_HDR_LEN + UDP_HDR_LEN, payload, len);
	return l2 + ip_len;
}

/* IPv6 + UDP with its payload already in place after the headers: writes the headers and the checksum. */
static size_t ipv6_udp_around(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
			      uint16_t dport, size_t payload_len)
{
	struct cs_buf b;
	size_t udp_len = UDP_HDR_LEN + payload_len;

	if (udp_len > 0xffff || IPV6_HDR_LEN + udp_len > cap)
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_u32(&b, 0x60000000u);     /* version 6, traffic class 0, flow label 0 */
	cs_buf_u16(&b, (uint16_t)udp_len);
	cs_buf_u8(&b, IPPROTO_UDP_NUM);  /* next header */
	cs_buf_u8(&b, 64);               /* hop limit */
	cs_buf_bytes(&b, src, 16);
	cs_buf_bytes(&b, dst, 16);
	cs_buf_u16(&b, sport);
	cs_buf_u16(&b, dport);
	cs_buf_u16(&b, (uint16_t)udp_len);
	cs_buf_u16(&b, 0);               /* checksum, patched below */
	/* the pseudo-header (RFC 8200 8.1): addresses, upper-layer length, next header; then the datagram */
	uint32_t sum = ones_sum(0, out + 8, 32);
	sum += (uint32_t)udp_len + IPPROTO_UDP_NUM;
	uint16_t check = fold(ones_sum(sum, out + IPV6_HDR_LEN, udp_len));
	cs_buf_patch_u16(&b, IPV6_HDR_LEN + 6, check != 0 ? check : 0xffff);
	return b.overflow ? 0 : IPV6_HDR_LEN + udp_len;
}

size_t cs_encode_ipv6_udp(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16], uint16_t sport,
			  uint16_t dport, size_t payload_len, uint8_t fill)
{
	if (IPV6_HDR_LEN + UDP_HDR_LEN + payload_len > cap)
		return 0;
	memset(out + IPV6_HDR_LEN + UDP_HDR_LEN, fill, payload_len);
	return ipv6_udp_around(out, cap, src, dst, sport, dport, payload_len);
}

size_t cs_encode_ipv6_udp_payload(uint8_t *out, size_t cap, const uint8_t src[16], const uint8_t dst[16],
				  uint16_t sport, uint16_t dport, const uint8_t *payload, size_t len)
{
	if (IPV6_HDR_LEN + UDP_HDR_LEN + len > cap)
		return 0;
	memcpy(out + IPV6_HDR_LEN + UDP_HDR_LEN, payload, len);
	return ipv6_udp_around(out, cap, src, dst, sport, dport, len);
}

size_t cs_encode_eth_frame(uint8_t *out, size_t cap, const uint8_t src_mac[6], const uint8_t dst_mac[6],
			   const uint8_t *packet, size_t len)
{
	struct cs_buf b;

	if (len == 0 || ETH_HDR_LEN + len > cap)
		return 0;
	cs_buf_init(&b, out, cap);
	cs_buf_bytes(&b, dst_mac, 6);
	cs_buf_bytes(&b, src_mac, 6);
	cs_buf_u16(&b, packet[0] >> 4 == 6 ? 0x86dd : 0x0800); /* EtherType from the IP version */
	cs_buf_bytes(&b, packet, len);
	return b.overflow ? 0 : b.len;
}

size_t cs_encode_gtpu_gpdu(uint8_t *out, size_t cap, uint32_t teid, const uint8_t *inner, size_t len)
{
	struct cs_buf b;

	/*
	 * 0      1      2             4                8
	 * +------+------+-------------+----------------+-------------+
	 * |flags | type | length      | TEID           | inner IP    |
	 * | 0x30 | 0xff | = len inner |                |             |
	 * +------+------+-------------+----------------+-------------+
	 * flags 0x30: version 1, protocol type GTP, no E/S/PN fields.
	 */
	cs_buf_init(&b, out, cap);
	cs_buf_u8(&b, 0x30);
	cs_buf_u8(&b, 0xff);
	cs_buf_u16(&b, (uint16_t)len);
	cs_buf_u32(&b, teid);
	cs_buf_bytes(&b, inner, len);
	return b.overflow || len > 0xffff ? 0 : b.len;
}
