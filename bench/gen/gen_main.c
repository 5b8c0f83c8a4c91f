/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cdrsentry-gen: deterministic synthetic mobile-core traffic.
 *
 * For each subscriber of the population it writes, on the S11 and S1-U
 * links of one probe:
 *   GTPv2-C Create Session Request (MME -> SGW) with IMSI, MSISDN, MEI,
 *   ULI (TAI + ECGI), serving network, RAT, APN, and its Response
 *   (SGW -> MME) with the UE address and S1-U SGW TEID; Modify Bearer
 *   with the eNodeB's S1-U TEID;
 *   a run of GTP-U G-PDUs, uplink and downlink, inner IPv4/UDP;
 *   Delete Session, except for every eighth subscriber, who stays attached;
 * and for every fourth subscriber a SIP call (INVITE, 200, BYE, 200)
 * between P-CSCF and S-CSCF. With --sms N, then N short messages each way
 * over IP (TS 24.341: MESSAGE carrying RP-DATA, and its 200) on the same
 * link: a subscriber submitting one to a number (MO), and one delivered
 * to a subscriber from a bank's or service's name or from a number (MT).
 * Same seed, same bytes; without --sms the random stream and the bytes are
 * what they were before SMS existed.
 *
 * With --mix it writes the throughput benchmarks' traffic instead
 * (mix.h): N subscribers' attaches, then --packets of the mix (95% G-PDUs,
 * 4% GTP-C handovers, 1% SIP), whole units and whole SIP dialogs, so the
 * capture replays endlessly (net_pcap infinite_rx) without a broken call.
 *
 * With --population it writes a labelled population instead (population.h,
 * docs/generator.md): normal, heavy and IoT-meter subscribers with SIM-box
 * gateways, SMS spammers, code-receiving cards, sleepers, consecutive-number
 * batches and IoT cards in handsets among them, for --days of event time,
 * and --labels FILE.csv, one line per subscriber after the header
 *   imsi,msisdn,imei,class,onset,expected_rules,group
 * class one of normal heavy iot_meter simbox spammer code_receiver sleeper
 * batch iot_misuse; onset RFC 3339 UTC with microseconds when the abnormal
 * behaviour starts (empty for the normal classes); expected_rules the rule
 * ids of docs/rules.md that should flag it, ';'-separated (empty for the
 * normal classes); group the gateway's IMEI for a SIM-box SIM, the number
 * block (MSISDN less its last 3 digits) for a batch member, else empty.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "encode_gtpv2c.h"
#include "encode_sip.h"
#include "encode_sms.h"
#include "gen_random.h"
#include "mix.h"
#include "pcap_writer.h"
#include "population.h"

enum {
	GTPC_PORT = 2123, GTPU_PORT = 2152, SIP_PORT = 5060,
	GPDUS_PER_SUBSCRIBER = 8, FRAME_MAX = 2048,
};

/* 2026-01-05T08:00:00Z: event time of the first packet, unless --start says otherwise. */
static const unsigned long DEFAULT_START_S = 1767600000ul;

static uint32_t ipv4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

struct generator {
	struct cs_pcap_writer out;
	uint64_t rng;
	uint16_t ip_id;
	int failed;
};

static void emit(struct generator *g, uint64_t ts_ns, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		 const uint8_t *payload, size_t len)
{
	static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 }, mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	uint8_t frame[FRAME_MAX];
	struct cs_udp4_flow flow = { .src_ip = src, .dst_ip = dst, .src_port = sport, .dst_port = dport };

	memcpy(flow.src_mac, mac_a, 6);
	memcpy(flow.dst_mac, mac_b, 6);
	size_t n = len == 0 ? 0 : cs_encode_udp4_frame(frame, sizeof(frame), &flow, g->ip_id++, payload, len);
	if (n == 0 || cs_pcap_writer_add(&g->out, ts_ns, frame, n) != 0)
		g->failed = 1;
}

