/* SPDX-License-Identifier: Apache-2.0 */
#include "port.h"

#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf_dyn.h>

static uint8_t symmetric_rss_key[40] = {
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
	0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

int cs_port_start_rx(uint16_t port_id, uint16_t nb_queues, struct rte_mempool *pool, struct cs_port_timestamp *ts,
		     char *err, size_t errlen)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	int rc;

	ts->dynfield_offset = -1;
	ts->flag = 0;
	ts->ns_per_unit = 0;
	rc = rte_eth_dev_info_get(port_id, &info);
	if (rc != 0) {
		snprintf(err, errlen, "port %u: cannot read device info: %s", port_id, rte_strerror(-rc));
		return -1;
	}
	memset(&conf, 0, sizeof(conf));
	/*
	 * Event time. The unit and epoch of rte_mbuf_timestamp_t belong to the
	 * PMD: net_pcap stamps every mbuf with the capture time in microseconds
	 * since the Unix epoch (libpcap's default precision), without
	 * advertising the offload. A NIC's stamps are device clock ticks with
	 * no epoch, which need clock calibration before they are event time;
	 * until then other ports carry no event time.
	 */
	if (strcmp(info.driver_name, "net_pcap") == 0 &&
	    rte_mbuf_dyn_rx_timestamp_register(&ts->dynfield_offset, &ts->flag) == 0)
		ts->ns_per_unit = 1000;
	else
		ts->dynfield_offset = -1;
	if (nb_queues > info.max_rx_queues) {
		snprintf(err, errlen, "port %u (%s): %u RX queues asked, the device has %u", port_id, info.driver_name,
			 nb_queues, info.max_rx_queues);
		return -1;
	}
	/*
	 * RSS on the outer header: a mirrored link's GTP tunnels and SIP
	 * flows are told apart by outer addresses and UDP ports. What the
	 * device cannot hash on is left out rather than refused.
	 */
	if (nb_queues > 1) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP | RTE_ETH_RSS_TCP) &
						   info.flow_type_rss_offloads;
		/*
		 * A Toeplitz key of one repeated 16-bit pattern hashes (a, b)
		 * and (b, a) alike: both directions of a flow land on one queue,
		 * so one lcore sees a whole SIP dialog, TCP stream or fragment set.
		 */
		if (info.hash_key_size == sizeof(symmetric_rss_key)) {
			conf.rx_adv_conf.rss_conf.rss_key = symmetric_rss_key;
			conf.rx_adv_conf.rss_conf.rss_key_len = sizeof(symmetric_rss_key);
		}
	}
	rc = rte_eth_dev_configure(port_id, nb_queues, 0, &conf);
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): configure failed: %s", port_id, info.driver_name,
			 rte_strerror(-rc));
		return -1;
	}
	uint16_t nb_rxd = CS_RX_DESCRIPTORS, nb_txd = 0;
	rc = rte_eth_dev_adjust_nb_rx_tx_desc(port_id, &nb_rxd, &nb_txd);
	for (uint16_t q = 0; rc == 0 && q < nb_queues; q++)
		rc = rte_eth_rx_queue_setup(port_id, q, nb_rxd, rte_eth_dev_socket_id(port_id), NULL, pool);
	if (rc == 0)
		rc = rte_eth_dev_start(port_id);
	if (rc != 0) {
		snprintf(err, errlen, "port %u (%s): RX queue start failed: %s", port_id, info.driver_name,
			 rte_strerror(-rc));
		return -1;
	}
	return 0;
}

void cs_port_stop(uint16_t port_id)
{
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}
