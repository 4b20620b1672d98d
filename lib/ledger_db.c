/*
 * ledger_db.c - pb-ledger's SQLite store: the schema, opening and
 * creating the file (mode 0600, WAL), one transaction per command, the
 * runs table, SQLite errors as pb errors, and the one function that
 * writes a transaction and its postings.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger_int.h"

const char *const pb_stream_names[PB_NSTREAMS] = {
	"social_care", "health", "s117"
};

/*
 * The schema.  Dates are text (YYYY-MM-DD), money integer pence.  The
 * triggers make every table append-only: a correction is a reversal.
 */
static const char schema_sql[] =
	"CREATE TABLE schema_version (version INTEGER NOT NULL);\n"
	"INSERT INTO schema_version VALUES (1);\n"
	"CREATE TABLE runs (\n"
	"  run INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  command TEXT NOT NULL,\n"
	"  rows INTEGER NOT NULL,\n"
	"  version TEXT NOT NULL\n"
	");\n"
	"CREATE TABLE allocations (\n"
	"  allocation_id TEXT PRIMARY KEY,\n"
	"  person_id TEXT NOT NULL,\n"
	"  start_date TEXT NOT NULL,\n"
	"  review_date TEXT,\n"
	"  indicative_weekly INTEGER,\n"
	"  weekly_amount INTEGER NOT NULL CHECK (weekly_amount >= 0),\n"
	"  social_care INTEGER NOT NULL CHECK (social_care >= 0),\n"
	"  health INTEGER NOT NULL CHECK (health >= 0),\n"
	"  s117 INTEGER NOT NULL CHECK (s117 >= 0),\n"
	"  client_contribution_weekly INTEGER NOT NULL,\n"
	"  delivery_mechanism TEXT NOT NULL,\n"
	"  payment_every_weeks INTEGER NOT NULL CHECK (payment_every_weeks > 0),\n"
	"  first_payment_date TEXT NOT NULL,\n"
	"  payment_amount INTEGER NOT NULL CHECK (payment_amount >= 0),\n"
	"  override_reason TEXT NOT NULL,\n"
	"  ras_version TEXT NOT NULL,\n"
	"  funding_version TEXT NOT NULL,\n"
	"  flags TEXT NOT NULL,\n"
	"  run INTEGER NOT NULL,\n"
	"  UNIQUE (person_id, start_date),\n"
	"  CHECK (social_care + health + s117 = weekly_amount)\n"
	");\n"
	"CREATE TABLE accounts (\n"
	"  account INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('dp', 'council', 'spend',\n"
	"                            'contribution', 'recovered')),\n"
	"  person_id TEXT\n"
	");\n"
	"CREATE INDEX accounts_person ON accounts (kind, person_id);\n"
	"CREATE TABLE txns (\n"
	"  txn INTEGER PRIMARY KEY,\n"
	"  source TEXT NOT NULL,\n"
	"  txn_id TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('payment', 'import', 'reclaim',\n"
	"                            'reversal')),\n"
	"  class TEXT NOT NULL CHECK (class IN ('paid_in', 'contribution',\n"
	"                             'spent', 'recovered')),\n"
	"  person_id TEXT NOT NULL,\n"
	"  date TEXT NOT NULL CHECK (date GLOB\n"
	"    '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),\n"
	"  amount INTEGER NOT NULL,\n"
	"  category TEXT NOT NULL,\n"
	"  payee TEXT NOT NULL,\n"
	"  description TEXT NOT NULL,\n"
	"  allocation_id TEXT REFERENCES allocations (allocation_id),\n"
	"  period INTEGER,\n"
	"  reverses INTEGER REFERENCES txns (txn),\n"
	"  reason TEXT,\n"
	"  run INTEGER NOT NULL,\n"
	"  UNIQUE (source, txn_id)\n"
	");\n"
	"CREATE UNIQUE INDEX txns_payment ON txns (allocation_id, period)\n"
	"  WHERE kind = 'payment';\n"
	"CREATE UNIQUE INDEX txns_reverses ON txns (reverses)\n"
	"  WHERE reverses IS NOT NULL;\n"
	"CREATE INDEX txns_person ON txns (person_id, date);\n"
	"CREATE INDEX txns_date ON txns (date);\n"
	"CREATE TABLE postings (\n"
	"  txn INTEGER NOT NULL REFERENCES txns (txn),\n"
	"  account INTEGER NOT NULL REFERENCES accounts (account),\n"
	"  amount INTEGER NOT NULL CHECK (amount <> 0),\n"
	"  PRIMARY KEY (txn, account)\n"
	") WITHOUT ROWID;\n"
	"CREATE INDEX postings_account ON postings (account, txn);\n"
