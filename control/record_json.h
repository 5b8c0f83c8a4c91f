/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_RECORD_JSON_H
#define CS_RECORD_JSON_H

#include <stddef.h>

#include "event.h"

/*
 * Records as JSON, one object per line, "type" first, per
 * schemas/{session,call,sms,anomaly}.schema.json. Identities are digit strings,
 * times RFC 3339 UTC with microseconds. Bump a type's schema version with
 * any change a consumer could notice.
 */
enum { CS_SESSION_SCHEMA_VERSION = 1, CS_CALL_SCHEMA_VERSION = 1, CS_SMS_SCHEMA_VERSION = 1 };

enum { CS_RECORD_JSON_MAX = 4096 };

/* What a record is, for sinks that route by type (Kafka topics, headers). */
struct cs_record_meta {
	const char *type;            /* "session", "call", "sms", "anomaly" */
	unsigned int schema_version;
	/*
	 * Kafka key: the subscriber's IMSI, or, when the probe does not know it,
	 * the subscriber's own number (the caller; the SMS sender for MO, its
	 * recipient for MT), so one subscriber's records still share a partition.
	 * A device anomaly's key is its IMEI, a number block anomaly's the block.
	 */
	char key[24];
};

/*
 * Formats the record message msg (CS_REC_SESSION, CS_EV_CALL, CS_EV_SMS or CS_REC_ANOMALY)
 * into buf. Returns its length, 0 for a message that is not a record, or
 * -1 if buf is too small.
 */
int cs_record_json(const struct cs_event_hdr *msg, const char *probe_id, char *buf, size_t cap,
		   struct cs_record_meta *meta);

#endif
