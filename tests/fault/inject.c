/*
 * inject.c - an LD_PRELOAD shim that makes system and library calls fail
 * on purpose, to test that every pb tool fails cleanly (exit 3, a message,
 * no output it claims is complete) and that pb-ledger's books survive.
 *
 *   LD_PRELOAD=build/fault/inject.so PB_FAULT=SPEC[,SPEC...] pb-ledger ...
 *
 * A SPEC is  CALL:N  (the Nth call fails),  CALL:N+  (the Nth and every
 * later one fails), and either may end in  :kill  (the process is killed
 * with SIGKILL at the Nth call, before making it: a crash at that exact
 * point) or  :ERRNO  (that errno instead of the usual one: EIO, ENOSPC,
 * EDQUOT, EFBIG, ENOMEM, EINTR, EAGAIN).  N counts from 1.  CALL is
 *
 *   write      write(2), writev(2)                       fails ENOSPC
 *   pwrite     pwrite(2), pwrite64, pwritev(2)           fails ENOSPC
 *   fsync      fsync(2)                                  fails EIO
 *   fdatasync  fdatasync(2)                              fails EIO
 *   fflush     fflush(3): the buffered data is lost      fails ENOSPC
 *   fclose     fclose(3): the buffered data is lost, the
 *              stream is closed all the same             fails ENOSPC
 *   malloc     malloc(3), calloc(3), realloc(3)          fails ENOMEM
 *
 * or a class, counted as one sequence of calls in the order made:
 *   writes = write + pwrite,  syncs = fsync + fdatasync,
 *   io = writes + syncs (every call that puts data on a disk).
 *
 * PB_FAULT_COUNT=FILE appends, when the process exits normally, one line
 * per CALL and class, "NAME COUNT" (the calls made), and "fired K", the
 * number of calls the shim made fail.  A sweep runs a command with
 * io:1, io:2, ... until "fired 0": every point of failure is then tried.
 *
 * PB_FAULT_NOSYNC=1 makes fsync and fdatasync succeed without syncing
 * (still counted, and made to fail as asked): a sweep of hundreds of
 * runs that never cuts the power need not wait for the disk.
 *
 * Only calls made through the dynamic symbol table are seen: the program's
 * own, SQLite's, jansson's, libcsv's.  glibc's stdio writes its buffers
 * with internal calls this shim cannot intercept: fail standard output
 * with >/dev/full, or with fflush/fclose here.  None of these variables
 * set: the shim only passes calls on.  Calls made before it has read the
 * environment (a sanitizer's start-up) are passed on and not counted.
 * It depends on nothing but libc and libdl.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

enum call { C_WRITE, C_PWRITE, C_FSYNC, C_FDATASYNC, C_FFLUSH, C_FCLOSE,
	    C_MALLOC, C_N };

/* The names a SPEC may give: a call, or a class of them. */
static const struct {
	const char *name;
	unsigned mask;
} classes[] = {
	{"write", 1u << C_WRITE},
	{"pwrite", 1u << C_PWRITE},
	{"fsync", 1u << C_FSYNC},
	{"fdatasync", 1u << C_FDATASYNC},
	{"fflush", 1u << C_FFLUSH},
	{"fclose", 1u << C_FCLOSE},
	{"malloc", 1u << C_MALLOC},
	{"writes", 1u << C_WRITE | 1u << C_PWRITE},
	{"syncs", 1u << C_FSYNC | 1u << C_FDATASYNC},
	{"io", 1u << C_WRITE | 1u << C_PWRITE | 1u << C_FSYNC |
	       1u << C_FDATASYNC},
};
#define NCLASS (sizeof classes / sizeof classes[0])

/* The errno a real failure of each call gives (a class: its call's). */
static const int call_err[C_N] = {ENOSPC, ENOSPC, EIO, EIO, ENOSPC, ENOSPC,
				  ENOMEM};

