/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Runs a libFuzzer target without libFuzzer, so every build (gcc, and the
 * ASan/UBSan build) exercises each decoder's fuzz target in the test suite:
 *
 *   1. every seed file of the corpus directories given as arguments;
 *   2. every prefix of every seed (truncation at every offset);
 *   3. CS_FUZZ_RUNS (default 100000) mutated seeds: bit flips, random bytes,
 *      inserted and deleted runs, length fields pushed to extremes; from a
 *      fixed seed, so a failure reproduces.
 *
 * A crash, sanitizer report or hang fails the test. Real coverage-guided
 * fuzzing uses the same target with clang: scripts/fuzz.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* optional, as in libFuzzer: a target with state to set up defines it */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

enum { FUZZ_MAX_SEEDS = 512, FUZZ_MAX_INPUT = 65536 };

struct seed {
	uint8_t *data;
	size_t len;
};

static uint64_t rng_state = 0x5eed5eed5eedull;

static uint64_t next_random(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Runs one input from its own heap copy, so ASan sees reads past its end. */
static void run(const uint8_t *data, size_t len)
{
	uint8_t *copy = malloc(len > 0 ? len : 1);

	if (copy == NULL)
		abort();
	memcpy(copy, data, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

static size_t load_dir(const char *dir, struct seed *seeds, size_t n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d == NULL) {
		fprintf(stderr, "fuzz: cannot open corpus %s\n", dir);
		exit(2);
	}
	while ((e = readdir(d)) != NULL && n < FUZZ_MAX_SEEDS) {
		char path[4096];
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (f == NULL)
			continue;
		seeds[n].data = malloc(FUZZ_MAX_INPUT);
		seeds[n].len = fread(seeds[n].data, 1, FUZZ_MAX_INPUT, f);
		fclose(f);
		n++;
	}
	closedir(d);
	return n;
}

static size_t mutate(uint8_t *buf, size_t len)
{
	unsigned int rounds = 1 + (unsigned int)(next_random() % 4);

	for (unsigned int r = 0; r < rounds; r++) {
		size_t at = len > 0 ? next_random() % len : 0;

		switch (next_random() % 6) {
		case 0: /* flip a bit */
			if (len > 0)
				buf[at] ^= (uint8_t)(1u << (next_random() % 8));
			break;
		case 1: /* random byte */
			if (len > 0)
				buf[at] = (uint8_t)next_random();
			break;
		case 2: /* extreme value, as length fields love */
			if (len > 0)
				buf[at] = (next_random() & 1) ? 0xff : 0x00;
			break;
		case 3: /* truncate */
			len = at;
			break;
		case 4: { /* delete a run */
			size_t n = 1 + next_random() % 16;
			if (at + n <= len) {
				memmove(buf + at, buf + at + n, len - at - n);
				len -= n;
			}
			break;
		}
		default: { /* insert a run of random bytes */
			size_t n = 1 + next_random() % 16;
			if (len + n <= FUZZ_MAX_INPUT) {
				memmove(buf + at + n, buf + at, len - at);
				for (size_t i = 0; i < n; i++)
					buf[at + i] = (uint8_t)next_random();
				len += n;
			}
			break;
		}
		}
	}
	return len;
}

int main(int argc, char **argv)
{
	static struct seed seeds[FUZZ_MAX_SEEDS];
	static uint8_t buf[FUZZ_MAX_INPUT];
	size_t nseeds = 0;
	const char *env = getenv("CS_FUZZ_RUNS");
	unsigned long runs = env != NULL ? strtoul(env, NULL, 10) : 100000;
	unsigned long prefixes = 0;

	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		nseeds = load_dir(argv[i], seeds, nseeds);
	if (nseeds == 0) {
		fprintf(stderr, "fuzz: no seeds in the corpus directories given\n");
		return 2;
	}
	for (size_t s = 0; s < nseeds; s++) {
		for (size_t cut = 0; cut <= seeds[s].len; cut++, prefixes++)
			run(seeds[s].data, cut);
	}
	for (unsigned long i = 0; i < runs; i++) {
		const struct seed *s = &seeds[next_random() % nseeds];
		memcpy(buf, s->data, s->len);
		run(buf, mutate(buf, s->len));
	}
	for (size_t s = 0; s < nseeds; s++)
		free(seeds[s].data);
	printf("fuzz: %zu seeds, %lu prefixes, %lu mutations: 1 passed, 0 failed\n", nseeds, prefixes, runs);
	return 0;
}