static void subscriber(struct generator *g, unsigned i, struct cs_gen_bearer *s)
{
	char imei14[15];

	memset(s, 0, sizeof(*s));
	snprintf(s->imsi, sizeof(s->imsi), "00101%010u", 1000000u + i);
	snprintf(s->msisdn, sizeof(s->msisdn), "1555%07u", 2000000u + i);
	snprintf(imei14, sizeof(imei14), "35332510%06u", (unsigned)(cs_gen_random(&g->rng) % 1000000u));
	snprintf(s->imei, sizeof(s->imei), "%s%c", imei14, cs_luhn_digit(imei14));
	snprintf(s->apn, sizeof(s->apn), "internet");
	memcpy(s->mcc, "001", 4);
	memcpy(s->mnc, "01", 3);
	s->tac = (uint16_t)(0x100 + i % 4);
	s->eci = 0x0012300u + (uint32_t)(cs_gen_random(&g->rng) % 16);
	s->ue_ip = ipv4(100, 64, (i >> 8) & 0xff, i & 0xff);
	s->mme_teid = 0x10000000u + i;
	s->sgw_teid = 0x20000000u + i;
	s->enb_teid = 0x30000000u + i;
	s->sgwu_teid = 0x40000000u + i;
	s->mme_ip = ipv4(10, 3, 0, 1);
	s->sgw_ip = ipv4(10, 2, 0, 1);
	s->enb_ip = ipv4(10, 1, 0, (i % 200) + 1);
}

/* A GTPv2-C message on S11: MME -> SGW (requests) or SGW -> MME (responses). */
static void s11(struct generator *g, const struct cs_gen_bearer *s, uint64_t t, int request, const uint8_t *msg,
		size_t n)
{
	if (request)
		emit(g, t, s->mme_ip, s->sgw_ip, GTPC_PORT, GTPC_PORT, msg, n);
	else
		emit(g, t, s->sgw_ip, s->mme_ip, GTPC_PORT, GTPC_PORT, msg, n);
}

/*
 * One subscriber's data session: attach (Create Session), the eNodeB's
 * S1-U F-TEID (Modify Bearer), uplink and downlink G-PDUs, and, when
 * detach is set, Delete Session. Sequence numbers are unique per
 * transaction: seq_base + 0, 1, 2.
 */
static void attach_and_browse(struct generator *g, const struct cs_gen_bearer *s, uint64_t t, uint32_t seq_base,
			      int detach)
{
	uint8_t msg[FRAME_MAX], inner[FRAME_MAX];
	size_t n;

	n = cs_encode_gtpv2c_create_session_req(msg, sizeof(msg), s, seq_base);
	s11(g, s, t, 1, msg, n);
	n = cs_encode_gtpv2c_create_session_rsp(msg, sizeof(msg), s, seq_base);
	s11(g, s, t + 4000000, 0, msg, n);
	n = cs_encode_gtpv2c_modify_bearer_req(msg, sizeof(msg), s, seq_base + 1);
	s11(g, s, t + 8000000, 1, msg, n);
	n = cs_encode_gtpv2c_modify_bearer_rsp(msg, sizeof(msg), s, seq_base + 1);
	s11(g, s, t + 12000000, 0, msg, n);

	uint32_t server = ipv4(198, 51, 100, (unsigned)(cs_gen_random(&g->rng) % 250) + 1);
	for (unsigned k = 0; k < GPDUS_PER_SUBSCRIBER; k++) {
		int uplink = k % 2 == 0;
		size_t payload = 40 + cs_gen_random(&g->rng) % 1200;
		size_t ip = uplink ? cs_encode_ipv4_udp(inner, sizeof(inner), s->ue_ip, server, 40000, 443, g->ip_id, payload)
				   : cs_encode_ipv4_udp(inner, sizeof(inner), server, s->ue_ip, 443, 40000, g->ip_id, payload);
		if (ip == 0) {
			g->failed = 1;
			return;
		}
		memset(inner + ip - payload, 0xa5, payload);
		n = cs_encode_gtpu_gpdu(msg, sizeof(msg), uplink ? s->sgwu_teid : s->enb_teid, inner, ip);
		uint64_t at = t + 20000000ull * (k + 1);
		if (uplink)
			emit(g, at, s->enb_ip, s->sgw_ip, GTPU_PORT, GTPU_PORT, msg, n);
		else
			emit(g, at, s->sgw_ip, s->enb_ip, GTPU_PORT, GTPU_PORT, msg, n);
	}
	if (!detach)
		return;
	n = cs_encode_gtpv2c_delete_session_req(msg, sizeof(msg), s, seq_base + 2);
	s11(g, s, t + 200000000, 1, msg, n);
	n = cs_encode_gtpv2c_delete_session_rsp(msg, sizeof(msg), s, seq_base + 2);
	s11(g, s, t + 204000000, 0, msg, n);
}

