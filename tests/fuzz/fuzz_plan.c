/*
 * fuzz_plan - support plans (CONTRACTS.md §8) from any bytes, decided
 * as pb-plan check decides them, against the spending policy and the
 * allocations of the pb-plan tests.  The first byte picks the reader's
 * chunk size and the output format; the rest is the plan file.
 *
 * Invariants:
 *  - the plan reader finds the same documents, errors and lines
 *    whatever its chunk size (one byte at a time, or 64 KiB);
 *  - every document, read or broken, gets exactly one decision, and the
 *    verdicts add up; CSV output reads back with one record per plan,
 *    JSON has one line per plan;
 *  - a plan over its budget, and only such a plan, is OVER_BUDGET.
 */
#include "fuzz.h"
#include "pbjson.h"
#include "plan.h"

static const char policy_json[] =
	"{\"version\": \"2026-04\", \"categories\": {"
	"\"personal_assistant\": {\"requires\": [\"employer_insurance\"]},"
	"\"agency_care\": {}, \"leisure\": {}, \"education\": {},"
	"\"transport\": {}, \"equipment\": {}, \"technology\": {},"
	"\"short_break\": {}, \"employment\": {}, \"social_activity\": {},"
	"\"travel_to_family\": {},"
	"\"therapy\": {\"streams\": [\"health\", \"s117\"]},"
	"\"household\": {\"review\": true},"
	"\"employer_insurance\": {}, \"payroll_service\": {},"
	"\"contingency\": {}},"
	"\"forbidden\": [\"gambling\", \"alcohol\", \"tobacco\", \"illegal\","
	"\"debt_repayment\", \"nhs_service\", \"council_service\"],"
	"\"tolerance_percent\": 0, \"contingency_max_percent\": 10}";

static const char allocations_csv[] =
	"allocation_id,person_id,start_date,review_date,indicative_weekly,"
	"weekly_amount,social_care,health,s117,client_contribution_weekly,"
	"delivery_mechanism,payment_every_weeks,first_payment_date,"
	"payment_amount,override_reason,ras_version,funding_version,flags\n"
	"P001-2026-04-01,P001,2026-04-01,2026-10-01,147.00,147.00,147.00,0.00,"
	"0.00,0.00,dp,4,2026-04-01,588.00,,2026-04,2026-27,\n"
	"P002-2026-04-01,P002,2026-04-01,2026-10-01,233.00,233.00,233.00,0.00,"
	"0.00,0.00,dp,4,2026-04-01,932.00,,2026-04,2026-27,\n"
	"P003-2026-04-01,P003,2026-04-01,2026-10-01,190.00,190.00,0.00,0.00,"
	"190.00,0.00,dp,4,2026-04-01,760.00,,2026-04,2026-27,\n"
	"P004-2026-04-01,P004,2026-04-01,2026-10-01,233.00,233.00,116.50,"
	"116.50,0.00,0.00,dp,4,2026-04-01,932.00,,2026-04,2026-27,\n"
	"P034-2026-04-01,P034,2026-04-01,2026-10-01,20.00,20.00,20.00,0.00,"
	"0.00,0.00,dp,4,2026-04-01,80.00,,2026-04,2026-27,\n"
	"P035-2026-04-01,P035,2026-04-01,2026-10-01,,20000000000000.00,"
	"20000000000000.00,0.00,0.00,0.00,dp,4,2026-04-01,"
	"80000000000000.00,,2026-04,2026-27,\n";

static struct pb_spending *policy;
static struct pb_plan_allocs *allocs;

static void setup(void)
{
	char path[32];
	char *files[1] = {path};
	struct pb_error e;
	struct pb_reader *r;
	struct pb_record *rec;
	int fd = fuzz_file((const uint8_t *)policy_json, sizeof policy_json - 1,
			   path);

	policy = pb_spending_load(path, &e);
	FUZZ_CHECK(policy);
	close(fd);
	allocs = pb_plan_allocs_new(NULL);
	fd = fuzz_file((const uint8_t *)allocations_csv,
		       sizeof allocations_csv - 1, path);
	r = pb_reader_new(files, 1, PB_IN_CSV);
	FUZZ_CHECK(pb_reader_next(r, &rec, &e) == 1);
	FUZZ_CHECK(pb_plan_allocs_bind(allocs, rec->hdr, 0, &e) == 0);
	do {
		int rc = pb_plan_allocs_add(allocs, rec, &e);

		if (rc < 0)
			fprintf(stderr, "allocation: %s\n", e.text);
		FUZZ_CHECK(rc == 0);
	} while (pb_reader_next(r, &rec, &e) == 1);
	FUZZ_CHECK(pb_plan_allocs_count(allocs) == 6);
	pb_reader_free(r);
	close(fd);
}