#define NO_CHANGE(t)                                                       \
	"CREATE TRIGGER " t "_no_update BEFORE UPDATE ON " t                 \
	" BEGIN SELECT RAISE(ABORT, 'the books are append-only:"             \
	" post a reversal'); END;\n"                                          \
	"CREATE TRIGGER " t "_no_delete BEFORE DELETE ON " t                 \
	" BEGIN SELECT RAISE(ABORT, 'the books are append-only:"             \
	" post a reversal'); END;\n"
	NO_CHANGE("schema_version") NO_CHANGE("runs")
	NO_CHANGE("allocations") NO_CHANGE("accounts") NO_CHANGE("txns")
	NO_CHANGE("postings");
#undef NO_CHANGE

/* ---- errors ------------------------------------------------------------ */

int pb_ledger_dberr(struct pb_ledger *l, int rc, struct pb_error *e)
{
	const char *msg = l && l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);

	pb_error_clear(e);
	if (l)
		pb_error_at(e, l->path, 0, NULL);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return pb_error_set(e, PB_EIO,
			"database is busy: still locked by another process after waiting %ld s; try again later",
			l ? l->wait_ms / 1000 : 0L);
	case SQLITE_FULL:
		return pb_error_set(e, PB_EIO, "cannot write: %s", msg);
	case SQLITE_READONLY:
		return pb_error_set(e, PB_EIO,
				    "cannot write: the database is read-only");
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		return pb_error_set(e, PB_EIO, "cannot open: %s", msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return pb_error_set(e, PB_EIO, "database is damaged: %s", msg);
	}
	/* sum() over amounts each within the limit, too many of them */
	if (strcmp(msg, "integer overflow") == 0)
		return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
	return pb_error_set(e, PB_EIO, "database error: %s", msg);
}

/*
 * Step a statement: 1 with a row, 0 at its end (it is then reset), or
 * the error (it is reset too).
 */
int pb_ledger_step_row(struct pb_ledger *l, sqlite3_stmt *st,
		       struct pb_error *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	rc = pb_ledger_dberr(l, rc, e);
	sqlite3_reset(st);
	return rc;
}

/* Run a statement that returns no rows (or whose rows are not wanted). */
int pb_ledger_step_done(struct pb_ledger *l, sqlite3_stmt *st,
			struct pb_error *e)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		rc = pb_ledger_dberr(l, rc, e);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

/* ---- statements --------------------------------------------------------- */

sqlite3_stmt *pb_ledger_stmt(struct pb_ledger *l, enum pb_lst slot,
			     const char *sql, struct pb_error *e)
{
	sqlite3_stmt *st = l->st[slot];
	int rc;

	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		return st;
	}
	rc = sqlite3_prepare_v3(l->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
				NULL);
	if (rc != SQLITE_OK) {
		pb_ledger_dberr(l, rc, e);
		sqlite3_finalize(st);
		return NULL;
	}
	l->st[slot] = st;
	return st;
}

int pb_ledger_bind_text(sqlite3_stmt *st, int i, const char *s, long n)
{
	if (!s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, n < 0 ? -1 : (int)n, SQLITE_TRANSIENT);
}

int pb_ledger_bind_date(sqlite3_stmt *st, int i, int32_t day)
{
	char buf[PB_DATE_BUFSZ];

	return sqlite3_bind_text(st, i, pb_date_format(buf, day), 10,
				 SQLITE_TRANSIENT);
}

const char *pb_ledger_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? (const char *)s : "";
}