/* One call from t; returns the event time of its last message. */
static uint64_t call(struct generator *g, const struct cs_gen_bearer *caller, const struct cs_gen_bearer *callee,
		     uint64_t t, unsigned i)
{
	static const enum cs_gen_sip_msg flow[] = { CS_SIP_INVITE, CS_SIP_INVITE_200, CS_SIP_BYE, CS_SIP_BYE_200 };
	const uint32_t pcscf = ipv4(10, 4, 0, 1), scscf = ipv4(10, 4, 0, 2);
	char call_id[40], from_tag[16], to_tag[16], text[FRAME_MAX];
	uint64_t hold_ns = (5 + cs_gen_random(&g->rng) % 120) * 1000000000ull;

	snprintf(call_id, sizeof(call_id), "%016llx@pcscf", (unsigned long long)cs_gen_random(&g->rng));
	snprintf(from_tag, sizeof(from_tag), "f%u", i);
	snprintf(to_tag, sizeof(to_tag), "t%u", i);
	const struct cs_gen_sip_dialog d = {
		.caller = caller->msisdn, .callee = callee->msisdn, .call_id = call_id,
		.domain = "ims.mnc001.mcc001.3gppnetwork.org", .from_tag = from_tag, .to_tag = to_tag,
	};
	const uint64_t at[] = { t, t + 2000000000ull, t + 2000000000ull + hold_ns, t + 2010000000ull + hold_ns };
	for (unsigned k = 0; k < sizeof(flow) / sizeof(flow[0]); k++) {
		size_t n = cs_encode_sip(text, sizeof(text), &d, flow[k]);
		int request = flow[k] == CS_SIP_INVITE || flow[k] == CS_SIP_BYE;
		emit(g, at[k], request ? pcscf : scscf, request ? scscf : pcscf, SIP_PORT, SIP_PORT,
		     (const uint8_t *)text, n);
	}
	return at[3];
}

/*
 * SMS over IP: the network's SMS centre, the IMS domain, and where the
 * messages go. Request-URI, From and P-Asserted-Identity name the parties
 * as a call's do (encode_sip.h): an MO MESSAGE goes from the subscriber to
 * the SMSC, P-CSCF -> S-CSCF; an MT MESSAGE from the SMSC to the
 * subscriber, S-CSCF -> P-CSCF; each 200 goes back. Other numbers are
 * UK drama numbers (+44 7700 900xxx), which no phone has.
 */
static const char SMSC[] = "15550000100";
static const char IMS_DOMAIN[] = "ims.mnc001.mcc001.3gppnetwork.org";
static const char *const ALPHA_SENDERS[] = { "BANK", "VERIFY" };
enum { TP_VP_24H = 167 }; /* TS 23.040 9.2.3.12.1: 12 h + 24 x 30 min */
static const uint64_t SMS_200_AFTER_NS = 50000000ull;

