/* test_anon.c - pb-anon's library: HMAC-SHA256 against RFC 4231, the
 * pseudonym, the key file's checks and creation, postcode districts,
 * age bands, the option checks and the pass over records. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "anon.h"
#include "pb.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void check_error(const char *what, const struct pb_error *e, int code,
			const char *file, long line, const char *field,
			const char *text)
{
	if (e->code != code || strcmp(e->file, file) != 0 || e->line != line ||
	    strcmp(e->field, field) != 0 || e->key[0] ||
	    strcmp(e->text, text) != 0)
		fail_msg("%s: got code %d file '%s' line %ld field '%s' key '%s' "
			 "text '%s'", what, e->code, e->file, e->line, e->field,
			 e->key, e->text);
}

static void hex(char *out, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* ---- RFC 4231: identifiers and test vectors for HMAC-SHA-256 ------- */

static void test_rfc4231(void **state)
{
	static unsigned char k1[20], k3[20], k4[25], k5[20], k6[131],
		d3[50], d4[50];
	static const struct {
		const char *name;
		const unsigned char *key;
		size_t keylen;
		const void *data;
		size_t len;
		size_t outlen;      /* test case 5 is truncated to 128 bits */
		const char *mac;
	} t[] = {
		{"1", k1, sizeof k1, "Hi There", 8, 32,
		 "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"2 (key shorter than the output)", (const unsigned char *)"Jefe",
		 4, "what do ya want for nothing?", 28, 32,
		 "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
		{"3", k3, sizeof k3, d3, sizeof d3, 32,
		 "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
		{"4", k4, sizeof k4, d4, sizeof d4, 32,
		 "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
		{"5 (truncated)", k5, sizeof k5, "Test With Truncation", 20, 16,
		 "a3b6167473100ee06e0c796c2955552b"},
		{"6 (key longer than a block)", k6, sizeof k6,
		 "Test Using Larger Than Block-Size Key - Hash Key First", 54, 32,
		 "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		{"7 (key and data longer than a block)", k6, sizeof k6,
		 "This is a test using a larger than block-size key and a larger "
		 "than block-size data. The key needs to be hashed before being "
		 "used by the HMAC algorithm.", 152, 32,
		 "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	};
	size_t i;

	(void)state;
	memset(k1, 0x0b, sizeof k1);
	memset(k3, 0xaa, sizeof k3);
	memset(d3, 0xdd, sizeof d3);
	for (i = 0; i < sizeof k4; i++)
		k4[i] = (unsigned char)(i + 1);
	memset(d4, 0xcd, sizeof d4);
	memset(k5, 0x0c, sizeof k5);
	memset(k6, 0xaa, sizeof k6);
	for (i = 0; i < N(t); i++) {
		unsigned char mac[PB_HMAC_SHA256_BYTES];
		char got[2 * PB_HMAC_SHA256_BYTES + 1];

		/* The lengths typed above are those of the strings. */
		assert_true(t[i].data == d3 || t[i].data == d4 ||
			    strlen((const char *)t[i].data) == t[i].len);
		assert_int_equal(pb_hmac_sha256(t[i].key, t[i].keylen, t[i].data,
						t[i].len, mac), 0);
		hex(got, mac, t[i].outlen);
		if (strcmp(got, t[i].mac) != 0)
			fail_msg("RFC 4231 test case %s: got %s", t[i].name, got);
	}
}

/* ---- key files --------------------------------------------------------- */

static char dir[] = "/tmp/pb-test-anon-XXXXXX";

static int setup_dir(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* A file in the test directory with these bytes and this mode. */
static const char *put_file(const char *name, const void *data, size_t len,
			    mode_t mode)
{
	static char path[256];
	int fd;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
	return path;
}

#define TESTKEY "test key for pb-anon unit tests only: not a secret"

static void test_pseudonym(void **state)
{
	static const struct {
		const char *value;
		size_t len;
		const char *pseudonym;   /* worked out with another HMAC */
	} t[] = {
		{"P001", 4, "X1763423a9aa18f98"},
		{"", 0, "Xa6d5c52f41fa72bb"},
		{"42", 2, "X09a314bd4e640f0b"},
	};
	struct pb_anon_key *k, *k2;
	struct pb_error e;
	char p[PB_PSEUDONYM_BUFSZ], q[PB_PSEUDONYM_BUFSZ], want[40];
	unsigned char mac[PB_HMAC_SHA256_BYTES], big[200];
	size_t i;

	(void)state;
	k = pb_anon_key_load(put_file("k", TESTKEY, strlen(TESTKEY), 0600), &e);
	assert_non_null(k);
	for (i = 0; i < N(t); i++) {
		pb_anon_pseudonym(k, t[i].value, t[i].len, p);
		assert_string_equal(p, t[i].pseudonym);
	}
	/* The same as HMAC-SHA256 in hex, cut to 16, after an 'X', for a
	 * value longer than a block too; the same on every call. */
	memset(big, 'x', sizeof big);
	pb_anon_pseudonym(k, (const char *)big, sizeof big, p);
	assert_string_equal(p, "Xe49ead22f350e021");
	pb_hmac_sha256(TESTKEY, strlen(TESTKEY), big, sizeof big, mac);
	want[0] = 'X';
	hex(want + 1, mac, 8);
	assert_string_equal(p, want);
	pb_anon_pseudonym(k, "P001", 4, q);
	assert_string_equal(q, "X1763423a9aa18f98");

	/* A final newline (LF or CR LF) is not part of the key. */
	k2 = pb_anon_key_load(put_file("k2", TESTKEY "\n", strlen(TESTKEY) + 1,
				       0600), &e);
	assert_non_null(k2);
	pb_anon_pseudonym(k2, "P001", 4, q);
	assert_string_equal(q, "X1763423a9aa18f98");
	pb_anon_key_free(k2);
	k2 = pb_anon_key_load(put_file("k3", TESTKEY "\r\n",
				       strlen(TESTKEY) + 2, 0400), &e);
	assert_non_null(k2);
	pb_anon_pseudonym(k2, "P001", 4, q);
	assert_string_equal(q, "X1763423a9aa18f98");
	pb_anon_key_free(k2);
	/* Another key, another pseudonym. */
	k2 = pb_anon_key_load(put_file("k4", TESTKEY "!", strlen(TESTKEY) + 1,
				       0600), &e);
	assert_non_null(k2);
	pb_anon_pseudonym(k2, "P001", 4, q);
	assert_string_not_equal(q, "X1763423a9aa18f98");
	pb_anon_key_free(k2);
	pb_anon_key_free(k);
	pb_anon_key_free(NULL);
}

static void test_key_refused(void **state)
{
	static char big[PB_ANON_KEY_MAX + 1];
	static const struct {
		const char *name;
		const char *data;
		size_t len;
		mode_t mode;
		int code;
		const char *text;
	} t[] = {
		{"open", TESTKEY, sizeof TESTKEY - 1, 0644, PB_EUSAGE,
		 "key file mode 0644 is too open: group and others must have "
		 "no access (chmod 600 it)"},
		{"group", TESTKEY, sizeof TESTKEY - 1, 0640, PB_EUSAGE,
		 "key file mode 0640 is too open: group and others must have "
		 "no access (chmod 600 it)"},
		{"gw", TESTKEY, sizeof TESTKEY - 1, 0620, PB_EUSAGE,
		 "key file mode 0620 is too open: group and others must have "
		 "no access (chmod 600 it)"},
		{"ox", TESTKEY, sizeof TESTKEY - 1, 0601, PB_EUSAGE,
		 "key file mode 0601 is too open: group and others must have "
		 "no access (chmod 600 it)"},
		{"empty", "", 0, 0600, PB_EUSAGE,
		 "key file holds 0 bytes (a final newline not counted); at "
		 "least 32 are needed"},
		{"short", "0123456789abcdef0123456789abcde\n", 32, 0600, PB_EUSAGE,
		 "key file holds 31 bytes (a final newline not counted); at "
		 "least 32 are needed"},
		{"big", big, sizeof big, 0600, PB_EUSAGE,
		 "key file holds more than 4096 bytes: is it the right file?"},
	};
	struct pb_error e;
	char path[300], what[64];
	size_t i;

	(void)state;
	memset(big, 'k', sizeof big);
	for (i = 0; i < N(t); i++) {
		const char *p = put_file(t[i].name, t[i].data, t[i].len,
					 t[i].mode);

		snprintf(path, sizeof path, "%s", p);
		pb_error_clear(&e);
		assert_null(pb_anon_key_load(path, &e));
		snprintf(what, sizeof what, "key file %s", t[i].name);
		check_error(what, &e, t[i].code, path, 0, "", t[i].text);
	}
	/* Exactly the least and the most. */
	{
		struct pb_anon_key *k;

		k = pb_anon_key_load(put_file("min", big, PB_ANON_KEY_MIN, 0600),
				     &e);
		assert_non_null(k);
		pb_anon_key_free(k);
		k = pb_anon_key_load(put_file("max", big, PB_ANON_KEY_MAX, 0600),
				     &e);
		assert_non_null(k);
		pb_anon_key_free(k);
	}
	/* A directory, a FIFO, and nothing at all. */
	snprintf(path, sizeof path, "%s", dir);
	assert_null(pb_anon_key_load(path, &e));
	check_error("dir", &e, PB_EUSAGE, path, 0, "",
		    "key file is not a regular file");
	snprintf(path, sizeof path, "%s/fifo", dir);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(pb_anon_key_load(path, &e));
	check_error("fifo", &e, PB_EUSAGE, path, 0, "",
		    "key file is not a regular file");
	snprintf(path, sizeof path, "%s/nosuch", dir);
	assert_null(pb_anon_key_load(path, &e));
	check_error("missing", &e, PB_EIO, path, 0, "",
		    "cannot open key file: No such file or directory");
}

static void test_key_new(void **state)
{
	struct pb_anon_key *k;
	struct pb_error e;
	struct stat st;
	char path[300], link[300], buf[200];
	FILE *fp;
	size_t n, i;

	(void)state;
	snprintf(path, sizeof path, "%s/new.key", dir);
	umask(022);
	assert_int_equal(pb_anon_key_new(path, &e), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	assert_int_equal(n, 65);
	for (i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdef", buf[i]));
	assert_int_equal(buf[64], '\n');
	k = pb_anon_key_load(path, &e);
	assert_non_null(k);
	pb_anon_key_free(k);

	/* Never overwritten: the file is as it was. */
	pb_error_clear(&e);
	assert_int_equal(pb_anon_key_new(path, &e), -PB_EUSAGE);
	check_error("exists", &e, PB_EUSAGE, path, 0, "",
		    "already exists: pb-anon never overwrites a key (data "
		    "pseudonymised with it could no longer be linked)");
	fp = fopen(path, "r");
	assert_non_null(fp);
	assert_int_equal(fread(buf + 65, 1, 100, fp), 65);
	fclose(fp);
	assert_memory_equal(buf, buf + 65, 65);
	/* Two new keys differ. */
	snprintf(link, sizeof link, "%s/other.key", dir);
	assert_int_equal(pb_anon_key_new(link, &e), 0);
	fp = fopen(link, "r");
	assert_non_null(fp);
	assert_int_equal(fread(buf + 65, 1, 100, fp), 65);
	fclose(fp);
	assert_memory_not_equal(buf, buf + 65, 64);

	/* Not through a symbolic link, even one that leads nowhere. */
	snprintf(link, sizeof link, "%s/link.key", dir);
	assert_int_equal(symlink("nowhere", link), 0);
	assert_int_equal(pb_anon_key_new(link, &e), -PB_EUSAGE);
	check_error("link", &e, PB_EUSAGE, link, 0, "",
		    "already exists: pb-anon never overwrites a key (data "
		    "pseudonymised with it could no longer be linked)");
	snprintf(link, sizeof link, "%s/nodir/k", dir);
	assert_int_equal(pb_anon_key_new(link, &e), -PB_EIO);
	check_error("no dir", &e, PB_EIO, link, 0, "",
		    "cannot create key file: No such file or directory");
}

static void test_protect(void **state)
{
	struct rlimit rl;
	struct pb_error e;

	(void)state;
	assert_int_equal(pb_anon_protect(&e), 0);
	assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
	assert_int_equal(rl.rlim_cur, 0);
	assert_int_equal(rl.rlim_max, 0);
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

/* ---- values ------------------------------------------------------------- */

static void test_postcode(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *out;    /* or the error text */
	} t[] = {
		{"SW1A 1AA", 1, "SW1A"},
		{"sw1a1aa", 1, "SW1A"},
		{"  SW1A   1AA ", 1, "SW1A"},
		{"M1 1AE", 1, "M1"},
		{"B33 8TH", 1, "B33"},
		{"CR2 6XH", 1, "CR2"},
		{"DN55 1PT", 1, "DN55"},
		{"W1A 0AX", 1, "W1A"},
		{"EC1A 1BB", 1, "EC1A"},
		{"GIR 0AA", 1, "GIR"},
		{"BS1", 1, "BS1"},          /* already a district */
		{"ec1a", 1, "EC1A"},
		{"", 0, ""},
		{"   ", 0, ""},
		{"SW1A 1A", -PB_EDATA, "not a UK postcode 'SW1A 1A'"},
		{"SW1A 1", -PB_EDATA, "not a UK postcode 'SW1A 1'"},
		{"1AA 1AA", -PB_EDATA, "not a UK postcode '1AA 1AA'"},
		{"SW1A 1A1", -PB_EDATA, "not a UK postcode 'SW1A 1A1'"},
		{"ABCDE 1AA", -PB_EDATA, "not a UK postcode 'ABCDE 1AA'"},
		{"A", -PB_EDATA, "not a UK postcode 'A'"},
		{"unknown", -PB_EDATA, "not a UK postcode 'unknown'"},
		{"SW1A-1AA", -PB_EDATA, "not a UK postcode 'SW1A-1AA'"},
		{"SW1A 1AA SW1A 1AA SW1A", -PB_EDATA,
		 "not a UK postcode 'SW1A 1AA SW1A 1AA SW1A'"},
	};
	struct pb_error e;
	char out[PB_DISTRICT_BUFSZ];
	size_t i, n;

	(void)state;
	for (i = 0; i < N(t); i++) {
		pb_error_clear(&e);
		n = 99;
		int rc = pb_postcode_district(t[i].in, strlen(t[i].in), out, &n,
					      &e);
		if (rc != t[i].rc)
			fail_msg("'%s': rc %d", t[i].in, rc);
		if (rc == 1) {
			assert_string_equal(out, t[i].out);
			assert_int_equal(n, strlen(t[i].out));
		} else if (rc < 0) {
			check_error(t[i].in, &e, PB_EDATA, "", 0, "", t[i].out);
		}
	}
}

static void test_bands(void **state)
{
	static const struct {
		int years;
		const char *ascof, *fine;
	} t[] = {
		{0, "0-17", "0-17"}, {17, "0-17", "0-17"},
		{18, "18-64", "18-24"}, {24, "18-64", "18-24"},
		{25, "18-64", "25-44"}, {44, "18-64", "25-44"},
		{45, "18-64", "45-64"}, {64, "18-64", "45-64"},
		{65, "65+", "65-74"}, {74, "65+", "65-74"},
		{75, "65+", "75-84"}, {85, "65+", "85-94"},
		{94, "65+", "85-94"}, {95, "65+", "95+"}, {120, "65+", "95+"},
	};
	enum pb_anon_bands b = PB_BANDS_FINE;
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		assert_string_equal(pb_anon_band_name(PB_BANDS_ASCOF, t[i].years),
				    t[i].ascof);
		assert_string_equal(pb_anon_band_name(PB_BANDS_FINE, t[i].years),
				    t[i].fine);
	}
	assert_int_equal(pb_anon_bands_parse("ascof", &b, &e), 0);
	assert_int_equal(b, PB_BANDS_ASCOF);
	assert_int_equal(pb_anon_bands_parse("fine", &b, &e), 0);
	assert_int_equal(b, PB_BANDS_FINE);
	pb_error_clear(&e);
	assert_int_equal(pb_anon_bands_parse("dhsc", &b, &e), -PB_EUSAGE);
	check_error("bands", &e, PB_EUSAGE, "", 0, "",
		    "--age-bands: unknown bands 'dhsc' (use ascof or fine)");
}

/* ---- the options ---------------------------------------------------------- */

static void test_options(void **state)
{
	static const char *const pid[] = {"person_id"};
	static const char *const two[] = {"person_id", "Person ID"};
	static const char *const nhs[] = {"nhs_number"};
	static const char *const star[] = {"person*"};
	static const char *const dob[] = {"dob"};
	static const char *const pats[] = {"address*", "x*y"};
	static const char *const empty[] = {" "};
	static const struct {
		const char *what;
		const char *const *ids;
		size_t nids;
		const char *const *drop;
		size_t ndrop;
		const char *const *keep;
		size_t nkeep;
		const char *birth, *post;
		int fmt;
		const char *text;     /* NULL: accepted */
	} t[] = {
		{"defaults", pid, 1, NULL, 0, NULL, 0, NULL, NULL, -1, NULL},
		{"id named twice", two, 2, NULL, 0, NULL, 0, NULL, NULL, -1,
		 "--id-columns: column 'person_id' named twice"},
		{"no id", pid, 0, NULL, 0, NULL, 0, NULL, NULL, -1,
		 "--id-columns: no column named"},
		{"id and drop", pid, 1, pid, 1, NULL, 0, NULL, NULL, -1,
		 "column 'person_id' is given to both --id-columns and --drop"},
		{"id and keep", pid, 1, NULL, 0, pid, 1, NULL, NULL, -1,
		 "column 'person_id' is given to both --id-columns and --keep"},
		{"drop and keep", pid, 1, dob, 1, dob, 1, NULL, NULL, -1,
		 "column 'dob' is given to both --drop and --keep"},
		{"birth is the id", pid, 1, NULL, 0, NULL, 0, "Person_ID", NULL,
		 -1, "column 'person_id' is given to both --id-columns and "
		 "--age-band-from"},
		{"birth and postcode", pid, 1, NULL, 0, NULL, 0, "dob", "DOB", -1,
		 "column 'dob' is given to both --age-band-from and "
		 "--postcode-district"},
		{"a default drop as the id", nhs, 1, NULL, 0, NULL, 0, NULL, NULL,
		 -1, NULL},
		{"pattern as id", star, 1, NULL, 0, NULL, 0, NULL, NULL, -1,
		 "--id-columns: a column name, not a pattern 'person*'"},
		{"star inside", pid, 1, pats, 2, NULL, 0, NULL, NULL, -1,
		 "--drop: '*' may only end a name 'x*y'"},
		{"empty name", pid, 1, NULL, 0, empty, 1, NULL, NULL, -1,
		 "--keep: empty column name"},
		{"table", pid, 1, NULL, 0, NULL, 0, NULL, NULL, PB_FMT_TABLE,
		 "--format: pb-anon writes a record stream: csv or json"},
		{"json", pid, 1, NULL, 0, NULL, 0, NULL, NULL, PB_FMT_JSON, NULL},
	};
	struct pb_anon_opts o;
	struct pb_anon *a;
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < N(t); i++) {
		memset(&o, 0, sizeof o);
		o.ids = t[i].ids;
		o.nids = t[i].nids;
		o.drop = t[i].drop;
		o.ndrop = t[i].ndrop;
		o.keep = t[i].keep;
		o.nkeep = t[i].nkeep;
		o.birth = t[i].birth;
		o.postcode = t[i].post;
		o.format_given = t[i].fmt >= 0;
		o.format = t[i].fmt >= 0 ? (enum pb_format)t[i].fmt : PB_FMT_CSV;
		o.out = stdout;
		pb_error_clear(&e);
		a = pb_anon_new(&o, &e);
		if (!t[i].text) {
			if (!a)
				fail_msg("%s: refused: %s", t[i].what, e.text);
			pb_anon_free(a);
			continue;
		}
		if (a)
			fail_msg("%s: accepted", t[i].what);
		check_error(t[i].what, &e, PB_EUSAGE, "", 0, "", t[i].text);
	}
}

/* ---- records ---------------------------------------------------------------- */

#define MAXC 12

/* A header and one record over it, made by hand. */
struct table {
	struct pb_header h;
	char *names[MAXC], *norms[MAXC];
	char normbuf[MAXC][64];
	const char *vals[MAXC];
	size_t lens[MAXC];
	unsigned char kinds[MAXC];
	struct pb_record rec;
};

/* Columns from "a,b,c" (names as written). */
static void mkheader(struct table *t, const char *cols)
{
	static char store[512];
	char *p, *save = NULL;
	size_t n = 0;

	memset(t, 0, sizeof *t);
	snprintf(store, sizeof store, "%s", cols);
	for (p = strtok_r(store, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		t->names[n] = p;
		pb_colname_norm(t->normbuf[n], sizeof t->normbuf[n], p);
		t->norms[n] = t->normbuf[n];
		n++;
	}
	t->h.n = n;
	t->h.name = t->names;
	t->h.norm = t->norms;
	t->h.gen = 1;
	t->rec.hdr = &t->h;
	t->rec.n = n;
	t->rec.val = t->vals;
	t->rec.len = t->lens;
	t->rec.kind = t->kinds;
	t->rec.file = "in.csv";
	t->rec.line = 2;
}

/* Values from "v1|v2|v3"; a value "~" is absent, "@" null, "#12" the
 * JSON integer 12. */
static struct pb_record *mkrec(struct table *t, const char *vals)
{
	static char store[512];
	char *p = store;
	size_t i;

	snprintf(store, sizeof store, "%s", vals);
	for (i = 0; i < t->h.n; i++) {
		char *bar = p ? strchr(p, '|') : NULL;

		if (bar)
			*bar = '\0';
		t->vals[i] = p ? p : "";
		t->kinds[i] = PB_KIND_STR;
		if (p && strcmp(p, "~") == 0) {
			t->vals[i] = "";
			t->kinds[i] = PB_KIND_ABSENT;
		} else if (p && strcmp(p, "@") == 0) {
			t->vals[i] = "";
			t->kinds[i] = PB_KIND_NULL;
		} else if (p && *p == '#') {
			t->vals[i] = p + 1;
			t->kinds[i] = PB_KIND_INT;
		}
		t->lens[i] = strlen(t->vals[i]);
		p = bar ? bar + 1 : NULL;
	}
	return &t->rec;
}

struct run {
	struct pb_anon_opts o;
	struct pb_anon *a;
	struct pb_anon_key *k;
	char *out;
	size_t outlen;
};

static const char *const ids_pid[] = {"person_id"};

static void run_start(struct run *r)
{
	struct pb_error e;

	r->k = pb_anon_key_load(put_file("run.key", TESTKEY, strlen(TESTKEY),
					 0600), &e);
	assert_non_null(r->k);
	r->o.key = r->k;
	if (!r->o.ids) {
		r->o.ids = ids_pid;
		r->o.nids = 1;
	}
	r->o.out = open_memstream(&r->out, &r->outlen);
	assert_non_null(r->o.out);
	r->a = pb_anon_new(&r->o, &e);
	assert_non_null(r->a);
}

static const char *run_output(struct run *r)
{
	fflush(r->o.out);
	return r->out;
}

static void run_end(struct run *r)
{
	fclose(r->o.out);
	free(r->out);
	pb_anon_free(r->a);
	pb_anon_key_free(r->k);
	memset(r, 0, sizeof *r);
}

static void test_csv_stream(void **state)
{
	static const char *const drop[] = {"team", "extra*"};
	static const char *const keep[] = {"email"};
	struct run r;
	struct table t;
	struct pb_error e;
	const char *warn;
	int32_t asof;

	(void)state;
	memset(&r, 0, sizeof r);
	pb_date_parse("2026-03-31", 10, &asof, &e);
	r.o.as_of = asof;
	r.o.birth = "birth_date";
	r.o.postcode = "Postcode";
	r.o.drop = drop;
	r.o.ndrop = 2;
	r.o.keep = keep;
	r.o.nkeep = 1;
	run_start(&r);
	mkheader(&t, "Name,person_id,Birth Date,postcode,Team,email,"
		 "Address Line 2,extra_1,Date of Birth,note");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), 0);
	assert_string_equal(warn, "'Date of Birth'");
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Ann|P001|1961-04-01|sw1a 1aa|North|a@b|Flat 1|x|1961|a, \"b\""),
		&e), 0);
	/* 65 the day before; empty values stay empty. */
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Bo|42|30/03/1961||South|||||"), &e), 0);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Cy||||||||||"), &e), 0);
	assert_string_equal(run_output(&r),
		"person_id,age_band,postcode_district,email,Date of Birth,note\n"
		"X1763423a9aa18f98,18-64,SW1A,a@b,1961,\"a, \"\"b\"\"\"\n"
		"X09a314bd4e640f0b,65+,,,,\n"
		",,,,,\n");

	/* Errors name the column and quote the value; nothing is written. */
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Di|P2|2026-04-01|||||||"), &e), -PB_EDATA);
	check_error("born later", &e, PB_EDATA, "", 0, "Birth Date",
		    "born after the --as-of date 2026-03-31 '2026-04-01'");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Di|P2|31/02/1990|||||||"), &e), -PB_EDATA);
	check_error("bad date", &e, PB_EDATA, "", 0, "Birth Date",
		    "not a date '31/02/1990': February 1990 has 28 days");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Di|P001||SW1A|||||||"), &e), 0);
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"Di|P2||nowhere|||||||"), &e), -PB_EDATA);
	check_error("postcode", &e, PB_EDATA, "", 0, "postcode",
		    "not a UK postcode 'nowhere'");

	/* A second file with the same columns in another order is fine;
	 * with other columns it is not. */
	mkheader(&t, "note,person_id,Birth Date,postcode,Team,email,"
		 "Date of Birth");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), 0);
	assert_null(warn);    /* said once */
	assert_int_equal(pb_anon_record(r.a, mkrec(&t,
		"n|P001|2000-01-01|M1 1AE|x|e|d"), &e), 0);
	assert_string_equal(run_output(&r),
		"person_id,age_band,postcode_district,email,Date of Birth,note\n"
		"X1763423a9aa18f98,18-64,SW1A,a@b,1961,\"a, \"\"b\"\"\"\n"
		"X09a314bd4e640f0b,65+,,,,\n"
		",,,,,\n"
		"X1763423a9aa18f98,,SW1A,,,\n"
		"X1763423a9aa18f98,18-64,M1,e,d,n\n");
	mkheader(&t, "person_id,Birth Date,postcode,Team,email,Date of Birth");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), -PB_EUSAGE);
	check_error("other columns", &e, PB_EUSAGE, "", 0, "",
		    "the columns differ from those of the first input, whose "
		    "CSV header was written (use --format json, or run pb-anon "
		    "on each file)");
	/* A --drop name that is not there; a required column missing. */
	mkheader(&t, "person_id,Birth Date,postcode,email,note,Date of Birth");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), -PB_EUSAGE);
	check_error("drop missing", &e, PB_EUSAGE, "", 0, "",
		    "--drop: no column 'team' in this input");
	mkheader(&t, "person_id,postcode,team");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), -PB_EUSAGE);
	check_error("required", &e, PB_EUSAGE, "", 0, "",
		    "missing required column 'birth_date'; columns found: "
		    "person_id, postcode, team");
	{
		char line[512];

		pb_anon_summary(r.a, 3, line, sizeof line);
		assert_string_equal(line,
			"5 records written, 3 rejected; pseudonymised: person_id; "
			"dropped: Name, Team, Address Line 2, extra_1; age_band "
			"(ascof) from birth_date as of 2026-03-31; "
			"postcode_district from Postcode");
	}
	run_end(&r);
}

