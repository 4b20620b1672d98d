/*
 * fuzz.h - shared by the libFuzzer targets: input bytes as a file the
 * tools' own readers open by name (a memfd), and a check that aborts,
 * so a broken invariant is a crash libFuzzer reports and keeps.
 */
#ifndef PB_FUZZ_H
#define PB_FUZZ_H

#define _GNU_SOURCE /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                  \
	do {                                                              \
		if (!(cond)) {                                            \
			fprintf(stderr, "%s:%d: check failed: %s\n",      \
				__FILE__, __LINE__, #cond);               \
			abort();                                          \
		}                                                         \
	} while (0)

/* Write data to an anonymous file; its name goes in path (>= 32 bytes).
 * Returns the descriptor to close afterwards. */
static inline int fuzz_file(const uint8_t *data, size_t size, char *path)
{
	int fd = memfd_create("pb-fuzz", 0);
	size_t off = 0;

	FUZZ_CHECK(fd >= 0);
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		FUZZ_CHECK(n > 0);
		off += (size_t)n;
	}
	snprintf(path, 32, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