/* A MESSAGE carrying rp, and its 200, from t; mo says which way. */
static void sms_over_ip(struct generator *g, const char *caller, const char *callee, int mo, const uint8_t *rp,
			size_t rp_len, uint64_t t, unsigned k)
{
	const uint32_t pcscf = ipv4(10, 4, 0, 1), scscf = ipv4(10, 4, 0, 2);
	const uint32_t from = mo ? pcscf : scscf, to = mo ? scscf : pcscf;
	char call_id[40], from_tag[16], to_tag[16], text[FRAME_MAX];

	if (rp_len == 0) {
		g->failed = 1;
		return;
	}
	snprintf(call_id, sizeof(call_id), "%016llx@%s", (unsigned long long)cs_gen_random(&g->rng),
		 mo ? "pcscf" : "smsc");
	snprintf(from_tag, sizeof(from_tag), "%c%u", mo ? 'o' : 'm', k);
	snprintf(to_tag, sizeof(to_tag), "r%u", k);
	const struct cs_gen_sip_dialog d = {
		.caller = caller, .callee = callee, .call_id = call_id, .domain = IMS_DOMAIN,
		.from_tag = from_tag, .to_tag = to_tag, .sms = rp, .sms_len = rp_len,
	};
	size_t n = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE);
	emit(g, t, from, to, SIP_PORT, SIP_PORT, (const uint8_t *)text, n);
	n = cs_encode_sip(text, sizeof(text), &d, CS_SIP_MESSAGE_200);
	emit(g, t + SMS_200_AFTER_NS, to, from, SIP_PORT, SIP_PORT, (const uint8_t *)text, n);
}

/* MO: subscriber s submits the k-th message to a number. */
static void sms_mo(struct generator *g, const struct cs_gen_bearer *s, uint64_t t, unsigned k)
{
	char recipient[16];
	uint8_t rp[256];

	snprintf(recipient, sizeof(recipient), "447700900%03u", (unsigned)(cs_gen_random(&g->rng) % 1000u));
	const struct cs_gen_sms_submit m = {
		.smsc = SMSC, .recipient = recipient, .text = "See you at 8 at the station",
		.rp_mr = (uint8_t)k, .tp_mr = (uint8_t)k, .validity = TP_VP_24H,
	};
	size_t n = cs_encode_sms_submit(rp, sizeof(rp), &m);
	sms_over_ip(g, s->msisdn, SMSC, 1, rp, n, t, k);
}

/*
 * MT: the k-th message delivered to subscriber s, from a name (even k:
 * a code, as banks and sign-up checks send) or from a number (odd k).
 * Its time stamp is t in UTC.
 */
static void sms_mt(struct generator *g, const struct cs_gen_bearer *s, uint64_t t, unsigned k)
{
	char number[16], code[32];
	const char *sender, *text;
	uint8_t rp[256];

	if (k % 2 == 0) {
		sender = ALPHA_SENDERS[k / 2 % 2];
		snprintf(code, sizeof(code), "Your code is %06u", (unsigned)(cs_gen_random(&g->rng) % 1000000u));
		text = code;
	} else {
		snprintf(number, sizeof(number), "447700900%03u", (unsigned)(cs_gen_random(&g->rng) % 1000u));
		sender = number;
		text = "Call me when you land";
	}
	const struct cs_gen_sms_deliver m = {
		.smsc = SMSC, .sender = sender, .alphanumeric = k % 2 == 0, .text = text, .rp_mr = (uint8_t)k,
		.scts = cs_gen_sms_time_utc(t),
	};
	size_t n = cs_encode_sms_deliver(rp, sizeof(rp), &m);
	sms_over_ip(g, SMSC, s->msisdn, 0, rp, n, t, k);
}