/* Every event of a read, as text; the documents kept, if docs. */
static long events(const char *path, size_t chunk, struct pb_buf *out,
		   json_t *docs, struct pb_buf *kinds)
{
	char *files[1] = {(char *)path};
	struct pb_plan_reader *r = pb_plan_reader_new(files, 1);
	struct pb_error e;
	const char *file;
	json_t *doc;
	long line, n = 0;
	int rc;

	pb_plan_reader_set_chunk(r, chunk);
	pb_buf_reset(out);
	while ((rc = pb_plan_reader_next(r, &doc, &file, &line, &e)) != 0) {
		FUZZ_CHECK(++n < 1000000);
		FUZZ_CHECK(rc == 1 || rc == -PB_EDATA);
		pb_buf_printf(out, "%d L%ld", rc, line);
		if (rc == 1) {
			char *s = json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY);

			FUZZ_CHECK(s);
			pb_buf_printf(out, " %s", s);
			free(s);
			if (docs) {
				json_array_append_new(docs, doc);
				pb_buf_addc(kinds, 'd');
			} else {
				json_decref(doc);
			}
		} else {
			FUZZ_CHECK(e.text[0] != '\0' && e.line == line);
			pb_buf_printf(out, " E%ld:%s", e.line, e.text);
			if (docs) {
				json_array_append_new(docs, json_pack(
					"[s, I]", e.text, (json_int_t)line));
				pb_buf_addc(kinds, 'b');
			}
		}
		pb_buf_addc(out, '\n');
	}
	pb_plan_reader_free(r);
	return n;
}

/* The budget rule, checked on its own. */
static void check_decide(const json_t *doc)
{
	struct pb_decision d;
	size_t i;
	int over = 0;

	pb_decision_init(&d, 0);
	pb_plan_decide(policy, allocs, doc, "plans.jsonl:1", &d);
	for (i = 0; i < d.nreason; i++)
		over |= d.reason[i].why == PB_WHY_OVER_BUDGET;
	if (d.has_total && d.has_budget)
		FUZZ_CHECK(over == !pb_plan_within(d.total, d.budget,
						   policy->tolerance));
	else
		FUZZ_CHECK(!over);
	FUZZ_CHECK(d.plan_id && d.person_id && d.allocation_id);
	pb_decision_fini(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pb_format fmts[4] = {PB_FMT_CSV, PB_FMT_JSON,
					       PB_FMT_TABLE, PB_FMT_MD};
	static struct pb_buf slow, fast, kinds;
	struct pb_plancheck_opts o;
	struct pb_plancheck *c;
	struct pb_error e;
	char path[32], *out = NULL;
	size_t outlen = 0, i;
	json_t *docs;
	long n, total;
	int fd;
	FILE *fp;
	uint8_t ctl;

	if (!policy)
		setup();
	if (size < 1)
		return 0;
	ctl = data[0];
	fd = fuzz_file(data + 1, size - 1, path);
	docs = json_array();
	pb_buf_reset(&kinds);
	n = events(path, (ctl & 15) == 15 ? 65536 : (size_t)(ctl & 15) + 1,
		   &slow, docs, &kinds);
	FUZZ_CHECK(events(path, 65536, &fast, NULL, NULL) == n);
	if (slow.len != fast.len || (slow.len && memcmp(slow.s, fast.s, slow.len))) {
		fprintf(stderr, "--- small reads\n%s--- 64 KiB\n%s",
			slow.len ? slow.s : "", fast.len ? fast.s : "");
		FUZZ_CHECK(!"the reads disagree");
	}
	close(fd);

	memset(&o, 0, sizeof o);
	o.policy = policy;
	o.allocs = allocs;
	o.format = fmts[(ctl >> 4) & 3];
	c = pb_plancheck_new(&o, &e);
	FUZZ_CHECK(c);
	for (i = 0; i < json_array_size(docs); i++) {
		json_t *doc = json_array_get(docs, i);

		if (kinds.s[i] == 'b') {
			struct pb_error why;

			pb_error_clear(&why);
			pb_error_at(&why, "plans.jsonl",
				    (long)json_integer_value(json_array_get(doc, 1)),
				    NULL);
			pb_error_set(&why, PB_EDATA, "%s",
				     json_string_value(json_array_get(doc, 0)));
			FUZZ_CHECK(pb_plancheck_add_broken(c, &why, &e) == 0);
		} else {
			check_decide(doc);
			FUZZ_CHECK(pb_plancheck_add(c, doc, "plans.jsonl", 1, &e) == 0);
		}
	}
	fp = open_memstream(&out, &outlen);
	FUZZ_CHECK(fp);
	FUZZ_CHECK(pb_plancheck_write(c, fp, &e) == 0);
	FUZZ_CHECK(fclose(fp) == 0);
	total = pb_plancheck_total(c);
	FUZZ_CHECK(total == (long)json_array_size(docs));
	FUZZ_CHECK(pb_plancheck_count(c, PB_APPROVE) +
		   pb_plancheck_count(c, PB_REVIEW) +
		   pb_plancheck_count(c, PB_RETURN) == total);
	if (o.format == PB_FMT_CSV) {
		FUZZ_CHECK(fuzz_csv_each(out, outlen, NULL, NULL) == total);
	} else if (o.format == PB_FMT_JSON) {
		long lines = 0;

		for (i = 0; i < outlen; i++)
			lines += out[i] == '\n';
		FUZZ_CHECK(lines == total);
	}
	pb_plancheck_free(c);
	json_decref(docs);
	free(out);
	return 0;
}
