/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SIPp (Debian package sip-tester) as a real SIP peer. One SIPp places
 * calls and another answers them (SIPp's stock uas), refuses them
 * (tests/sipp/uas_busy.xml) or lets them ring until the caller cancels
 * (tests/sipp/uas_ringing.xml), on loopback. tcpdump captures the calls,
 * cdrsentry replays the capture, and tshark reads the same capture as the
 * oracle for what each call record must say. One test is one run:
 *
 *   tcpdump -i lo -U --immediate-mode -w sip.pcap '(udp or tcp) and host A'
 *   sipp CALLEE -t T -max_socket 64 -i A -p 5060              (until stopped)
 *   sipp -sf tests/sipp/CALLER.xml -t T -max_socket 64 -i A -m 5 -r 20 -d MS \
 *        -key calling +1555010000 -key called 0044207946000 A:5060   (exits when done)
 *   stop the callee; send a marker datagram; stop tcpdump once the marker is in the file
 *   cdrsentry replay --out DIR sip.pcap          tshark -r sip.pcap -Y sip
 *
 * The callee listens on 5060 because cdrsentry reads SIP on that port only
 * (decode_stage.h). A is an address inside 127/8 of this process's own,
 * made from its pid, so that runs of the suite side by side (normal and
 * sanitizer builds, other checkouts) neither collide on 5060 nor capture
 * each other's calls. Linux writes captures of lo as Ethernet frames with
 * zero MACs (LINKTYPE_ETHERNET), which is what cdrsentry decodes.
 *
 * Each flow runs over UDP (T = u1) and over TCP, the calls sharing one
 * connection (t1) or each on a connection of its own (tn). SIPp refuses
 * tn while its socket limit (-max_socket, 50000 by default) is above the
 * open-files limit; 64 is ample for 5 calls. Over TCP, cdrsentry rebuilds
 * each message from the stream (tcp_reasm.h), and a segment may carry
 * several messages, so the oracle reads every message of a frame.
 *
 * Call N of a run dials from +1555010000N to 0044207946000N (the keys
 * above, tests/sipp/uac.xml), so each record's caller and callee can be
 * told apart; cdrsentry's default numbering plan (e164.h) records them as
 * 1555010000N and 44207946000N.
 *
 * Against tshark: one call record per INVITE dialog, under its Call-ID,
 * with its numbers, its setup, ringing, answer and end times to the
 * microsecond of the frames, the final status; and as the scenario says,
 * its outcome and who ended it. An answered call lasts what SIPp's -d
 * made it (from the 200 to the BYE). stats.json counts as many SIP
 * messages as tshark decodes, and only the marker as another port's; its
 * sip_over_tcp delivers as many as tshark decodes over TCP, follows one
 * flow per connection, and sees no segment out of order and no byte
 * discarded: on loopback nothing is lost, so the stream never loses step.
 *
 * A missing sipp or tcpdump fails the test, naming scripts/bootstrap.
 * Every process runs under timeout(1), which ends it after PROCESS_LIMIT_S
 * or as soon as the test process dies (PR_SET_PDEATHSIG, which timeout
 * forwards); the suite's fini kills whatever a failed assertion left.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "run.h"

enum {
	CALLS = 5,            /* sipp -m */
	CALLS_PER_S = 20,     /* sipp -r: the five calls are placed within 0.25 s */
	MARKER_PORT = 9,      /* discard: not a port cdrsentry decodes */
	READY_WAIT_MS = 5000, /* tcpdump listening, the callee bound, the marker written */
	MAX_DIALOGS = 16,
	MAX_CONNECTIONS = 16,
};
#define SIP_PORT 5060      /* the callee's: cdrsentry's SIP port */
#define PROCESS_LIMIT_S 20 /* timeout(1) of every process started here */
#define TEXT(x) #x
#define TEXT_OF(x) TEXT(x)

static const char SIPP[] = "/usr/bin/sipp", TCPDUMP[] = "/usr/bin/tcpdump", TSHARK[] = "/usr/bin/tshark",
		  TIMEOUT[] = "/usr/bin/timeout";
static const char CALLING[] = "+1555010000", CALLED[] = "0044207946000";
static const char MARKER[] = "cdrsentry sipp_peer: end of capture";

/* A process started here, under timeout(1); pid 0 when it is not running. */
struct child {
	pid_t pid;
	char log[96]; /* its stdout and stderr */
};

static struct {
	char dir[64];  /* this run's files: sip.pcap, the logs, cdrsentry's out/ */
	char addr[16]; /* this run's loopback address */
	struct child tcpdump, callee, caller;
} run;

static void sleep_ms(unsigned int ms)
{
	nanosleep(&(struct timespec){ .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 }, NULL);
}

/*
 * Waits for c to exit, signalling it first unless sig is 0; after wait_ms
 * its whole process group (timeout and the tool) is killed. Returns the
 * exit status, or 128 + the signal that ended it.
 */
static int stop(struct child *c, int sig, unsigned int wait_ms)
{
	int ws = 0;

	if (sig != 0)
		kill(c->pid, sig);
	for (unsigned int waited = 0;; waited += 10) {
		pid_t r = waitpid(c->pid, &ws, WNOHANG);
		if (r == c->pid)
			break;
		if (r < 0) {
			c->pid = 0;
			return -1;
		}
		if (waited >= wait_ms) {
			kill(-c->pid, SIGKILL);
			waitpid(c->pid, &ws, 0);
			break;
		}
		sleep_ms(10);
	}
	c->pid = 0;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

static void make_run_dir(void)
{
	pid_t pid = getpid();

	snprintf(run.dir, sizeof(run.dir), "/tmp/cs-sipp.XXXXXX");
	cr_assert_not_null(mkdtemp(run.dir));
	/* one address per pid (pid_max is at most 2^22): 127.64.0.0 - 127.127.255.255 */
	snprintf(run.addr, sizeof(run.addr), "127.%u.%u.%u", 64u + ((unsigned int)pid >> 16 & 63u),
		 (unsigned int)pid >> 8 & 255u, (unsigned int)pid & 255u);
}

static void stop_all_and_clean(void)
{
	struct child *children[] = { &run.caller, &run.callee, &run.tcpdump };
	char cmd[96];

	/* the group: timeout and its tool; the pid alone if the child has not reached setpgid yet */
	for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++) {
		if (children[i]->pid > 0) {
			kill(-children[i]->pid, SIGKILL);
			kill(children[i]->pid, SIGKILL);
			waitpid(children[i]->pid, NULL, 0);
			children[i]->pid = 0;
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", run.dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(sipp_peer, .init = make_run_dir, .fini = stop_all_and_clean);

static void require(const char *path, const char *package)
{
	cr_assert(access(path, X_OK) == 0, "%s is missing: run scripts/bootstrap (it installs the Debian package %s)",
		  path, package);
}

/* A file's bytes (a log, a capture), NUL-terminated; "" when unreadable. */
static char *slurp(const char *path, size_t *len)
{
	size_t n = 0;
	char *text = cs_read_file(path, &n);

	if (text == NULL) {
		text = calloc(1, 1);
		cr_assert_not_null(text);
	}
	if (len != NULL)
		*len = n;
	return text;
}

/*
 * Starts argv under `timeout --signal=INT --kill-after=2 PROCESS_LIMIT_S`,
 * with its output in <dir>/<name>.log. timeout forwards SIGINT and SIGTERM
 * to the tool; it leads a process group of its own so that both can be
 * killed at once, and it gets SIGTERM if this process dies first.
 */
static void start(struct child *c, const char *name, const char *const argv[])
{
	const char *args[32] = { TIMEOUT, "--signal=INT", "--kill-after=2", TEXT_OF(PROCESS_LIMIT_S) };
	size_t n = 4;
	pid_t parent = getpid();

	for (; *argv != NULL; argv++) {
		cr_assert_lt(n, sizeof(args) / sizeof(args[0]) - 1);
		args[n++] = *argv;
	}
	args[n] = NULL;
	snprintf(c->log, sizeof(c->log), "%s/%s.log", run.dir, name);
	int log = open(c->log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	cr_assert(log >= 0, "cannot create %s", c->log);
	pid_t pid = fork();
	cr_assert(pid >= 0, "cannot fork for %s", name);
	if (pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent || setpgid(0, 0) != 0 || in < 0 ||
		    dup2(in, STDIN_FILENO) < 0 || dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0)
			_exit(127);
		execv(TIMEOUT, (char *const *)args);
		_exit(127);
	}
	close(log);
	c->pid = pid;
}

/* Polls path until it holds text (binary files too); fails naming what it waited for and showing log. */
static void wait_for_text(const char *path, const char *text, const char *what, const char *log)
{
	for (unsigned int waited = 0;; waited += 20) {
		size_t len;
		char *bytes = slurp(path, &len);
		bool found = memmem(bytes, len, text, strlen(text)) != NULL;
		free(bytes);
		if (found)
			return;
		if (waited >= READY_WAIT_MS) {
			char *shown = slurp(log, NULL);
			cr_assert_fail("%s: not within %u ms; %s says:\n%s", what, READY_WAIT_MS, log, shown);
		}
		sleep_ms(20);
	}
}

/*
 * A datagram to the run's address after the calls: tcpdump writes each
 * packet as it reads it (-U, --immediate-mode) and reads lo in order, so
 * once the marker is in the file every call's packet is too.
 */
static void send_marker(void)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(MARKER_PORT) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	cr_assert(s >= 0 && inet_pton(AF_INET, run.addr, &to.sin_addr) == 1);
	cr_assert_eq(sendto(s, MARKER, strlen(MARKER), 0, (const struct sockaddr *)&to, sizeof(to)),
		     (ssize_t)strlen(MARKER));
	close(s);
}

/* How a run's calls go: the callee's and caller's scenarios, and what every call record must then say. */
struct scenario {
	const char *callee_builtin; /* one of SIPp's own scenarios (sipp -sn), or NULL */
	const char *callee_file;    /* else a scenario file in the source tree (sipp -sf) */
	const char *caller;         /* the caller's scenario file */
	unsigned int pause_ms;      /* sipp -d: how long an answered call talks, a cancelled one rings */
	const char *outcome;
	unsigned int status;        /* the final response to the INVITE */
	const char *ended_by;       /* the BYE's sender; the caller of a cancelled call, the callee of a rejected one */
};

/* What carries a run's calls. */
struct transport {
	const char *sipp;         /* sipp -t, for the callee and the caller */
	const char *name;         /* the call records' "transport"; /proc/net/<name> lists the callee's socket */
	unsigned int connections; /* the TCP connections the calls take; 0 over UDP */
};

static const struct transport UDP = { .sipp = "u1", .name = "udp" },
			      ONE_TCP_CONNECTION = { .sipp = "t1", .name = "tcp", .connections = 1 },
			      TCP_CONNECTION_PER_CALL = { .sipp = "tn", .name = "tcp", .connections = CALLS };

/* Runs the calls of s over t with tcpdump capturing them into <dir>/sip.pcap. */
static void place_calls(const struct scenario *s, const struct transport *t, const char *pcap)
{
	char filter[48], sockets[24], bound[24], remote[24], pause_ms[16], calls[8], rate[8];

	require(SIPP, "sip-tester");
	require(TCPDUMP, "tcpdump");
	require(TSHARK, "tshark");
	require(TIMEOUT, "coreutils");

	snprintf(filter, sizeof(filter), "(udp or tcp) and host %s", run.addr);
	start(&run.tcpdump, "tcpdump",
	      (const char *const[]){ TCPDUMP, "-i", "lo", "-n", "-U", "--immediate-mode", "-w", pcap, filter, NULL });
	wait_for_text(run.tcpdump.log, "listening on lo", "tcpdump listening on lo", run.tcpdump.log);
	char *said = slurp(run.tcpdump.log, NULL);
	cr_assert(strstr(said, "link-type EN10MB") != NULL, "cdrsentry decodes Ethernet frames; tcpdump says:\n%s", said);
	free(said);

	start(&run.callee, "callee",
	      (const char *const[]){ SIPP, s->callee_builtin != NULL ? "-sn" : "-sf",
				     s->callee_builtin != NULL ? s->callee_builtin : CS_SOURCE_PATH(s->callee_file),
				     "-t", t->sipp, "-max_socket", "64", "-i", run.addr, "-p", TEXT_OF(SIP_PORT),
				     "-nostdin", NULL });
	/* bound: the socket's local address as /proc/net/udp or tcp writes it, "<sl>: <address>:<port> " in hex */
	struct in_addr a;
	cr_assert_eq(inet_pton(AF_INET, run.addr, &a), 1);
	snprintf(bound, sizeof(bound), ": %08X:%04X ", a.s_addr, SIP_PORT);
	snprintf(sockets, sizeof(sockets), "/proc/net/%s", t->name);
	wait_for_text(sockets, bound, "the callee (SIPp) bound to port 5060", run.callee.log);

	snprintf(remote, sizeof(remote), "%s:%d", run.addr, SIP_PORT);
	snprintf(pause_ms, sizeof(pause_ms), "%u", s->pause_ms);
	snprintf(calls, sizeof(calls), "%d", CALLS);
	snprintf(rate, sizeof(rate), "%d", CALLS_PER_S);
	start(&run.caller, "caller",
	      (const char *const[]){ SIPP, "-sf", CS_SOURCE_PATH(s->caller), "-t", t->sipp, "-max_socket", "64", "-i",
				     run.addr, "-m", calls, "-r", rate, "-d", pause_ms, "-key", "calling", CALLING, "-key",
				     "called", CALLED, "-nostdin", remote, NULL });
	/* SIPp exits 0 when every call went as its scenario says */
	int status = stop(&run.caller, 0, (PROCESS_LIMIT_S + 3) * 1000);
	said = slurp(run.caller.log, NULL);
	cr_assert_eq(status, 0, "the caller (SIPp) exited %d (124: still running after %d s):\n%s", status,
		     PROCESS_LIMIT_S, said);
	free(said);
	stop(&run.callee, SIGTERM, 2000);

	send_marker();
	wait_for_text(pcap, MARKER, "the end-of-capture marker in the capture", run.tcpdump.log);
	status = stop(&run.tcpdump, SIGINT, 2000);
	said = slurp(run.tcpdump.log, NULL);
	cr_assert_eq(status, 0, "tcpdump exited %d:\n%s", status, said);
	cr_assert(strstr(said, "\n0 packets dropped by kernel") != NULL, "tcpdump:\n%s", said);
	free(said);
}

/* A call as tshark sees it; times in microseconds since the epoch, 0 when not seen. */
struct dialog {
	char call_id[128];
	char from_user[32], ruri_user[32]; /* of the INVITE, as sent */
	int64_t setup_us, ringing_us, answer_us, end_us;
	unsigned int status; /* the final response to the INVITE */
	bool recorded;       /* a call record named it */
};

struct oracle {
	struct dialog d[MAX_DIALOGS];
	unsigned int dialogs;
	unsigned int sip_messages;
	unsigned int tcp_messages;    /* of those, carried over TCP */
	unsigned int tcp_connections; /* the TCP streams that carried them */
	bool tcp_stream_seen[MAX_CONNECTIONS];
};

/* One SIP message: a request (method, ruri_user) or a response (code); "" and 0 for what it lacks. */
struct sip_message {
	const char *call_id, *method, *cseq_method, *from_user, *ruri_user;
	unsigned int code;
};

/* "1795744392.281254000" (tshark's frame.time_epoch) -> microseconds */
static int64_t epoch_us(const char *s)
{
	char *end;
	int64_t us = (int64_t)strtoll(s, &end, 10) * 1000000;
	int64_t scale = 100000;

	cr_assert_eq(*end, '.', "tshark time: %s", s);
	for (const char *p = end + 1; *p >= '0' && *p <= '9' && scale > 0; p++, scale /= 10)
		us += (*p - '0') * scale;
	return us;
}

static struct dialog *dialog_of(struct oracle *o, const char *call_id)
{
	for (unsigned int i = 0; i < o->dialogs; i++) {
		if (strcmp(o->d[i].call_id, call_id) == 0)
			return &o->d[i];
	}
	return NULL;
}

static void copy_field(char *dst, size_t cap, const char *src)
{
	cr_assert_lt(strlen(src), cap, "tshark field too long: %s", src);
	strcpy(dst, src);
}

/*
 * A message that tshark read at time t: an INVITE with a new Call-ID
 * opens a dialog; the dialog's first 180/183, first 2xx and its end (the
 * first BYE, or the final failure response) are timed. Retransmissions
 * change nothing, as in a probe.
 */
static void read_message(struct oracle *o, const struct sip_message *m, int64_t t)
{
	struct dialog *d = dialog_of(o, m->call_id);

	if (strcmp(m->method, "INVITE") == 0 && d == NULL) {
		cr_assert_lt(o->dialogs, MAX_DIALOGS);
		d = &o->d[o->dialogs++];
		copy_field(d->call_id, sizeof(d->call_id), m->call_id);
		copy_field(d->from_user, sizeof(d->from_user), m->from_user);
		copy_field(d->ruri_user, sizeof(d->ruri_user), m->ruri_user);
		d->setup_us = t;
	} else if (d != NULL && m->code != 0 && strcmp(m->cseq_method, "INVITE") == 0) {
		if ((m->code == 180 || m->code == 183) && d->ringing_us == 0)
			d->ringing_us = t;
		if (m->code >= 200 && m->code < 300 && d->answer_us == 0)
			d->answer_us = t;
		if (m->code >= 200 && d->status == 0)
			d->status = m->code;
		if (m->code >= 300 && d->end_us == 0)
			d->end_us = t;
	} else if (d != NULL && strcmp(m->method, "BYE") == 0 && d->end_us == 0) {
		d->end_us = t;
	}
}

/* How many values a tshark field holds under -E occurrence=a: "a,b,c" 3, "" none. */
static unsigned int values_in(const char *list)
{
	unsigned int n = *list != '\0';

	for (; *list != '\0'; list++)
		n += *list == ',';
	return n;
}

/* The next value of such a field; "" past its last. */
static const char *next_value(char **list)
{
	const char *v = strsep(list, ",");

	return v != NULL ? v : "";
}

/*
 * What tshark reads in the capture, message by message. A TCP segment
 * may carry several SIP messages, and tshark then writes each field's
 * values for all of them in one line, in order:
 *
 *   time     tcp.stream  Call-ID  Method  Status-Code  CSeq.method    From user  R-URI user
 *   1795..   0           a,b,a            180,180,200  INVITE,INVITE,INVITE ...
 *
 * Only the Call-ID, CSeq and From are in every message; the Method and
 * R-URI are a request's, the Status-Code a response's. The values pair up
 * when a frame holds requests only or responses only, as one direction
 * of these flows does (caller: requests, callee: responses), and a frame
 * holding both fails the test rather than be misread.
 */
static void read_oracle(const char *pcap, struct oracle *o)
{
	struct cs_run r;
	char *argv[] = { (char *)TSHARK, "-n", "-r", (char *)pcap, "-Y", "sip", "-T", "fields", "-E", "occurrence=a",
			 "-E", "aggregator=,", "-e", "frame.time_epoch", "-e", "tcp.stream", "-e", "sip.Call-ID", "-e",
			 "sip.Method", "-e", "sip.Status-Code", "-e", "sip.CSeq.method", "-e", "sip.from.user", "-e",
			 "sip.r-uri.user", NULL };

	memset(o, 0, sizeof(*o));
	cr_assert_eq(cs_run(argv, &r), 0, "cannot run tshark");
	cr_assert_eq(r.status, 0, "tshark failed: %s", r.err);
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		char *f[8];
		for (size_t i = 0; i < 8; i++) {
			f[i] = strsep(&line, "\t");
			cr_assert_not_null(f[i], "tshark line with %zu fields", i);
		}
		int64_t t = epoch_us(f[0]);
		unsigned int messages = values_in(f[2]), requests = values_in(f[3]), responses = values_in(f[4]);

		cr_assert(requests + responses == messages && (requests == 0 || responses == 0),
			  "a frame at %s with %u requests and %u responses in %u SIP messages: its fields do not pair up",
			  f[0], requests, responses, messages);
		o->sip_messages += messages;
		if (f[1][0] != '\0') {
			unsigned long stream = strtoul(f[1], NULL, 10);
			cr_assert_lt(stream, MAX_CONNECTIONS, "tcp.stream %s", f[1]);
			o->tcp_connections += !o->tcp_stream_seen[stream];
			o->tcp_stream_seen[stream] = true;
			o->tcp_messages += messages;
		}
		for (unsigned int i = 0; i < messages; i++) {
			struct sip_message m = { .call_id = next_value(&f[2]),
						 .method = next_value(&f[3]),
						 .code = (unsigned int)strtoul(next_value(&f[4]), NULL, 10),
						 .cseq_method = next_value(&f[5]),
						 .from_user = next_value(&f[6]),
						 .ruri_user = next_value(&f[7]) };
			read_message(o, &m, t);
		}
	}
	cs_run_free(&r);
}

/* The value of "key" in a one-line JSON record, without quotes; false when the record has no such field. */
static bool field(const char *record, const char *key, char *out, size_t cap)
{
	char pattern[40];

	snprintf(pattern, sizeof(pattern), "\"%s\":", key);
	const char *p = strstr(record, pattern);
	if (p == NULL)
		return false;
	p += strlen(pattern);
	bool quoted = *p == '"';
	p += quoted;
	size_t n = strcspn(p, quoted ? "\"" : ",}");
	cr_assert_lt(n, cap, "%s too long in %s", key, record);
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

/* "2026-11-27T01:53:12.334068Z" -> microseconds since the epoch */
static int64_t record_us(const char *s)
{
	struct tm tm = { 0 };
	int us;

	cr_assert_eq(sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d.%6dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			    &tm.tm_min, &tm.tm_sec, &us),
		     7, "record time: %s", s);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm) * 1000000 + us;
}

/* A record's time field equals tshark's frame time, or both are absent. */
static void expect_time(const char *record, const char *key, int64_t want_us)
{
	char value[40];
	bool present = field(record, key, value, sizeof(value));

	cr_expect_eq(present, want_us != 0, "%s %s, tshark %s it:\n%s", key, present ? "recorded" : "missing",
		     want_us != 0 ? "saw" : "did not see", record);
	if (present && want_us != 0)
		cr_expect_eq(record_us(value), want_us, "%s %s, tshark's frame at %lld.%06lld:\n%s", key, value,
			     (long long)(want_us / 1000000), (long long)(want_us % 1000000), record);
}

/* What cdrsentry's default numbering plan makes of a user part: "+" and the international prefix "00" go. */
static const char *e164(const char *user)
{
	if (user[0] == '+')
		return user + 1;
	return strncmp(user, "00", 2) == 0 ? user + 2 : user;
}

static void expect_string(const char *record, const char *key, const char *want)
{
	char value[128];
	bool present = field(record, key, value, sizeof(value));

	if (want == NULL) {
		cr_expect(!present, "unexpected %s in:\n%s", key, record);
		return;
	}
	cr_expect(present && strcmp(value, want) == 0, "%s: want %s in:\n%s", key, want, record);
}

static void check_call(const char *record, struct oracle *o, const struct scenario *s, const struct transport *t)
{
	char call_id[128], value[40];

	cr_assert(field(record, "call_id", call_id, sizeof(call_id)), "%s", record);
	struct dialog *d = dialog_of(o, call_id);
	cr_assert_not_null(d, "a record of a call tshark did not see:\n%s", record);
	cr_expect(!d->recorded, "a second record of %s", call_id);
	d->recorded = true;

	/* the numbers as SIPp dialled them, in E.164 */
	cr_expect_eq(strncmp(d->from_user, CALLING, strlen(CALLING)), 0, "tshark's From user: %s", d->from_user);
	cr_expect_eq(strncmp(d->ruri_user, CALLED, strlen(CALLED)), 0, "tshark's Request-URI user: %s", d->ruri_user);
	expect_string(record, "caller", e164(d->from_user));
	expect_string(record, "callee", e164(d->ruri_user));

	expect_time(record, "setup_time", d->setup_us);
	expect_time(record, "ringing_time", d->ringing_us);
	expect_time(record, "answer_time", d->answer_us);
	expect_time(record, "end_time", d->end_us);
	snprintf(value, sizeof(value), "%u", s->status);
	expect_string(record, "status", value);
	cr_expect_eq(d->status, s->status, "tshark: final response %u to %s", d->status, call_id);
	expect_string(record, "outcome", s->outcome);
	expect_string(record, "ended_by", s->ended_by);
	expect_string(record, "transport", t->name);

	if (d->answer_us == 0) {
		expect_string(record, "duration_s", NULL);
		return;
	}
	/* answered: from the 200 to the BYE, which SIPp sends -d after its ACK */
	cr_assert(field(record, "duration_s", value, sizeof(value)), "%s", record);
	double duration = strtod(value, NULL);
	cr_expect_eq((int64_t)(duration * 1e6 + 0.5), d->end_us - d->answer_us, "duration_s %s, tshark %lld us:\n%s", value,
		     (long long)(d->end_us - d->answer_us), record);
	cr_expect(duration >= s->pause_ms / 1000.0 - 0.005 && duration <= s->pause_ms / 1000.0 + 0.5,
		  "duration_s %s for sipp -d %u", value, s->pause_ms);
}

static unsigned long long stat_of(const char *stats, const char *key)
{
	char value[24];

	cr_assert(field(stats, key, value, sizeof(value)), "stats.json lacks %s", key);
	return strtoull(value, NULL, 10);
}

/* The whole test: calls over t, capture, replay, and every record against tshark. */
static void check_scenario(const struct scenario *s, const struct transport *t)
{
	char pcap[96], out[96], path[128];
	struct oracle o;
	struct cs_run r;

	snprintf(pcap, sizeof(pcap), "%s/sip.pcap", run.dir);
	snprintf(out, sizeof(out), "%s/out", run.dir);
	place_calls(s, t, pcap);

	read_oracle(pcap, &o);
	cr_assert_eq(o.dialogs, CALLS, "tshark sees %u INVITE dialogs, SIPp placed %d", o.dialogs, CALLS);

	char *argv[] = { (char *)cs_env("CDRSENTRY_BIN"), "replay", "--out", out, pcap, NULL };
	cr_assert_eq(cs_run(argv, &r), 0);
	cr_assert_eq(r.status, 0, "cdrsentry replay exited %d:\n%s", r.status, r.err);
	cs_run_free(&r);

	snprintf(path, sizeof(path), "%s/cdr.jsonl", out);
	char *cdr = slurp(path, NULL);
	unsigned int calls = 0;
	char *save = NULL;
	for (char *line = strtok_r(cdr, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		cr_assert_eq(strncmp(line, "{\"type\":\"call\",", strlen("{\"type\":\"call\",")), 0,
			     "only call records expected:\n%s", line);
		check_call(line, &o, s, t);
		calls++;
	}
	cr_expect_eq(calls, o.dialogs, "%u call records for %u INVITE dialogs", calls, o.dialogs);
	free(cdr);

	/* each SIP message tshark decodes was decoded; the marker is the one datagram on another port */
	snprintf(path, sizeof(path), "%s/stats.json", out);
	char *stats = slurp(path, NULL);
	cr_expect_eq(stat_of(stats, "sip_messages"), o.sip_messages, "tshark decodes %u SIP messages", o.sip_messages);
	cr_expect_eq(stat_of(stats, "l4.not_mobile_core_port"), 1, "only the marker is not SIP");
	cr_expect_eq(stat_of(stats, "sip_calls_timed_out"), 0);
	cr_expect_eq(stat_of(stats, "sip_calls_refused"), 0);

	/* over TCP: every message rebuilt from its stream, one flow per connection, the streams never out of step */
	cr_expect_eq(o.tcp_messages, t->connections > 0 ? o.sip_messages : 0,
		     "tshark decodes %u of %u SIP messages over TCP", o.tcp_messages, o.sip_messages);
	cr_expect_eq(o.tcp_connections, t->connections, "tshark sees %u TCP connections, sipp -t %s takes %u",
		     o.tcp_connections, t->sipp, t->connections);
	unsigned long long delivered = stat_of(stats, "messages_delivered"), flows = stat_of(stats, "flows_created");
	cr_expect_eq(delivered, o.tcp_messages, "sip_over_tcp.messages_delivered %llu, tshark decodes %u over TCP",
		     delivered, o.tcp_messages);
	cr_expect_eq(flows, o.tcp_connections, "sip_over_tcp.flows_created %llu, tshark sees %u TCP connections", flows,
		     o.tcp_connections);
	cr_expect_eq(stat_of(stats, "segments_out_of_order"), 0);
	cr_expect_eq(stat_of(stats, "bytes_discarded"), 0);
	free(stats);

	snprintf(path, sizeof(path), "%s/cdr.jsonl", out);
	char *validate[] = { "/usr/bin/python3", (char *)CS_SOURCE_PATH("tests/tools/validate_json.py"),
			     (char *)CS_SOURCE_PATH("schemas"), path, NULL };
	cr_assert_eq(cs_run(validate, &r), 0);
	cr_expect_eq(r.status, 0, "call records against schemas/call.schema.json:\n%s%s", r.out, r.err);
	cs_run_free(&r);
}

static const struct scenario ANSWERED = { .callee_builtin = "uas", .caller = "tests/sipp/uac.xml",
					 .pause_ms = 1000, .outcome = "answered", .status = 200,
					 .ended_by = "caller" };
static const struct scenario BUSY = { .callee_file = "tests/sipp/uas_busy.xml", .caller = "tests/sipp/uac.xml",
				      .outcome = "rejected", .status = 486, .ended_by = "callee" };
static const struct scenario CANCELLED = { .callee_file = "tests/sipp/uas_ringing.xml",
					   .caller = "tests/sipp/uac_cancel.xml", .pause_ms = 200,
					   .outcome = "cancelled", .status = 487, .ended_by = "caller" };

Test(sipp_peer, answered_calls_match_tshark, .timeout = 60)
{
	check_scenario(&ANSWERED, &UDP);
}

Test(sipp_peer, busy_callee_gives_rejected_486, .timeout = 60)
{
	check_scenario(&BUSY, &UDP);
}

Test(sipp_peer, cancelled_while_ringing, .timeout = 60)
{
	check_scenario(&CANCELLED, &UDP);
}

Test(sipp_peer, answered_calls_over_one_tcp_connection, .timeout = 60)
{
	check_scenario(&ANSWERED, &ONE_TCP_CONNECTION);
}

Test(sipp_peer, busy_callee_over_one_tcp_connection, .timeout = 60)
{
	check_scenario(&BUSY, &ONE_TCP_CONNECTION);
}

Test(sipp_peer, cancelled_over_one_tcp_connection, .timeout = 60)
{
	check_scenario(&CANCELLED, &ONE_TCP_CONNECTION);
}

Test(sipp_peer, answered_calls_over_a_tcp_connection_each, .timeout = 60)
{
	check_scenario(&ANSWERED, &TCP_CONNECTION_PER_CALL);
}

Test(sipp_peer, busy_callee_over_a_tcp_connection_each, .timeout = 60)
{
	check_scenario(&BUSY, &TCP_CONNECTION_PER_CALL);
}

Test(sipp_peer, cancelled_over_a_tcp_connection_each, .timeout = 60)
{
	check_scenario(&CANCELLED, &TCP_CONNECTION_PER_CALL);
}
