/* SPDX-License-Identifier: Apache-2.0 */
#ifndef CS_E164_H
#define CS_E164_H

#include <stddef.h>

#include "digits.h"

/*
 * Telephone numbers as the network writes them, turned into one canonical
 * E.164 form (ITU-T E.164: country code + national significant number, at
 * most 15 digits, no prefix), so that "+86 138-0013-8000", "008613800138000"
 * and "013800138000" dialled inside China are the same subscriber in every
 * counter, sketch and record.
 *
 * How a number was dialled depends on the network: its country code, its
 * national (trunk) prefix and its international prefix. They come from the
 * configuration; nothing country-specific is built in.
 *
 *   conf {cc "86", trunk "0", intl "00"}
 *   "+86-138-0013-8000"   international form        -> 8613800138000
 *   "008613800138000"     international prefix      -> 8613800138000
 *   "013800138000"        trunk prefix + NSN        -> 86 + 13800138000
 *   "8613800138000"       plain digits              -> 8613800138000 (as is)
 *   "+8613800138000;npdi" parameters (RFC 3966)     -> 8613800138000
 *   "alice", "", "*100#"  not a number              -> CS_DIGITS_NONE
 */
enum { CS_E164_MAX_DIGITS = 15 };

struct cs_e164_conf {
	char country_code[4]; /* 1-3 digits, "" when unknown: national numbers then do not normalise */
	char trunk_prefix[4]; /* national prefix, "0" in most networks, "" where there is none */
	char intl_prefix[6];  /* international prefix, "00" in most networks, "011" in NANP */
};

/*
 * The prefixes ITU-T E.164 recommends ("00" international, "0" national)
 * and no country code: international and plain numbers normalise, national
 * ones (which need the country code) give CS_DIGITS_NONE until configured.
 */
struct cs_e164_conf cs_e164_conf_default(void);

/*
 * Fills c from configuration strings. Returns 0, or -1 (c unchanged) if a
 * value is not all digits or too long for its field; an empty string means
 * "none" for each of them.
 */
int cs_e164_conf_init(struct cs_e164_conf *c, const char *country_code, const char *trunk_prefix,
		      const char *intl_prefix);

/*
 * Normalises a dialled number or the number of a tel: URI / user=phone SIP
 * URI (RFC 3966 telephone-subscriber), read from s[0..n), stopping at the
 * first ';' (parameters). Visual separators - . ( ) and space are dropped.
 * The rule, in this order:
 *
 *   1. "+" digits                    -> the digits (already international);
 *   2. intl_prefix digits            -> the digits after the prefix;
 *   3. trunk_prefix digits           -> country_code + the digits after it;
 *   4. other digits                  -> as they are: taken as international
 *      without the "+", as IMS cores and SMS centres usually write them;
 *      short codes ("10086") stay short and so stay comparable.
 *
 * The result must be 1-15 digits, and an international one must not start
 * with 0 (no country code does); anything else is CS_DIGITS_NONE.
 */
cs_digits cs_e164_normalise(const char *s, size_t n, const struct cs_e164_conf *c);

/*
 * A national significant number (no prefix) -> country_code + nsn, as a
 * TS 23.040 address with type of number "national" needs. CS_DIGITS_NONE
 * without a configured country code, for non-digits or more than 15 digits.
 */
cs_digits cs_e164_from_national(const char *nsn, size_t n, const struct cs_e164_conf *c);

#endif