static const struct {
	const char *name;
	int err;
} errnos[] = {
	{"EIO", EIO}, {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EFBIG", EFBIG},
	{"ENOMEM", ENOMEM}, {"EINTR", EINTR}, {"EAGAIN", EAGAIN},
};

#define MAXSPEC 8
static struct spec {
	unsigned mask;
	unsigned long n;       /* the call that fails */
	int from;              /* and every later one */
	int kill;              /* SIGKILL instead of failing */
	int err;               /* 0: the call's usual errno */
	unsigned long seen;
} specs[MAXSPEC];
static size_t nspec;

static int active;             /* any of the variables given */
static int nosync;             /* PB_FAULT_NOSYNC=1 */
static int ready;              /* inject_init has read the environment */
static unsigned long counts[NCLASS];
static unsigned long fired;
static const char *count_path;

/* ---- the real functions ------------------------------------------------ */

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_fflush)(FILE *);
static int (*real_fclose)(FILE *);
static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/*
 * dlsym may allocate: while it runs, allocations come from this arena
 * (never freed; free() recognises its pointers and ignores them).
 */
static _Alignas(16) char arena[16384];
static size_t arena_used;
static int resolving;

static void *arena_alloc(size_t n)
{
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (need > sizeof arena - arena_used)
		return NULL;
	p = arena + arena_used;
	arena_used += need;
	return p;
}

static int in_arena(const void *p)
{
	return (const char *)p >= arena && (const char *)p < arena + sizeof arena;
}

#define RESOLVE(f) (*(void **)&real_##f = dlsym(RTLD_NEXT, #f))

static void resolve(void)
{
	if (real_free)
		return;
	resolving = 1;
	RESOLVE(malloc);
	RESOLVE(calloc);
	RESOLVE(realloc);
	RESOLVE(write);
	RESOLVE(writev);
	RESOLVE(pwrite);
	RESOLVE(pwrite64);
	RESOLVE(pwritev);
	RESOLVE(fsync);
	RESOLVE(fdatasync);
	RESOLVE(fflush);
	RESOLVE(fclose);
	RESOLVE(free);
	resolving = 0;
}

/* ---- the specification --------------------------------------------------- */

static void bad_spec(const char *s)
{
	static const char msg[] = "inject.so: bad PB_FAULT (CALL:N[+][:kill|:ERRNO],...): ";

	resolve();
	real_write(2, msg, sizeof msg - 1);
	real_write(2, s, strlen(s));
	real_write(2, "\n", 1);
	_exit(125);
}

