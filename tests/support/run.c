/* SPDX-License-Identifier: Apache-2.0 */
#include "run.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

extern char **environ;

char *cs_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (cap + 4096) * 2;
			buf = realloc(buf, cap);
			cr_assert_not_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

int cs_split_fields(char *line, char sep, char **field, int n)
{
	int k = 0;

	while (k < n) {
		field[k++] = line;
		line = strchr(line, sep);
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return k;
}

int cs_run(char *const argv[], struct cs_run *r)
{
	char out_path[] = "/tmp/cs-run-out.XXXXXX", err_path[] = "/tmp/cs-run-err.XXXXXX";
	int out_fd = mkstemp(out_path), err_fd = mkstemp(err_path);
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int ws;

	memset(r, 0, sizeof(*r));
	if (out_fd < 0 || err_fd < 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, err_fd, STDERR_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out_fd);
	close(err_fd);
	if (rc == 0 && waitpid(pid, &ws, 0) == pid)
		r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	else
		rc = -1;
	r->out = cs_read_file(out_path, NULL);
	r->err = cs_read_file(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	return rc == 0 && r->out != NULL && r->err != NULL ? 0 : -1;
}

int cs_spawn(char *const argv[], const char *out_path, const char *err_path)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? (int)pid : -1;
}

int cs_wait(int pid)
{
	int ws;

	if (waitpid(pid, &ws, 0) != pid)
		return -1;
	return WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
}

void cs_run_free(struct cs_run *r)
{
	free(r->out);
	free(r->err);
}

const char *cs_env(const char *name)
{
	const char *v = getenv(name);

	cr_assert(v != NULL && v[0] != '\0', "environment variable %s is not set (run the tests through meson test%s)",
		  name, strcmp(name, "CDRSENTRY_TEST_KAFKA") == 0 ? " under scripts/with-kafka" : "");
	return v;
}

const char *cs_source_path(struct cs_path *buf, const char *rel)
{
	snprintf(buf->s, sizeof(buf->s), "%s/%s", cs_env("CDRSENTRY_SOURCE_ROOT"), rel);
	return buf->s;
}

void cs_temp_dir(char dir[CS_TEMP_DIR_LEN], const char *tag)
{
	snprintf(dir, CS_TEMP_DIR_LEN, "/tmp/cs-%s.XXXXXX", tag);
	cr_assert_not_null(mkdtemp(dir), "cannot make a directory like %s", dir);
}

void cs_remove_tree(const char *dir)
{
	char cmd[CS_TEMP_DIR_LEN + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0, "%s", cmd);
}

char *cs_read_output(const char *dir, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *text = cs_read_file(path, NULL);
	cr_assert_not_null(text, "%s was not written", path);
	return text;
}

void cs_run_ok(char *const argv[])
{
	struct cs_run r;

	cr_assert_eq(cs_run(argv, &r), 0, "cannot run %s", argv[0]);
	cr_assert_eq(r.status, 0, "%s: exit %d\nstderr:\n%s", argv[0], r.status, r.err);
	cs_run_free(&r);
}

int cs_count(const char *text, const char *needle)
{
	int n = 0;

	for (const char *p = text; p != NULL && (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

void cs_json_str(const char *line, const char *key, char *out, size_t cap)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "\"%s\":\"", key);
	const char *v = strstr(line, needle);
	out[0] = '\0';
	if (v != NULL)
		snprintf(out, cap, "%.*s", (int)strcspn(v + strlen(needle), "\""), v + strlen(needle));
}

long long cs_json_int(const char *text, const char *key)
{
	char needle[96];

	snprintf(needle, sizeof(needle), "\"%s\":", key);
	const char *p = strstr(text, needle);
	return p == NULL ? -1 : strtoll(p + strlen(needle), NULL, 10);
}
