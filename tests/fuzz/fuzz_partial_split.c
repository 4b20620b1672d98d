/*
 * fuzz_partial_split - pb-report's promise about --partial and merge,
 * on any input: the input split in two (records taken in turns, so a
 * person's rows land in both parts), each part's state saved, the two
 * states merged: the report printed is the same bytes as one run over
 * the whole input.  The first byte picks the report, grouping, options
 * and disclosure rule; the rest is the input (a person export, or for
 * outcomes and spend the reviews or ledger export, with a fixed people
 * export).
 */
#include "fuzz.h"
#include "report.h"

static const char people_csv[] =
	"person_id,la_code,team,client_type,primary_support_reason,age,"
	"support_setting,support_start,support_end,delivery_mechanism,"
	"weekly_cost\n"
	"P1,E1,North,,mental_health,40,community,2025-01-01,,dp,100.00\n"
	"P2,E1,South,,physical,70,community,2024-05-01,,managed,300.00\n"
	"P3,E1,South,,physical,81,residential,2024-05-01,,commissioned,900\n"
	"P4,E2,North,,mental_health,33,community,2025-09-01,,dp,210.00\n"
	"P6,E2,South,,learning_disability,19,community,2025-02-01,,part_dp,"
	"400.00\n";

static char *print(struct pb_report *r, size_t *len)
{
	struct pb_error e;
	char *out = NULL;
	FILE *fp = open_memstream(&out, len);

	FUZZ_CHECK(fp);
	FUZZ_CHECK(pb_report_print(r, fp, &e) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	return out;
}

/* The people export into each report that wants it. */
static void people(struct pb_report **r, size_t n)
{
	char path[32];
	char *files[1] = {path};
	int fd = fuzz_file((const uint8_t *)people_csv, sizeof people_csv - 1,
			   path);
	struct pb_reader *rd = pb_reader_new(files, 1, PB_IN_CSV);
	struct pb_record *rec;
	struct pb_error e;
	size_t i;
	int rc;

	while ((rc = pb_reader_next(rd, &rec, &e)) == 1) {
		for (i = 0; i < n; i++) {
			if (rec->line == 2)
				FUZZ_CHECK(pb_report_people_bind(r[i], rec->hdr, 0,
								 &e) == 0);
			FUZZ_CHECK(pb_report_people_add(r[i], rec, &e) == 0);
		}
	}
	FUZZ_CHECK(rc == 0);
	pb_reader_free(rd);
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const by_sets[4][2] = {
		{"primary_support_reason", NULL}, {"la_code", "age_band"},
		{"team", NULL}, {"support_setting", "age_band_fine"}};
	static const char *const by_people[2] = {"team", NULL};
	char path[32];
	char *files[1] = {path};
	struct pb_report_opts o;
	struct pb_report *r[3];   /* the whole, the two parts */
	struct pb_reader *rd;
	struct pb_record *rec;
	struct pb_merge *m;
	struct pb_error e;
	unsigned long gen = 0;
	char *whole, *merged, *states = NULL;
	size_t wlen, mlen, slen = 0, i;
	long n = 0, read[3] = {0, 0, 0}, rejected[3] = {0, 0, 0};
	int fd, rc, bound = 0;
	uint8_t ctl;
	FILE *fp;

	if (size < 1)
		return 0;
	ctl = data[0];
	memset(&o, 0, sizeof o);
	o.kind = (enum pb_report_kind)(ctl % PB_R_NKIND);
	o.as_of = 20453;                  /* 2025-12-31 */
	o.has_from = o.has_to = 1;
	o.from = 20089;                   /* 2025-01-01 */
	o.to = 20453;
	o.every = PB_EVERY_QUARTER;
	if (o.kind == PB_R_FUNNEL || o.kind == PB_R_OUTCOMES ||
	    o.kind == PB_R_SPEND)
		o.has_from = o.has_to = 0;
	o.by = o.kind == PB_R_OUTCOMES || o.kind == PB_R_SPEND
		? by_people : by_sets[(ctl >> 3) & 3];
	o.nby = o.by[1] ? 2 : 1;
	o.assume_unique = (ctl >> 5) & 1;
	o.total = (ctl >> 6) & 1;
	o.disclosure = (ctl >> 7) ? PB_DISC_NHS : PB_DISC_NONE;
	o.format = PB_FMT_CSV;
	for (i = 0; i < 3; i++) {
		r[i] = pb_report_new(&o, &e);
		FUZZ_CHECK(r[i] != NULL);
	}
	if (pb_report_wants_people(r[0]))
		people(r, 3);

	fd = fuzz_file(data + 1, size - 1, path);
	rd = pb_reader_new(files, 1, PB_IN_AUTO);
	pb_reader_header_events(rd, 1);
	while ((rc = pb_reader_next(rd, &rec, &e)) != 0) {
		int part;

		if (rc < 0 || !rec)
			continue;
		if (rec->hdr->gen != gen) {
			int lenient = pb_reader_format(rd) == PB_IN_JSON;

			gen = rec->hdr->gen;
			bound = pb_report_bind(r[0], rec->hdr, lenient, &e) == 0;
			for (i = 1; i < 3; i++)
				FUZZ_CHECK((pb_report_bind(r[i], rec->hdr, lenient,
							   &e) == 0) == bound);
		}
		if (rc != 1 || !bound)
			continue;
		part = 1 + (int)(n++ % 2);
		read[0]++;
		read[part]++;
		rc = pb_report_add(r[0], rec, &e);
		FUZZ_CHECK((pb_report_add(r[part], rec, &e) < 0) == (rc < 0));
		if (rc < 0) {
			rejected[0]++;
			rejected[part]++;
		}
	}
	pb_reader_free(rd);
	close(fd);

	for (i = 0; i < 3; i++)
		pb_report_input(r[i], read[i], rejected[i], rejected[i] ? 1 : 0);
	whole = print(r[0], &wlen);
	fp = open_memstream(&states, &slen);
	FUZZ_CHECK(fp);
	FUZZ_CHECK(pb_report_save(r[1], fp, &e) == 0);
	FUZZ_CHECK(pb_report_save(r[2], fp, &e) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	fd = fuzz_file((const uint8_t *)states, slen, path);
	m = pb_merge_new();
	rc = pb_merge_file(m, path, &e);
	if (rc < 0)
		fprintf(stderr, "the states do not merge: line %ld: %s\n", e.line,
			e.text);
	FUZZ_CHECK(rc == 0 && pb_merge_count(m) == 2);
	close(fd);
	merged = print(pb_merge_report(m), &mlen);
	FUZZ_CHECK(pb_report_status(pb_merge_report(m)) ==
		   pb_report_status(r[0]));
	if (wlen != mlen || (wlen && memcmp(whole, merged, wlen) != 0)) {
		fprintf(stderr, "--- %s, whole\n%.*s--- merged\n%.*s",
			pb_report_name(o.kind), (int)wlen, whole, (int)mlen,
			merged);
		FUZZ_CHECK(!"the merged report differs from the whole");
	}
	pb_merge_free(m);
	for (i = 0; i < 3; i++)
		pb_report_free(r[i]);
	free(whole);
	free(merged);
	free(states);
	return 0;
}
