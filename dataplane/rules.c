/* SPDX-License-Identifier: Apache-2.0 */
#include "rules.h"

struct rule_info {
	const char *name;
	const char *description;
	enum cs_rule_subject subject;
};

static const struct rule_info RULES[CS_RULES] = {
	[CS_RULE_SIMBOX_FANOUT] = { "simbox.fanout",
		"many short outgoing calls to many distinct numbers, almost no incoming calls, no data, one cell: "
		"a SIM in a SIM box or GoIP gateway", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_SIMBOX_IMEI_ROTATION] = { "simbox.imei_rotation",
		"one device (IMEI) seen with many SIMs in a day: a gateway rotating SIMs through its radios",
		CS_SUBJECT_DEVICE },
	[CS_RULE_SIMBOX_SIM_HOPPING] = { "simbox.sim_hopping",
		"one SIM seen in many devices in a day: a SIM moved between gateway slots", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_SMS_FLOOD] = { "sms.flood", "many outgoing SMS to many distinct recipients in an hour",
		CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_IOT_VOICE_SMS] = { "iot.voice_sms",
		"an IoT-range card making a voice call or sending a person-to-person SMS", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_IOT_IMEI_BINDING] = { "iot.imei_binding",
		"an IoT-range card in a device other than its bound one, or in a handset", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_IOT_DATA_FANOUT] = { "iot.data_fanout",
		"an IoT-range card sending data to many distinct destinations in an hour", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_SLEEPER_WAKEUP] = { "card.sleeper_wakeup",
		"a card silent for a long time, then a burst of outgoing calls and SMS", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_CODE_RECEIVER] = { "card.code_receiver",
		"a card receiving SMS from many short-code senders in a day and making no calls: "
		"a verification-code receiving card", CS_SUBJECT_SUBSCRIBER },
	[CS_RULE_NUMBLOCK_BATCH] = { "numblock.batch",
		"many numbers of one block of consecutive numbers active for the first time within an hour",
		CS_SUBJECT_BLOCK },
	[CS_RULE_CALL_SEQUENTIAL] = { "call.sequential", "outgoing calls to numbers in arithmetic sequence",
		CS_SUBJECT_SUBSCRIBER },
};

const char *cs_rule_name(enum cs_rule r)
{
	return r < CS_RULES ? RULES[r].name : "?";
}

const char *cs_rule_description(enum cs_rule r)
{
	return r < CS_RULES ? RULES[r].description : "?";
}

enum cs_rule_subject cs_rule_subject(enum cs_rule r)
{
	return r < CS_RULES ? RULES[r].subject : CS_SUBJECT_SUBSCRIBER;
}

const char *cs_severity_name(enum cs_severity s)
{
	static const char *const names[CS_SEVERITIES] = { "info", "low", "medium", "high", "critical" };

	return s < CS_SEVERITIES ? names[s] : "?";
}

static const uint32_t HOUR_S = 3600, DAY_S = 86400;

void cs_rules_conf_default(struct cs_rules_conf *c)
{
	*c = (struct cs_rules_conf){
		.rule = {
			[CS_RULE_SIMBOX_FANOUT] = { 1, CS_SEV_HIGH, 40, HOUR_S },
			[CS_RULE_SIMBOX_IMEI_ROTATION] = { 1, CS_SEV_HIGH, 40, 6 * HOUR_S },
			[CS_RULE_SIMBOX_SIM_HOPPING] = { 1, CS_SEV_MEDIUM, 20, 6 * HOUR_S },
			[CS_RULE_SMS_FLOOD] = { 1, CS_SEV_HIGH, 40, HOUR_S },
			[CS_RULE_IOT_VOICE_SMS] = { 1, CS_SEV_HIGH, 30, DAY_S },
			[CS_RULE_IOT_IMEI_BINDING] = { 1, CS_SEV_HIGH, 30, DAY_S },
			[CS_RULE_IOT_DATA_FANOUT] = { 1, CS_SEV_MEDIUM, 20, HOUR_S },
			[CS_RULE_SLEEPER_WAKEUP] = { 1, CS_SEV_MEDIUM, 25, DAY_S },
			[CS_RULE_CODE_RECEIVER] = { 1, CS_SEV_MEDIUM, 25, DAY_S },
			[CS_RULE_NUMBLOCK_BATCH] = { 1, CS_SEV_HIGH, 30, HOUR_S },
			[CS_RULE_CALL_SEQUENTIAL] = { 1, CS_SEV_HIGH, 30, HOUR_S },
		},
		.fanout = { .mo_calls = 30, .callees = 25, .max_mean_call_s = 60, .max_mt_calls = 2, .max_cells = 1,
			    .max_data_destinations = 3 },
		.rotation_imsis = 8,
		.hopping_imeis = 6,
		.flood = { .mo_sms = 100, .recipients = 80 },
		.iot_data_destinations = 20,
		.sleeper = { .silent_days = 30, .mo_events = 20 },
		.code = { .senders = 10, .max_mo_calls = 0 },
		.batch_first_activations = 20,
		.sequential = { .callees = 10, .max_step = 10 },
		.risky_range_weight = 15,
		.gateway_tac_weight = 15,
		.shortcode_max_digits = 6,
	};
}