static void usage(FILE *out)
{
	fputs("usage: cdrsentry-gen [--seed N] [--subscribers N] [--sms N] [--start S] --out FILE.pcap\n"
	      "Writes deterministic GTPv2-C, GTP-U and SIP traffic for N subscribers\n"
	      "(default 16, seed 1), then --sms N mobile-originated and N\n"
	      "mobile-terminated SMS over IP (default 0). The first packet is at\n"
	      "S seconds since 1970 (default 1767600000, 2026-01-05T08:00:00Z).\n"
	      "The IMSIs and numbers depend on N only; IMEIs and cells on the seed.\n"
	      "\n"
	      "usage: cdrsentry-gen --mix [--subscribers N] [--packets M] [--seed N] [--start S] --out FILE.pcap\n"
	      "Writes N subscribers' attaches (up to 16777216), then M packets (default\n"
	      "1000000, rounded up to whole SIP dialogs) of the throughput mix: 95% G-PDUs,\n"
	      "4% GTP-C handovers, 1% SIP; see docs/generator.md.\n"
	      "\n"
	      "usage: cdrsentry-gen --population [--normal N] [--heavy N] [--iot N]\n"
	      "       [--simbox-gateways G] [--simbox-sims S] [--spammers N] [--code-receivers N]\n"
	      "       [--sleepers N] [--batches B] [--batch-size K] [--iot-misuse N]\n"
	      "       [--days D] [--seed N] [--start S] --out FILE.pcap --labels FILE.csv\n"
	      "Writes a labelled population for D days (default 2) from S rounded up to\n"
	      "a whole hour: G gateways of S SIMs (default 16), B batches of K numbers\n"
	      "(default 24), and the other classes N each (default 0); see docs/generator.md.\n",
	      out);
}

static int parse_count(const char *opt, const char *arg, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || *out > max) {
		fprintf(stderr, "cdrsentry-gen: %s: '%s' is not a whole number from 0 to %lu\n", opt, arg, max);
		return -1;
	}
	return 0;
}

/* The population's counts: getopt values past any character, indices of main's pop_count from POP_NORMAL. */
enum {
	POP_NORMAL = 256, POP_HEAVY, POP_IOT, POP_GATEWAYS, POP_SIMS, POP_SPAMMERS, POP_CODES, POP_SLEEPERS,
	POP_BATCHES, POP_BATCH_SIZE, POP_IOT_MISUSE, POP_END,
	POP_NOPTS = POP_END - POP_NORMAL,
};

/* "--name" of the long option whose value is val, for messages. */
static const char *option_name(const struct option *opts, int val)
{
	static char name[40];

	for (; opts->name != NULL; opts++)
		if (opts->val == val) {
			snprintf(name, sizeof(name), "--%s", opts->name);
			return name;
		}
	return "an option";
}

static int write_population(const unsigned long *n, unsigned long days, unsigned long seed, unsigned long start_s,
			    const char *path, const char *labels)
{
#define POP_N(opt) ((unsigned int)n[(opt) - POP_NORMAL])
	const struct cs_pop_conf conf = {
		.normal = POP_N(POP_NORMAL), .heavy = POP_N(POP_HEAVY), .iot_meters = POP_N(POP_IOT),
		.gateways = POP_N(POP_GATEWAYS), .gateway_sims = POP_N(POP_SIMS), .spammers = POP_N(POP_SPAMMERS),
		.code_receivers = POP_N(POP_CODES), .sleepers = POP_N(POP_SLEEPERS), .batches = POP_N(POP_BATCHES),
		.batch_size = POP_N(POP_BATCH_SIZE), .iot_misuse = POP_N(POP_IOT_MISUSE), .days = (unsigned int)days,
		.seed = seed, .start_s = start_s,
	};
#undef POP_N
	struct cs_pop_result res;
	char err[200];

	if (cs_pop_write(&conf, path, labels, &res, err, sizeof(err)) != 0) {
		fprintf(stderr, "cdrsentry-gen: %s\n", err);
		return 1;
	}
	printf("cdrsentry-gen: wrote %llu packets for %llu subscribers over %lu days from %llu to %s, labels to %s "
	       "(at most %zu packets held)\n",
	       (unsigned long long)res.frames, (unsigned long long)res.subscribers, days,
	       (unsigned long long)res.t0_s, path, labels, res.max_buffered);
	return 0;
}

/* The mix's sink: each message as a frame of the capture, MIX_STEP_NS after the one before. */
struct mix_out {
	struct cs_pcap_writer out;
	uint64_t ts_ns;
};

static const uint64_t MIX_STEP_NS = 1000; /* 1 Mpps of event time */