static void test_clash(void **state)
{
	struct run r;
	struct table t;
	struct pb_error e;
	const char *warn;

	(void)state;
	memset(&r, 0, sizeof r);
	r.o.birth = "dob";
	run_start(&r);
	mkheader(&t, "person_id,dob,Age Band");
	pb_error_clear(&e);
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), -PB_EUSAGE);
	check_error("clash", &e, PB_EUSAGE, "", 0, "",
		    "column 'Age Band' is already in the input, and pb-anon "
		    "would write another (--drop it)");
	run_end(&r);
}

static void test_json_stream(void **state)
{
	static const char *const ids[] = {"person_id", "nhs_number"};
	static const char *const drop[] = {"gone"};
	struct run r;
	struct table t;
	struct pb_error e;
	const char *warn;

	(void)state;
	memset(&r, 0, sizeof r);
	r.o.ids = ids;
	r.o.nids = 2;
	r.o.birth = "birth_date";
	r.o.bands = PB_BANDS_FINE;
	pb_date_parse("2026-03-31", 10, &r.o.as_of, &e);
	r.o.drop = drop;
	r.o.ndrop = 1;
	run_start(&r);
	/* JSON Lines in: the output follows (JSON), keys in order, kinds
	 * kept, absent keys left out; the id columns need not be there yet. */
	mkheader(&t, "person_id,name,n,birth_date,z");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 1, &warn, &e), 0);
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t, "#42|Ann|#3|1990-06-01|@"),
					&e), -PB_EDATA);
	check_error("no nhs_number", &e, PB_EDATA, "", 0, "",
		    "no 'nhs_number' in this record");
	mkheader(&t, "person_id,name,n,birth_date,z,nhs_number");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 1, &warn, &e), 0);
	assert_int_equal(pb_anon_record(r.a,
		mkrec(&t, "#42|Ann|#3|1990-06-01|@|P001"), &e), 0);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t, "P001|~|~|@|~|"), &e), 0);
	assert_string_equal(run_output(&r),
		"{\"person_id\":\"X09a314bd4e640f0b\",\"n\":3,"
		"\"age_band\":\"25-44\",\"z\":null,"
		"\"nhs_number\":\"X1763423a9aa18f98\"}\n"
		"{\"person_id\":\"X1763423a9aa18f98\",\"age_band\":null,"
		"\"nhs_number\":\"\"}\n");
	/* A --drop name never seen is found out at the end. */
	pb_error_clear(&e);
	assert_int_equal(pb_anon_finish(r.a, &e), -PB_EUSAGE);
	check_error("drop unseen", &e, PB_EUSAGE, "", 0, "",
		    "--drop: no column 'gone' in the input");
	run_end(&r);
}