/* One SPEC from s up to the next ',' or the end; returns the rest. */
static const char *parse_spec(const char *s, const char *all)
{
	struct spec *sp;
	size_t len, i;
	char *end;

	if (nspec == MAXSPEC)
		bad_spec(all);
	sp = &specs[nspec++];
	len = strcspn(s, ":");
	for (i = 0; i < NCLASS; i++)
		if (strlen(classes[i].name) == len &&
		    strncmp(s, classes[i].name, len) == 0)
			break;
	if (i == NCLASS || s[len] != ':' || s[len + 1] < '1' || s[len + 1] > '9')
		bad_spec(all);
	sp->mask = classes[i].mask;
	sp->n = strtoul(s + len + 1, &end, 10);
	if (*end == '+') {
		sp->from = 1;
		end++;
	}
	if (*end == ':') {
		const char *w = end + 1;
		size_t wl = strcspn(w, ",");

		if (wl == 4 && strncmp(w, "kill", 4) == 0) {
			sp->kill = 1;
		} else {
			for (i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
				if (strlen(errnos[i].name) == wl &&
				    strncmp(w, errnos[i].name, wl) == 0)
					break;
			if (i == sizeof errnos / sizeof errnos[0])
				bad_spec(all);
			sp->err = errnos[i].err;
		}
		end = (char *)w + wl;
	}
	if (*end == ',')
		return end + 1;
	if (*end)
		bad_spec(all);
	return NULL;
}

static void setup(void)
{
	const char *s;

	resolve();
	count_path = getenv("PB_FAULT_COUNT");
	if (count_path && !*count_path)
		count_path = NULL;
	nosync = (s = getenv("PB_FAULT_NOSYNC")) && strcmp(s, "1") == 0;
	s = getenv("PB_FAULT");
	if (s && *s) {
		const char *p = s;

		while (p)
			p = parse_spec(p, s);
	}
	active = nspec > 0 || count_path || nosync;
	ready = 1;
}

__attribute__((constructor)) static void inject_init(void)
{
	setup();
}

static void put_line(int fd, const char *name, unsigned long n)
{
	char line[64];
	int len = snprintf(line, sizeof line, "%s %lu\n", name, n);

	if (len > 0)
		(void)!real_write(fd, line, (size_t)len);
}

__attribute__((destructor)) static void inject_fini(void)
{
	int fd;
	size_t i;

	if (!count_path)
		return;
	fd = open(count_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	for (i = 0; i < NCLASS; i++)
		put_line(fd, classes[i].name, counts[i]);
	put_line(fd, "fired", fired);
	close(fd);
}

/*
 * Count a call; 0: make it, else the errno it fails with (after a
 * SIGKILL when asked).
 */
static int fault(enum call c)
{
	unsigned bit = 1u << c;
	int err = 0;
	size_t i;

	if (!ready || !active)
		return 0;
	for (i = 0; i < NCLASS; i++)
		if (classes[i].mask & bit)
			counts[i]++;
	for (i = 0; i < nspec; i++) {
		struct spec *sp = &specs[i];

		if (!(sp->mask & bit))
			continue;
		sp->seen++;
		if (sp->seen == sp->n || (sp->from && sp->seen > sp->n)) {
			if (sp->kill)
				kill(getpid(), SIGKILL);
			if (!err)
				err = sp->err ? sp->err : call_err[c];
		}
	}
	if (err)
		fired++;
	return err;
}

/* ---- the calls ------------------------------------------------------------- */

#define FAIL_IF(c, ret)                         \
	do {                                    \
		int err_ = fault(c);            \
		if (err_) {                     \
			errno = err_;           \
			return ret;             \
		}                               \
	} while (0)

ssize_t write(int fd, const void *buf, size_t n)
{
	FAIL_IF(C_WRITE, -1);
	return real_write(fd, buf, n);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	FAIL_IF(C_WRITE, -1);
	return real_writev(fd, iov, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	FAIL_IF(C_PWRITE, -1);
	return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	FAIL_IF(C_PWRITE, -1);
	return real_pwrite64(fd, buf, n, off);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	FAIL_IF(C_PWRITE, -1);
	return real_pwritev(fd, iov, n, off);
}

int fsync(int fd)
{
	FAIL_IF(C_FSYNC, -1);
	return nosync ? 0 : real_fsync(fd);
}

int fdatasync(int fd)
{
	FAIL_IF(C_FDATASYNC, -1);
	return nosync ? 0 : real_fdatasync(fd);
}

/* A stream's write fails: its buffered data is lost, its error flag set. */
static void lose_buffer(FILE *fp)
{
	__fpurge(fp);
#ifdef _IO_ERR_SEEN
	fp->_flags |= _IO_ERR_SEEN;
#endif
}

int fflush(FILE *fp)
{
	int err = fault(C_FFLUSH);

	if (!err)
		return real_fflush(fp);
	if (fp)
		lose_buffer(fp);
	errno = err;
	return EOF;
}

int fclose(FILE *fp)
{
	int err = fault(C_FCLOSE);

	if (!err)
		return real_fclose(fp);
	lose_buffer(fp);
	real_fclose(fp);
	errno = err;
	return EOF;
}

void *malloc(size_t n)
{
	if (resolving)
		return arena_alloc(n);
	if (!real_malloc)
		resolve();
	FAIL_IF(C_MALLOC, NULL);
	return real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (resolving) {
		void *p = size && n > (size_t)-1 / size ? NULL
			  : arena_alloc(n * size);

		if (p)
			memset(p, 0, n * size);
		return p;
	}
	if (!real_calloc)
		resolve();
	FAIL_IF(C_MALLOC, NULL);
	return real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (resolving || in_arena(p)) {
		void *q = malloc(n);

		/* An arena block is at most what is left of the arena. */
		if (q && p)
			memcpy(q, p, n < (size_t)(arena + sizeof arena - (char *)p)
					     ? n : (size_t)(arena + sizeof arena - (char *)p));
		return q;
	}
	if (!real_realloc)
		resolve();
	FAIL_IF(C_MALLOC, NULL);
	return real_realloc(p, n);
}

void free(void *p)
{
	if (!p || in_arena(p))
		return;
	if (!real_free)
		resolve();
	real_free(p);
}