int32_t pb_ledger_col_date(sqlite3_stmt *st, int i)
{
	const char *s = pb_ledger_col_text(st, i);
	int32_t d = 0;

	if (pb_date_parse(s, strlen(s), &d, NULL) < 0)
		return 0;
	return d;
}

/* A constant SQL text without parameters, not cached (setup only). */
static int exec_const(struct pb_ledger *l, const char *sql,
		      struct pb_error *e)
{
	sqlite3_stmt *st = NULL;
	const char *tail = sql;
	int rc;

	while (tail && *tail) {
		rc = sqlite3_prepare_v2(l->db, tail, -1, &st, &tail);
		if (rc != SQLITE_OK)
			return pb_ledger_dberr(l, rc, e);
		if (!st)
			break;  /* only white space or comments left */
		rc = pb_ledger_step_done(l, st, e);
		sqlite3_finalize(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- opening ------------------------------------------------------------ */

static struct pb_ledger *ledger_new(const char *path)
{
	struct pb_ledger *l = pb_xcalloc(1, sizeof *l);
	size_t i;

	l->path = pb_xstrdup(path);
	l->acct = pb_strmap_new();
	for (i = 0; i < sizeof l->scratch / sizeof l->scratch[0]; i++)
		pb_buf_init(&l->scratch[i]);
	return l;
}

void pb_ledger_close(struct pb_ledger *l)
{
	size_t i;

	if (!l)
		return;
	if (l->in_txn)
		pb_ledger_rollback(l);
	for (i = 0; i < PB_LST_N; i++)
		sqlite3_finalize(l->st[i]);
	sqlite3_close(l->db);
	pb_strmap_free(l->acct);
	free(l->acct_id);
	for (i = 0; i < sizeof l->scratch / sizeof l->scratch[0]; i++)
		pb_buf_fini(&l->scratch[i]);
	free(l->path);
	free(l);
}

static int set_wait(struct pb_ledger *l, long wait_ms)
{
	l->wait_ms = wait_ms;
	return sqlite3_busy_timeout(l->db, wait_ms > INT32_MAX ? INT32_MAX
							      : (int)wait_ms);
}

/*
 * SQLite allocates through pb_xmalloc: out of memory ends the process
 * (exit 3) before the command's transaction is committed.  Left to
 * itself SQLite reports it, but a value that could not be bound to a
 * statement is NULL and the statement runs all the same: a row stored
 * without the value, a balance read as 0, a person not found.  Each
 * block starts with its size (for xSize), as SQLite's own allocator's.
 */
static void *sqlite_malloc(int n)
{
	int64_t *p = pb_xmalloc((size_t)n + sizeof *p);

	p[0] = n;
	return p + 1;
}

static void sqlite_free(void *p)
{
	if (p)
		free((int64_t *)p - 1);
}

static void *sqlite_realloc(void *p, int n)
{
	int64_t *q = pb_xrealloc((int64_t *)p - 1, (size_t)n + sizeof *q);

	q[0] = n;
	return q + 1;
}

static int sqlite_size(void *p)
{
	return p ? (int)((int64_t *)p)[-1] : 0;
}

static int sqlite_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sqlite_init(void *unused)
{
	(void)unused;
	return SQLITE_OK;
}

static void sqlite_shutdown(void *unused)
{
	(void)unused;
}

static void sqlite_use_xmalloc(void)
{
	static const sqlite3_mem_methods mem = {
		sqlite_malloc, sqlite_free, sqlite_realloc, sqlite_size,
		sqlite_roundup, sqlite_init, sqlite_shutdown, NULL
	};
	static int done;

	/* Before SQLite initialises itself, at the first open. */
	if (!done)
		sqlite3_config(SQLITE_CONFIG_MALLOC, &mem);
	done = 1;
}

static int open_db(struct pb_ledger *l, struct pb_error *e)
{
	int rc;

	sqlite_use_xmalloc();
	/* One connection per process, one thread: no mutexes. */
	rc = sqlite3_open_v2(l->path, &l->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return pb_ledger_dberr(l, rc, e);
	sqlite3_extended_result_codes(l->db, 0);
	return 0;
}

/* Money: a committed command survives a power cut. */
static int set_synchronous(struct pb_ledger *l, struct pb_error *e)
{
	/* A page cache of at most 64 MiB, whatever the batch: a large post
	 * keeps its index pages in memory instead of spilling them. */
	return exec_const(l, "PRAGMA synchronous = FULL;"
			  " PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;", e);
}

static int sidecar_exists(const char *path, const char *suffix)
{
	char *p = pb_xmalloc(strlen(path) + strlen(suffix) + 1);
	struct stat st;
	int r;

	strcpy(p, path);
	strcat(p, suffix);
	r = lstat(p, &st) == 0;
	free(p);
	return r;
}

static void remove_db(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char *p = pb_xmalloc(strlen(path) + 10);

		strcpy(p, path);
		strcat(p, suffix[i]);
		unlink(p);
		free(p);
	}
}

/* A new name in path's directory lasts through a power cut (as SQLite
 * does for its journals, a failure is not an error). */
static void sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = !slash ? pb_xstrdup(".")
		    : pb_xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
	int fd = open(dir, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (fsync(fd) < 0) {
			/* nothing more to do */
		}
		close(fd);
	}
	free(dir);
}

int pb_ledger_create(const char *path, struct pb_ledger **out,
		     struct pb_error *e)
{
	struct pb_ledger *l;
	char *tmp;
	int fd;

	*out = NULL;
	pb_error_clear(e);
	pb_error_at(e, path, 0, NULL);
	if (sidecar_exists(path, ""))
		return pb_error_set(e, PB_EUSAGE,
			"already exists: init never overwrites a database");
	if (sidecar_exists(path, "-wal") || sidecar_exists(path, "-journal"))
		return pb_error_set(e, PB_EUSAGE,
			"a journal of an earlier database ('-wal' or '-journal') is beside it: move it away first");
	/*
	 * Made whole under a name of its own beside it, the database then
	 * takes its name with link(), which never overwrites: an init
	 * killed half way leaves no half-made database that init would
	 * refuse to replace and no command could use (at most the file
	 * PATH.init-PID, which may be removed).
	 */
	tmp = pb_xmalloc(strlen(path) + 32);
	sprintf(tmp, "%s.init-%ld", path, (long)getpid());
	fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0 || close(fd) < 0) {
		int err = errno;

		if (fd >= 0)
			unlink(tmp);
		free(tmp);
		return pb_error_set(e, PB_EIO, "cannot create: %s",
				    strerror(err));
	}
	/* The schema is committed through a rollback journal into the file
	 * itself, then WAL mode is set: nothing is left in a -wal. */
	l = ledger_new(tmp);
	if (open_db(l, e) < 0 || set_synchronous(l, e) < 0 ||
	    exec_const(l, "BEGIN IMMEDIATE;", e) < 0 ||
	    exec_const(l, schema_sql, e) < 0 ||
	    exec_const(l, "COMMIT;", e) < 0 ||
	    exec_const(l, "PRAGMA journal_mode = WAL;", e) < 0) {
		pb_ledger_close(l);
		remove_db(tmp);
		free(tmp);
		pb_error_at(e, path, 0, NULL);
		return -PB_EIO;
	}
	pb_ledger_close(l);
	if (link(tmp, path) < 0) {
		int err = errno;

		remove_db(tmp);
		free(tmp);
		if (err == EEXIST)
			return pb_error_set(e, PB_EUSAGE,
				"already exists: init never overwrites a database");
		return pb_error_set(e, PB_EIO, "cannot create: %s",
				    strerror(err));
	}
	remove_db(tmp);
	free(tmp);
	sync_dir(path);
	if (pb_ledger_open(path, 0, out, e) < 0) {
		remove_db(path);
		return -PB_EIO;
	}
	return 0;
}

int pb_ledger_open(const char *path, long wait_ms, struct pb_ledger **out,
		   struct pb_error *e)
{
	struct pb_ledger *l;
	sqlite3_stmt *st = NULL;
	int rc;
	int64_t version;