static void test_json_to_csv(void **state)
{
	struct run r;
	struct table t;
	struct pb_error e;
	const char *warn;

	(void)state;
	memset(&r, 0, sizeof r);
	r.o.format_given = 1;
	r.o.format = PB_FMT_CSV;
	run_start(&r);
	mkheader(&t, "person_id,b");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 1, &warn, &e), 0);
	assert_string_equal(run_output(&r), "");   /* header at the first record */
	assert_int_equal(pb_anon_record(r.a, mkrec(&t, "P001|#1"), &e), 0);
	mkheader(&t, "person_id,b,c,email");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 1, &warn, &e), 0);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t, "42|~|~|x@y"), &e), 0);
	pb_error_clear(&e);
	assert_int_equal(pb_anon_record(r.a, mkrec(&t, "42|2|3|~"), &e),
			 -PB_EDATA);
	check_error("new key", &e, PB_EDATA, "", 0, "",
		    "key 'c' is not a column of the CSV header already written "
		    "(use --format json)");
	assert_string_equal(run_output(&r),
		"person_id,b\n"
		"X1763423a9aa18f98,1\n"
		"X09a314bd4e640f0b,\n");
	assert_int_equal(pb_anon_finish(r.a, &e), 0);
	run_end(&r);
}

static void test_csv_empty_header(void **state)
{
	struct run r;
	struct table t;
	struct pb_error e;
	const char *warn;

	(void)state;
	memset(&r, 0, sizeof r);
	run_start(&r);
	/* A CSV input with a header and no records gives the header. */
	mkheader(&t, "person_id,first_name,x");
	assert_int_equal(pb_anon_bind(r.a, &t.h, 0, &warn, &e), 0);
	assert_null(warn);
	assert_string_equal(run_output(&r), "person_id,x\n");
	assert_int_equal(pb_anon_finish(r.a, &e), 0);
	run_end(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4231),
		cmocka_unit_test(test_pseudonym),
		cmocka_unit_test(test_key_refused),
		cmocka_unit_test(test_key_new),
		cmocka_unit_test(test_postcode),
		cmocka_unit_test(test_bands),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_csv_stream),
		cmocka_unit_test(test_clash),
		cmocka_unit_test(test_json_stream),
		cmocka_unit_test(test_json_to_csv),
		cmocka_unit_test(test_csv_empty_header),
		cmocka_unit_test(test_protect),
	};

	return cmocka_run_group_tests(tests, setup_dir, remove_dir);
}
