/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_DECODE_L2L4_REASONS_H
#define CS_DECODE_L2L4_REASONS_H

/* Why the link, network and transport layers refuse a frame; see decode_reason.h. */
#define CS_L2L4_REASONS(X) \
	X(ETH, TRUNCATED, "eth.truncated") \
	X(ETH, UNSUPPORTED_ETHERTYPE, "eth.unsupported_ethertype") \
	X(VLAN, TRUNCATED, "vlan.truncated") \
	X(VLAN, TOO_MANY_TAGS, "vlan.too_many_tags") \
	X(IPV4, TRUNCATED, "ipv4.truncated") \
	X(IPV4, BAD_VERSION, "ipv4.bad_version") \
	X(IPV4, BAD_HEADER_LENGTH, "ipv4.bad_header_length") \
	X(IPV4, BAD_TOTAL_LENGTH, "ipv4.bad_total_length") \
	X(IPV6, TRUNCATED, "ipv6.truncated") \
	X(IPV6, BAD_VERSION, "ipv6.bad_version") \
	X(IPV6, BAD_PAYLOAD_LENGTH, "ipv6.bad_payload_length") \
	X(IPV6, EXT_HEADER_TRUNCATED, "ipv6.ext_header_truncated") \
	X(IPV6, TOO_MANY_EXT_HEADERS, "ipv6.too_many_ext_headers") \
	X(IP, UNSUPPORTED_PROTOCOL, "ip.unsupported_protocol") \
	X(IPV6, FRAGMENT_NOT_FIRST_HEADER, "ipv6.fragment_header_not_first") \
	X(UDP, TRUNCATED, "udp.truncated") \
	X(UDP, BAD_LENGTH, "udp.bad_length") \
	X(TCP, TRUNCATED, "tcp.truncated") \
	X(TCP, BAD_HEADER_LENGTH, "tcp.bad_header_length") \
	X(L4, NOT_MOBILE_CORE, "l4.not_mobile_core_port")

#endif