	*out = NULL;
	if (access(path, F_OK) < 0) {
		int err = errno;

		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		if (err == ENOENT)
			return pb_error_set(e, PB_EIO,
				"cannot open: No such file or directory (pb-ledger init creates a database)");
		return pb_error_set(e, PB_EIO, "cannot open: %s", strerror(err));
	}
	l = ledger_new(path);
	if (open_db(l, e) < 0) {
		pb_ledger_close(l);
		return -PB_EIO;
	}
	set_wait(l, wait_ms);
	rc = sqlite3_prepare_v2(l->db, "SELECT version FROM schema_version", -1,
				&st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		version = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (version == PB_LEDGER_SCHEMA) {
			if (set_synchronous(l, e) < 0) {
				pb_ledger_close(l);
				return -PB_EIO;
			}
			*out = l;
			return 0;
		}
		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		pb_error_set(e, PB_EUSAGE,
			     "database schema version %lld, this pb-ledger reads version %d",
			     (long long)version, PB_LEDGER_SCHEMA);
		pb_ledger_close(l);
		return -PB_EUSAGE;
	}
	sqlite3_finalize(st);
	if ((rc & 0xff) == SQLITE_ERROR || (rc & 0xff) == SQLITE_NOTADB ||
	    rc == SQLITE_DONE) {
		pb_error_clear(e);
		pb_error_at(e, path, 0, NULL);
		pb_error_set(e, PB_EUSAGE, "not a pb-ledger database");
		pb_ledger_close(l);
		return -PB_EUSAGE;
	}
	pb_ledger_dberr(l, rc, e);
	pb_ledger_close(l);
	return -PB_EIO;
}

/* ---- transactions ------------------------------------------------------- */

static void forget_accounts(struct pb_ledger *l)
{
	pb_strmap_free(l->acct);
	l->acct = pb_strmap_new();
}

int pb_ledger_begin(struct pb_ledger *l, int write, struct pb_error *e)
{
	sqlite3_stmt *st;
	int rc;

	forget_accounts(l);
	if (exec_const(l, write ? "BEGIN IMMEDIATE;" : "BEGIN;", e) < 0)
		return -PB_EIO;
	l->in_txn = write ? 2 : 1;
	if (!write)
		return 0;
	st = pb_ledger_stmt(l, PB_LST_RUN_NEXT,
			    "SELECT coalesce(max(run), 0) + 1 FROM runs", e);
	if (!st)
		goto fail;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		pb_ledger_dberr(l, rc, e);
		goto fail;
	}
	l->run = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = pb_ledger_stmt(l, PB_LST_RUN_FIRST,
			    "SELECT coalesce(max(txn), 0) FROM txns", e);
	if (!st)
		goto fail;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		pb_ledger_dberr(l, rc, e);
		goto fail;
	}
	l->first_txn = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
