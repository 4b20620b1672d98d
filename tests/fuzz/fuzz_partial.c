/*
 * fuzz_partial - pb-report's partial states (--partial) from any bytes,
 * merged as pb-report merge merges them.
 *
 * A file that is not a good state is refused as a usage error with its
 * line.  A file that merges is a state in its own right: what the merge
 * saves merges again to the same report, printed byte for byte the
 * same, and saves the same state again (the save is a fixed point).
 */
#include "fuzz.h"
#include "report.h"

/* Save and print a merged report. */
static void save_print(struct pb_report *r, char **state, size_t *slen,
		       char **out, size_t *olen)
{
	struct pb_error e;
	FILE *fp = open_memstream(state, slen);

	FUZZ_CHECK(fp);
	FUZZ_CHECK(pb_report_save(r, fp, &e) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	fp = open_memstream(out, olen);
	FUZZ_CHECK(fp);
	FUZZ_CHECK(pb_report_print(r, fp, &e) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
}

static int same(const char *what, const char *a, size_t alen, const char *b,
		size_t blen)
{
	if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
		return 1;
	fprintf(stderr, "--- %s, first\n%.*s--- %s, again\n%.*s", what,
		(int)alen, a ? a : "", what, (int)blen, b ? b : "");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32];
	struct pb_error e;
	struct pb_merge *m = pb_merge_new(), *m2;
	struct pb_report *r;
	char *s1 = NULL, *s2 = NULL, *o1 = NULL, *o2 = NULL;
	size_t s1len = 0, s2len = 0, o1len = 0, o2len = 0;
	int fd = fuzz_file(data, size, path), rc;

	rc = pb_merge_file(m, path, &e);
	close(fd);
	if (rc < 0) {
		FUZZ_CHECK(rc == -PB_EUSAGE && e.code == PB_EUSAGE &&
			   e.text[0] != '\0' && e.line > 0);
		pb_merge_free(m);
		return 0;
	}
	r = pb_merge_report(m);
	if (!r) {
		FUZZ_CHECK(pb_merge_count(m) == 0);
		pb_merge_free(m);
		return 0;
	}
	FUZZ_CHECK(pb_merge_count(m) >= 1);
	save_print(r, &s1, &s1len, &o1, &o1len);

	m2 = pb_merge_new();
	fd = fuzz_file((const uint8_t *)s1, s1len, path);
	rc = pb_merge_file(m2, path, &e);
	if (rc < 0)
		fprintf(stderr, "the saved state does not merge: line %ld: %s\n%s",
			e.line, e.text, s1);
	FUZZ_CHECK(rc == 0 && pb_merge_count(m2) == 1);
	close(fd);
	save_print(pb_merge_report(m2), &s2, &s2len, &o2, &o2len);
	FUZZ_CHECK(same("state", s1, s1len, s2, s2len));
	FUZZ_CHECK(same("report", o1, o1len, o2, o2len));
	pb_merge_free(m2);
	pb_merge_free(m);
	free(s1);
	free(s2);
	free(o1);
	free(o2);
	return 0;
}