static int mix_frame(void *ctx, const uint8_t *packet, size_t len, enum cs_mix_gpdu gpdu)
{
	static const uint8_t mac_a[6] = { 0x02, 0, 0, 0, 0, 0x01 }, mac_b[6] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct mix_out *m = ctx;
	uint8_t frame[FRAME_MAX];

	(void)gpdu;
	size_t n = cs_encode_eth_frame(frame, sizeof(frame), mac_a, mac_b, packet, len);
	m->ts_ns += MIX_STEP_NS;
	return n == 0 ? -1 : cs_pcap_writer_add(&m->out, m->ts_ns, frame, n);
}

static int write_mix(unsigned long subscribers, unsigned long packets, unsigned long seed, unsigned long start_s,
		     const char *path)
{
	struct mix_out m = { .ts_ns = (uint64_t)start_s * 1000000000ull };
	struct cs_mix_sink sink = { .add = mix_frame, .ctx = &m };
	struct cs_mix mix = { .sessions = (uint32_t)subscribers, .seed = seed, .rng = seed };
	/* whole units, and whole blocks of SIP dialogs, so that a replay loop never breaks a call */
	uint64_t units = (packets + CS_MIX_UNIT_FRAMES - 1) / CS_MIX_UNIT_FRAMES;
	units = (units + CS_MIX_SIP_BLOCK_UNITS - 1) / CS_MIX_SIP_BLOCK_UNITS * CS_MIX_SIP_BLOCK_UNITS;
	int bad = 0;

	if (cs_pcap_writer_open(&m.out, path) != 0) {
		fprintf(stderr, "cdrsentry-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (uint32_t i = 0; i < subscribers && !bad; i++)
		bad = cs_mix_attach(&sink, i);
	for (uint64_t u = 0; u < units && !bad; u++)
		bad = cs_mix_unit(&sink, &mix, (uint32_t)u);
	uint64_t records = m.out.records;
	if ((cs_pcap_writer_close(&m.out) != 0) | bad) {
		fprintf(stderr, "cdrsentry-gen: %s: write failed\n", path);
		return 1;
	}
	printf("cdrsentry-gen: wrote %llu packets to %s: %lu attaches, then %llu packets of the mix\n",
	       (unsigned long long)records, path, subscribers, (unsigned long long)(units * CS_MIX_UNIT_FRAMES));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "subscribers", required_argument, NULL, 'n' },
		{ "sms", required_argument, NULL, 'm' },
		{ "out", required_argument, NULL, 'o' },
		{ "start", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "population", no_argument, NULL, 'P' },
		{ "mix", no_argument, NULL, 'X' },
		{ "packets", required_argument, NULL, 'p' },
		{ "labels", required_argument, NULL, 'L' },
		{ "days", required_argument, NULL, 'D' },
		{ "normal", required_argument, NULL, POP_NORMAL },
		{ "heavy", required_argument, NULL, POP_HEAVY },
		{ "iot", required_argument, NULL, POP_IOT },
		{ "simbox-gateways", required_argument, NULL, POP_GATEWAYS },
		{ "simbox-sims", required_argument, NULL, POP_SIMS },
		{ "spammers", required_argument, NULL, POP_SPAMMERS },
		{ "code-receivers", required_argument, NULL, POP_CODES },
		{ "sleepers", required_argument, NULL, POP_SLEEPERS },
		{ "batches", required_argument, NULL, POP_BATCHES },
		{ "batch-size", required_argument, NULL, POP_BATCH_SIZE },
		{ "iot-misuse", required_argument, NULL, POP_IOT_MISUSE },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long seed = 1, subscribers = 16, sms = 0, start_s = DEFAULT_START_S, days = 2, packets = 1000000;
	unsigned long pop_count[POP_NOPTS] = { 0 };
	const char *path = NULL, *labels = NULL;
	int c, population = 0, classic = 0, mix = 0;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (c >= POP_NORMAL && c < POP_NORMAL + POP_NOPTS) {
			if (parse_count(option_name(longopts, c), optarg, CS_POP_MAX_PER_CLASS,
					&pop_count[c - POP_NORMAL]))
				return 2;
			population |= 2;
			continue;
		}
		classic |= c == 'm';
		switch (c) {
		case 'P': population |= 1; break;
		case 'L': labels = optarg; population |= 2; break;
		case 'D':
			if (parse_count("--days", optarg, CS_POP_MAX_DAYS, &days))
				return 2;
			if (days == 0) {
				fputs("cdrsentry-gen: --days: at least 1\n", stderr);
				return 2;
			}
			population |= 2;
			break;
		case 's': if (parse_count("--seed", optarg, 0xffffffffUL, &seed)) return 2; break;
		case 'n':
			if (parse_count("--subscribers", optarg, CS_MIX_MAX_SESSIONS, &subscribers))
				return 2;
			classic |= 1;
			break;
		case 'X': mix = 1; break;
		case 'p': if (parse_count("--packets", optarg, 1ul << 32, &packets)) return 2; mix |= 2; break;
		case 'm': if (parse_count("--sms", optarg, 1000000, &sms)) return 2; break;
		case 'o': path = optarg; break;
		case 't': if (parse_count("--start", optarg, 4000000000ul, &start_s)) return 2; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	/* 1: --population, 2: one of its options; both, and none of the default mode's */
	if (population != 0) {
		if (population != 3 || classic || path == NULL || labels == NULL || optind != argc) {
			usage(stderr);
			return 2;
		}
		return write_population(pop_count, days, seed, start_s, path, labels);
	}
	/* 1: --mix, 2: --packets; --subscribers is the mix's population too, --sms is not the mix's */
	if (mix != 0) {
		if (!(mix & 1) || sms != 0 || path == NULL || optind != argc || subscribers == 0) {
			usage(stderr);
			return 2;
		}
		return write_mix(subscribers, packets, seed, start_s, path);
	}
	if (subscribers > 65535) {
		fputs("cdrsentry-gen: --subscribers: at most 65535 without --mix\n", stderr);
		return 2;
	}
	if (path == NULL || optind != argc || subscribers == 0) {
		usage(stderr);
		return 2;
	}

	struct generator g = { .rng = seed };
	const uint64_t START_NS = (uint64_t)start_s * 1000000000ull;
	if (cs_pcap_writer_open(&g.out, path) != 0) {
		fprintf(stderr, "cdrsentry-gen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct cs_gen_bearer *subs = calloc(subscribers, sizeof(*subs));
	if (subs == NULL) {
		fprintf(stderr, "cdrsentry-gen: out of memory for %lu subscribers\n", subscribers);
		return 1;
	}
	for (unsigned i = 0; i < subscribers; i++) {
		subscriber(&g, i, &subs[i]);
		/* every eighth subscriber stays attached: its session is still open when the capture ends */
		attach_and_browse(&g, &subs[i], START_NS + 250000000ull * i, 1 + 3 * i, i % 8 != 7);
	}
	/* Calls follow the attaches, one after another, so the capture stays in time order. */
	uint64_t t = START_NS + 250000000ull * subscribers;
	for (unsigned i = 0; i + 1 < subscribers; i += 4)
		t = call(&g, &subs[i], &subs[i + 1], t, i) + 1000000000ull;
	/* SMS follow the calls, one MO and one MT a second apart, each to or from subscriber k in turn */
	for (unsigned k = 0; k < sms; k++, t += 2000000000ull) {
		sms_mo(&g, &subs[k % subscribers], t, k);
		sms_mt(&g, &subs[k % subscribers], t + 1000000000ull, k);
	}
	free(subs);

	uint64_t records = g.out.records;
	if (cs_pcap_writer_close(&g.out) != 0 || g.failed) {
		fprintf(stderr, "cdrsentry-gen: %s: write failed\n", path);
		return 1;
	}
	printf("cdrsentry-gen: wrote %llu packets for %lu subscribers to %s\n", (unsigned long long)records,
	       subscribers, path);
	return 0;
}