fail:
	pb_ledger_rollback(l);
	return -PB_EIO;
}

int64_t pb_ledger_run(const struct pb_ledger *l)
{
	return l->run;
}

int pb_ledger_commit(struct pb_ledger *l, const char *command, long rows,
		     struct pb_error *e)
{
	if (l->in_txn == 2 && rows > 0) {
		sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_RUN_ADD,
			"INSERT INTO runs (run, at, command, rows, version) "
			"VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3, ?4)",
			e);

		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, l->run);
		pb_ledger_bind_text(st, 2, command, -1);
		sqlite3_bind_int64(st, 3, rows);
		pb_ledger_bind_text(st, 4, PB_VERSION, -1);
		if (pb_ledger_step_done(l, st, e) < 0)
			goto fail;
	}
	if (exec_const(l, "COMMIT;", e) < 0)
		goto fail;
	l->in_txn = 0;
	return 0;
fail:
	pb_ledger_rollback(l);
	return -PB_EIO;
}

void pb_ledger_rollback(struct pb_ledger *l)
{
	if (l->in_txn && !sqlite3_get_autocommit(l->db))
		sqlite3_exec(l->db, "ROLLBACK;", NULL, NULL, NULL);
	l->in_txn = 0;
	forget_accounts(l);
}

/* ---- accounts and postings ---------------------------------------------- */

