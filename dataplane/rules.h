/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RULES_H
#define CS_RULES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The rule catalogue (docs/rules.md): which behaviours raise an anomaly,
 * with what thresholds, how severe, and how much each adds to a
 * subscriber's score. One struct cs_rules_conf holds every parameter; the
 * configuration fills it (control/config.c, section "rules"), the workers
 * read it (rule_check.c) and a reload replaces it whole.
 *
 * A rule has a subject: most look at one subscriber (IMSI); the rotation
 * rule looks at one device (IMEI) and the batch rule at one number block,
 * each on the worker that owns that key (emit.h).
 */
enum cs_rule {
	CS_RULE_SIMBOX_FANOUT,       /* many short MO calls to many numbers, hardly any MT, no data, one cell */
	CS_RULE_SIMBOX_IMEI_ROTATION, /* one device (IMEI) carrying many SIMs a day: a gateway rotating them */
	CS_RULE_SIMBOX_SIM_HOPPING,  /* one SIM in many devices a day */
	CS_RULE_SMS_FLOOD,           /* many MO SMS to many recipients */
	CS_RULE_IOT_VOICE_SMS,       /* an IoT-range card calling or texting a person */
	CS_RULE_IOT_IMEI_BINDING,    /* an IoT-range card out of its bound device, or in a handset */
	CS_RULE_IOT_DATA_FANOUT,     /* an IoT-range card talking to many data destinations */
	CS_RULE_SLEEPER_WAKEUP,      /* a long silence, then a burst of MO activity */
	CS_RULE_CODE_RECEIVER,       /* MT SMS from many short-code senders, no MO calls */
	CS_RULE_NUMBLOCK_BATCH,      /* many numbers of one block active for the first time together */
	CS_RULE_CALL_SEQUENTIAL,     /* callees dialled in arithmetic sequence */
	CS_RULES
};

enum cs_rule_subject { CS_SUBJECT_SUBSCRIBER = 1, CS_SUBJECT_DEVICE = 2, CS_SUBJECT_BLOCK = 3 };

enum cs_severity { CS_SEV_INFO, CS_SEV_LOW, CS_SEV_MEDIUM, CS_SEV_HIGH, CS_SEV_CRITICAL, CS_SEVERITIES };

/* What every rule has, whatever it checks. */
struct cs_rule_common {
	uint8_t enabled;     /* 0: never checked */
	uint8_t severity;    /* enum cs_severity of a first anomaly; continuing behaviour raises it */
	uint16_t weight;     /* added to the subject's score while the anomaly is live (within its cooldown) */
	uint32_t cooldown_s; /* one anomaly per subject and rule per cooldown */
};

/*
 * Thresholds, named as the configuration names them. "at least" values
 * trip when reached; "max_" values are the most the behaviour may show
 * and still trip. Windows are the state engine's (windows.hour_s/day_s).
 */
struct cs_rules_conf {
	struct cs_rule_common rule[CS_RULES];
	struct {
		uint32_t mo_calls;         /* an hour, at least */
		uint32_t callees;          /* distinct, an hour, at least */
		uint32_t max_mean_call_s;  /* mean answered duration, strictly below */
		uint32_t max_mt_calls;     /* an hour */
		uint32_t max_cells;        /* distinct, a day */
		uint32_t max_data_destinations; /* distinct, an hour */
	} fanout;
	uint32_t rotation_imsis;        /* SIMs in one IMEI a day, at least */
	uint32_t hopping_imeis;         /* IMEIs of one SIM a day, at least */
	struct {
		uint32_t mo_sms;            /* an hour, at least */
		uint32_t recipients;        /* distinct, an hour, at least */
	} flood;
	uint32_t iot_data_destinations; /* distinct, an hour, at least */
	struct {
		uint32_t silent_days;       /* no activity at all for at least this long */
		uint32_t mo_events;         /* then MO calls + SMS within the hour, at least */
	} sleeper;
	struct {
		uint32_t senders;           /* distinct short-code senders a day, at least */
		uint32_t max_mo_calls;      /* a day */
	} code;
	uint32_t batch_first_activations; /* numbers of one block, first active within the hour, at least */
	/*
	 * A probe with no history sees every number for the first time: with
	 * no long memory restored, numblock.batch waits this long (event time
	 * from the worker's first event) while its blocks learn what is active.
	 */
	uint32_t batch_learning_s;
	struct {
		uint32_t callees;           /* consecutive callees in one arithmetic sequence, at least */
		uint32_t max_step;          /* the sequence's step, 1 to this (either direction) */
	} sequential;
	uint16_t risky_range_weight;    /* added to the score of a subscriber (or block) in a risky range */
	uint16_t gateway_tac_weight;    /* added to the score of a subscriber in a module or gateway (by TAC) */
	uint8_t shortcode_max_digits;   /* numeric senders/recipients this short are service codes */
};

/* Each rule's id ("simbox.fanout"), description, subject and window (hour or day). */
const char *cs_rule_name(enum cs_rule r);
const char *cs_rule_description(enum cs_rule r);
enum cs_rule_subject cs_rule_subject(enum cs_rule r);
const char *cs_severity_name(enum cs_severity s);

/* The default profile (docs/rules.md says why each value). */
void cs_rules_conf_default(struct cs_rules_conf *c);

#endif
