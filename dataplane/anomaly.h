/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_ANOMALY_H
#define CS_ANOMALY_H

#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "rules.h"

/*
 * An anomaly as a worker hands it to export (CS_REC_ANOMALY, 8 slots):
 * which rule tripped, on which subject, how severe, the subscriber's
 * identities as the state knows them, and the evidence: each counter the
 * rule compared, its value and the threshold it crossed. Block and device
 * anomalies list their members (the numbers first activated, the SIMs seen
 * in the device). Export formats it per schemas/anomaly.schema.json and
 * derives the anomaly's id from probe, rule, subject and trip time.
 *
 *  off size
 *    0  16  header (h.ts_ns: the event time of the trip)
 *   16   1  rule, 17 severity, 18 subject, 19 occurrence (1 = first of a run)
 *   20   1  nevidence, 21 nmembers, 22 2 reserved
 *   24   4  window_s            the window the counters cover
 *   28   4  score               the subject's score after this anomaly
 *   32   8  subject_key         the IMSI, the IMEI (device) or the block prefix
 *   40  32  imsi, msisdn, imei, bound_imei (as known; CS_DIGITS_NONE if not)
 *   72   8  cell                cell_state.h's key, 0 if none
 *   80 128  evidence[8]
 *  208 256  members[32]
 *  464  48  (padding to 8 slots)
 */
enum { CS_ANOMALY_EVIDENCE_MAX = 8, CS_ANOMALY_MEMBERS_MAX = 32 };

/* The counters a rule compares: the names an analyst reads in "evidence". */
enum cs_counter {
	CS_C_MO_CALLS,             /* in the window */
	CS_C_MT_CALLS,
	CS_C_DISTINCT_CALLEES,
	CS_C_MEAN_CALL_S,          /* mean duration of answered MO calls */
	CS_C_DISTINCT_CELLS,
	CS_C_DISTINCT_DATA_DESTINATIONS,
	CS_C_DEVICE_IMSIS,         /* distinct SIMs in the device */
	CS_C_DISTINCT_IMEIS,       /* distinct devices of the SIM */
	CS_C_MO_SMS,
	CS_C_DISTINCT_SMS_RECIPIENTS,
	CS_C_PERSON_SMS,           /* MO SMS to a person's number (not a service code) */
	CS_C_IMEI_NOT_BOUND,       /* 1: the device is not the one the card was first seen in */
	CS_C_HANDSET_TAC,          /* 1: the device's TAC is a handset's */
	CS_C_SILENT_DAYS,          /* days without any activity before this burst */
	CS_C_MO_EVENTS,            /* MO calls + MO SMS */
	CS_C_SHORTCODE_SENDERS,    /* distinct short-code senders of MT SMS */
	CS_C_MO_CALLS_DAY,
	CS_C_FIRST_ACTIVATIONS,    /* numbers of the block first active in the window */
	CS_C_SEQUENTIAL_CALLEES,   /* consecutive callees in one arithmetic sequence */
	CS_C_CALLEE_STEP,          /* that sequence's step, absolute */
	CS_COUNTERS
};

enum cs_compare { CS_AT_LEAST = 1, CS_AT_MOST = 2, CS_BELOW = 3 };

struct cs_evidence {
	uint8_t counter;     /* enum cs_counter */
	uint8_t compare;     /* enum cs_compare: how value met threshold */
	uint8_t lower_bound; /* the count is at least value (a distinct count whose sketch pool was full) */
	uint8_t reserved;
	uint32_t threshold;
	uint64_t value;
};

struct cs_rec_anomaly {
	_Alignas(CS_EVENT_SLOT) struct cs_event_hdr h;
	uint8_t rule;       /* enum cs_rule */
	uint8_t severity;   /* enum cs_severity */
	uint8_t subject;    /* enum cs_rule_subject */
	uint8_t occurrence;
	uint8_t nevidence, nmembers;
	uint8_t reserved[2];
	uint32_t window_s;
	uint32_t score;
	uint64_t subject_key;
	cs_digits imsi, msisdn, imei, bound_imei;
	uint64_t cell;
	struct cs_evidence evidence[CS_ANOMALY_EVIDENCE_MAX];
	cs_digits members[CS_ANOMALY_MEMBERS_MAX];
};

_Static_assert(sizeof(struct cs_evidence) == 16, "evidence is 16 bytes");
_Static_assert(sizeof(struct cs_rec_anomaly) % CS_EVENT_SLOT == 0, "messages are whole slots");
_Static_assert(sizeof(struct cs_rec_anomaly) <= CS_EVENT_MAX_SLOTS * CS_EVENT_SLOT, "an anomaly fits");

const char *cs_counter_name(enum cs_counter c);
const char *cs_compare_op(enum cs_compare c);

/* Appends one evidence item (the first CS_ANOMALY_EVIDENCE_MAX are kept). */
void cs_anomaly_evidence(struct cs_rec_anomaly *a, enum cs_counter c, enum cs_compare cmp, uint64_t value,
			 uint32_t threshold, bool lower_bound);

#endif