const char *pb_ledger_acname(struct pb_ledger *l, int buf, const char *prefix,
			     const char *name)
{
	struct pb_buf *b = &l->scratch[buf];

	pb_buf_reset(b);
	pb_buf_adds(b, prefix);
	pb_buf_adds(b, name);
	return b->s;
}

static void cache_account(struct pb_ledger *l, const char *name, int64_t id)
{
	int added;
	size_t k = pb_strmap_intern(l->acct, name, strlen(name), &added);

	if (k >= l->acct_cap) {
		l->acct_cap = l->acct_cap ? l->acct_cap * 2 : 64;
		while (k >= l->acct_cap)
			l->acct_cap *= 2;
		l->acct_id = pb_xrealloc(l->acct_id,
					 l->acct_cap * sizeof *l->acct_id);
	}
	l->acct_id[k] = id;
}

int pb_ledger_account(struct pb_ledger *l, const char *name,
		      const char *kind, const char *person, int create,
		      int64_t *id, struct pb_error *e)
{
	long k = pb_strmap_get(l->acct, name, strlen(name));
	sqlite3_stmt *st;
	int rc;

	if (k >= 0) {
		*id = l->acct_id[k];
		return 1;
	}
	st = pb_ledger_stmt(l, PB_LST_ACCOUNT_GET,
			    "SELECT account FROM accounts WHERE name = ?1", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, name, -1);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		cache_account(l, name, *id);
		return 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return pb_ledger_dberr(l, rc, e);
	if (!create)
		return 0;
	st = pb_ledger_stmt(l, PB_LST_ACCOUNT_ADD,
		"INSERT INTO accounts (name, kind, person_id) VALUES (?1, ?2, ?3)",
		e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, name, -1);
	pb_ledger_bind_text(st, 2, kind, -1);
	pb_ledger_bind_text(st, 3, person, -1);
	if (pb_ledger_step_done(l, st, e) < 0)
		return -PB_EIO;
	*id = sqlite3_last_insert_rowid(l->db);
	cache_account(l, name, *id);
	return 1;
}

int pb_ledger_insert(struct pb_ledger *l, const struct pb_newtxn *t,
		     const struct pb_leg *legs, size_t n, int64_t *txn,
		     struct pb_error *e)
{
	sqlite3_stmt *st;
	int64_t sum = 0, dp = 0, id, acct;
	size_t i;
	int rc, ndp = 0;

	/* The books balance before anything is written. */
	for (i = 0; i < n; i++) {
		if (pb_add_checked(sum, legs[i].amount, &sum) < 0)
			return pb_error_set(e, PB_EDATA, "amount too large");
		if (strcmp(legs[i].kind, "dp") == 0) {
			dp = legs[i].amount;
			ndp++;
		}
	}
	if (sum != 0 || ndp != 1 || dp != t->amount)
		return pb_error_set(e, PB_EIO,
			"internal error: transaction '%s' does not balance",
			t->txn_id);
	st = pb_ledger_stmt(l, PB_LST_TXN_ADD,
		"INSERT INTO txns (source, txn_id, kind, class, person_id, date,"
		" amount, category, payee, description, allocation_id, period,"
		" reverses, reason, run)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		" ?14, ?15) ON CONFLICT DO NOTHING", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, t->source, -1);
	pb_ledger_bind_text(st, 2, t->txn_id,
			    t->txn_id_len ? (long)t->txn_id_len : -1);
	pb_ledger_bind_text(st, 3, t->kind, -1);
	pb_ledger_bind_text(st, 4, t->class, -1);
	pb_ledger_bind_text(st, 5, t->person_id, -1);
	pb_ledger_bind_date(st, 6, t->date);
	sqlite3_bind_int64(st, 7, t->amount);
	pb_ledger_bind_text(st, 8, t->category ? t->category : "", -1);
	pb_ledger_bind_text(st, 9, t->payee ? t->payee : "",
			    t->payee && t->payee_len ? (long)t->payee_len : -1);
	pb_ledger_bind_text(st, 10, t->description ? t->description : "",
			    t->description && t->description_len
				    ? (long)t->description_len : -1);
	pb_ledger_bind_text(st, 11, t->allocation_id, -1);
	if (t->period >= 0)
		sqlite3_bind_int64(st, 12, t->period);
	if (t->reverses > 0)
		sqlite3_bind_int64(st, 13, t->reverses);
	pb_ledger_bind_text(st, 14, t->reason, -1);
	sqlite3_bind_int64(st, 15, l->run);
	if (pb_ledger_step_done(l, st, e) < 0)
		return -PB_EIO;
	if (sqlite3_changes(l->db) == 0)
		return 0;
	id = sqlite3_last_insert_rowid(l->db);
	for (i = 0; i < n; i++) {
		if (legs[i].amount == 0)
			continue;
		rc = pb_ledger_account(l, legs[i].account, legs[i].kind,
				       legs[i].person_id, 1, &acct, e);
		if (rc < 0)
			return rc;
		st = pb_ledger_stmt(l, PB_LST_POSTING_ADD,
			"INSERT INTO postings (txn, account, amount) VALUES (?1, ?2, ?3)",
			e);
		if (!st)
			return -PB_EIO;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, acct);
		sqlite3_bind_int64(st, 3, legs[i].amount);
		if (pb_ledger_step_done(l, st, e) < 0)
			return -PB_EIO;
	}
	if (txn)
		*txn = id;
	return 1;
}

