/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_GEN_POPULATION_H
#define CS_GEN_POPULATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * A labelled population (issue 6): subscribers of several classes living
 * for a number of days of event time, written as mirrored S11, S1-U and
 * Mw traffic on the scenario writer (scenario.h), hour by hour so that
 * memory holds about one hour of frames whatever the size and length,
 * with a labels file saying who is what and since when. docs/generator.md
 * describes every class, its identities and what the rules should say.
 *
 *   class          count option               expected rules (docs/rules.md)
 *   normal         --normal N                 (none)
 *   heavy          --heavy N                  (none)
 *   iot_meter      --iot N                    (none)
 *   simbox         --simbox-gateways G        simbox.fanout;simbox.imei_rotation
 *                  x --simbox-sims S
 *   spammer        --spammers N               sms.flood
 *   code_receiver  --code-receivers N         card.code_receiver
 *   sleeper        --sleepers N               card.sleeper_wakeup
 *   batch          --batches B x --batch-size K  numblock.batch
 *   iot_misuse     --iot-misuse N             iot.imei_binding;iot.voice_sms
 *
 * Time: the population's day 0 begins at the start rounded up to a whole
 * UTC hour (t0), and the hour of day that shapes the daily rhythm is the
 * UTC hour. Rules count in epoch-aligned hours and days, so every burst a
 * rule should see (a SIM box hour, a spam hour, a code-receiving block, a
 * wake-up) fills one whole hour, or hours of one UTC day. Sleepers need 30
 * silent days before the window: with any sleeper, each has a history day
 * 35 days before t0 (one call, one SMS), so the capture begins then and
 * jumps to t0. Activity begun inside the days may run a few minutes past
 * their end (a call in progress).
 *
 * Deterministic: each subscriber draws from its own splitmix64 stream,
 * seeded from the seed, its class and its index, so the same options give
 * the same bytes and labels, and a class's count changes no other class's
 * behaviour (only the phones' IMEI serials and the packets' interleaving).
 */
#define CS_POP_CLASSES(X)                                                                   \
	X(NORMAL, "normal", "")                                                             \
	X(HEAVY, "heavy", "")                                                               \
	X(IOT_METER, "iot_meter", "")                                                       \
	X(SIMBOX, "simbox", "simbox.fanout;simbox.imei_rotation")                           \
	X(SPAMMER, "spammer", "sms.flood")                                                  \
	X(CODE_RECEIVER, "code_receiver", "card.code_receiver")                             \
	X(SLEEPER, "sleeper", "card.sleeper_wakeup")                                        \
	X(BATCH, "batch", "numblock.batch")                                                 \
	X(IOT_MISUSE, "iot_misuse", "iot.imei_binding;iot.voice_sms")

enum cs_pop_class {
#define CS_POP_ENUM(id, name, rules) CS_POP_##id,
	CS_POP_CLASSES(CS_POP_ENUM)
#undef CS_POP_ENUM
	CS_POP_NCLASSES
};

/* A class's name in the labels, and the rules that should flag it ("" for the normal classes). */
const char *cs_pop_class_name(enum cs_pop_class c);
const char *cs_pop_class_rules(enum cs_pop_class c);

enum {
	CS_POP_MAX_PER_CLASS = 100000, /* a class's numbers come from 100000 blocks of its own prefix */
	CS_POP_MAX_GATEWAY_SIMS = 24,  /* all attach in the gateway's first minute */
	CS_POP_MAX_BATCH_SIZE = 1000,  /* one block */
	CS_POP_MAX_DAYS = 366,
};

struct cs_pop_conf {
	unsigned int normal, heavy, iot_meters;
	unsigned int gateways, gateway_sims; /* gateway_sims 0: 16 */
	unsigned int spammers, code_receivers, sleepers;
	unsigned int batches, batch_size;    /* batch_size 0: 24 */
	unsigned int iot_misuse;
	unsigned int days;                   /* 0: 2 */
	uint64_t seed;
	uint64_t start_s;                    /* seconds since 1970 */
};

struct cs_pop_result {
	uint64_t subscribers;
	uint64_t frames;
	size_t max_buffered; /* the most frames held at once */
	uint64_t t0_s;       /* day 0 */
};

/*
 * Writes the population of c to pcap_path (classic pcap) and its labels
 * to labels_path (CSV, docs/generator.md). Returns 0, or -1 with the
 * reason in err.
 */
int cs_pop_write(const struct cs_pop_conf *c, const char *pcap_path, const char *labels_path,
		 struct cs_pop_result *res, char *err, size_t errlen);

#endif