/* ---- checking the books --------------------------------------------------- */

int pb_ledger_check(struct pb_ledger *l,
		    void (*fn)(void *ctx, const char *problem), void *ctx,
		    struct pb_error *e)
{
	static const char books_sql[] =
		"SELECT t.source, t.txn_id, t.amount, count(p.txn),"
		" coalesce(sum(p.amount), 0),"
		" coalesce(sum(a.kind = 'dp'), 0),"
		" coalesce(sum(CASE WHEN a.kind = 'dp' AND a.person_id = t.person_id"
		"   THEN p.amount ELSE 0 END), 0)"
		" FROM txns t LEFT JOIN postings p ON p.txn = t.txn"
		" LEFT JOIN accounts a ON a.account = p.account"
		" GROUP BY t.txn ORDER BY t.txn";
	sqlite3_stmt *st = NULL;
	struct pb_buf msg;
	int rc, problems = 0;

	pb_buf_init(&msg);
	rc = sqlite3_prepare_v2(l->db, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto dberr;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *s = pb_ledger_col_text(st, 0);

		if (strcmp(s, "ok") == 0)
			continue;
		pb_buf_reset(&msg);
		pb_buf_printf(&msg, "SQLite integrity check: %s", s);
		fn(ctx, msg.s);
		problems++;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc != SQLITE_DONE)
		goto dberr;
	rc = sqlite3_prepare_v2(l->db, books_sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto dberr;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *src = pb_ledger_col_text(st, 0);
		const char *id = pb_ledger_col_text(st, 1);
		int64_t amount = sqlite3_column_int64(st, 2);
		int64_t nposting = sqlite3_column_int64(st, 3);
		int64_t sum = sqlite3_column_int64(st, 4);
		int64_t ndp = sqlite3_column_int64(st, 5);
		int64_t dp = sqlite3_column_int64(st, 6);
		char q[80];

		pb_buf_reset(&msg);
		if (nposting < 2)
			pb_buf_printf(&msg, "has %lld posting%s",
				      (long long)nposting, nposting == 1 ? "" : "s");
		else if (sum != 0)
			pb_buf_printf(&msg, "postings sum to %lld pence, not 0",
				      (long long)sum);
		else if (ndp != 1 || dp != amount)
			pb_buf_printf(&msg,
				      "does not move its amount on the person's dp account");
		else
			continue;
		{
			struct pb_buf full;

			pb_buf_init(&full);
			pb_buf_printf(&full, "transaction %s/%s: %s", src,
				      pb_quote(q, sizeof q, id, strlen(id)), msg.s);
			fn(ctx, full.s);
			pb_buf_fini(&full);
		}
		problems++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		goto dberr;
	pb_buf_fini(&msg);
	return problems;
dberr:
	pb_buf_fini(&msg);
	return pb_ledger_dberr(l, rc, e);
}
