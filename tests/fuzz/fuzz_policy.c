/*
 * fuzz_policy - a spending policy (CONTRACTS.md §7) from any bytes,
 * loaded as pb-plan and pb-ledger audit load it.
 *
 * A policy that loads is consistent: each category is found by its
 * name, which is a code exactly as pb-ledger stores categories; a
 * forbidden name is not a category; each category may be paid from
 * some stream and requires only categories of the policy; the
 * percentages are in range.  And it can be used: a plan with one line
 * of each category (paid from a stream it allows, each tied to the
 * plan's outcome) against a large budget is decided with no reason
 * about its categories, streams, outcomes or fields; only a category
 * marked for review, or a contingency the policy allows none of, may
 * hold it back.
 */
#include "fuzz.h"
#include "pbjson.h"
#include "plan.h"
#include "policy.h"

static void check_use(const struct pb_spending *p)
{
	struct pb_plan_allocs *allocs = pb_plan_allocs_new(NULL);
	struct pb_plan_alloc a;
	struct pb_decision d;
	struct pb_error e;
	json_t *plan, *lines, *out;
	size_t i;
	int k, review = 0, contingency = 0;
	char id[32];

	memset(&a, 0, sizeof a);
	a.allocation_id = "A1";
	a.person_id = "P1";
	for (k = 0; k < PB_NSTREAMS; k++)
		a.stream[k] = 100000000;   /* a million pounds a week each */
	a.weekly = 300000000;
	FUZZ_CHECK(pb_plan_allocs_put(allocs, &a, "allocations.csv", 2, &e) == 0);

	plan = json_object();
	json_object_set_new(plan, "plan_id", json_string("PL-1"));
	json_object_set_new(plan, "person_id", json_string("P1"));
	json_object_set_new(plan, "allocation_id", json_string("A1"));
	out = json_array();
	json_array_append_new(out, json_pack("{s:s, s:s}", "id", "o1", "text",
					     "Live well"));
	json_object_set_new(plan, "outcomes", out);
	lines = json_array();
	for (i = 0; i < p->ncat; i++) {
		const struct pb_category *c = &p->cat[i];
		json_t *line;

		for (k = 0; k < PB_NSTREAMS; k++)
			if (c->streams & (1u << k))
				break;
		FUZZ_CHECK(k < PB_NSTREAMS);
		snprintf(id, sizeof id, "l%zu", i);
		line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[s], s:s}",
				 "id", id, "description", "a line",
				 "category", c->name, "cost", "1.00",
				 "per", "week", "outcomes", "o1",
				 "stream", pb_stream_names[k]);
		FUZZ_CHECK(line);
		json_array_append_new(lines, line);
		review |= c->review;
		contingency |= strcmp(c->name, PB_CONTINGENCY) == 0;
	}
	json_object_set_new(plan, "lines", lines);

	pb_decision_init(&d, 1);
	pb_plan_decide(p, allocs, plan, "plans.jsonl:1", &d);
	FUZZ_CHECK(d.has_total && d.total == (int64_t)p->ncat * 5200);
	FUZZ_CHECK(d.has_budget && d.budget == a.weekly * 52);
	for (i = 0; i < d.nreason; i++) {
		int why = d.reason[i].why;

		if (why == PB_WHY_REVIEW_CATEGORY && review)
			continue;
		if (why == PB_WHY_CONTINGENCY_TOO_HIGH && contingency &&
		    p->contingency_max == 0)
			continue;
		fprintf(stderr, "policy cannot be used: %s: %s\n",
			pb_why_code(why), d.reason[i].text);
		FUZZ_CHECK(!"a reason the policy should not give");
	}
	FUZZ_CHECK((pb_decision_verdict(&d) == PB_APPROVE) == (d.nreason == 0));
	FUZZ_CHECK(d.page.len > 0);
	pb_decision_fini(&d);
	json_decref(plan);
	pb_plan_allocs_free(allocs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[32], norm[PB_LEDGER_ID_MAX + 1], text[64];
	struct pb_error e;
	struct pb_spending *p;
	size_t i, j;
	int fd = fuzz_file(data, size, path);

	p = pb_spending_load(path, &e);
	close(fd);
	if (!p) {
		FUZZ_CHECK(e.code == PB_EUSAGE && e.text[0] != '\0');
		return 0;
	}
	FUZZ_CHECK(p->version[0] != '\0' && p->name != NULL);
	FUZZ_CHECK(p->tolerance >= 0 && p->tolerance <= 1000);
	FUZZ_CHECK(p->contingency_max >= -1 && p->contingency_max <= 1000);
	FUZZ_CHECK(pb_strmap_count(p->index) == p->ncat);
	for (i = 0; i < p->ncat; i++) {
		const struct pb_category *c = &p->cat[i];
		size_t n = strlen(c->name);

		FUZZ_CHECK(pb_spending_find(p, c->name, n) == (long)i);
		FUZZ_CHECK(!pb_spending_forbids(p, c->name, n));
		FUZZ_CHECK(pb_ledger_category(c->name, n, norm, &e) == 0 &&
			   strcmp(norm, c->name) == 0);
		FUZZ_CHECK(c->streams != 0 && (c->streams & ~PB_STREAMS_ALL) == 0);
		pb_streams_text(text, sizeof text, c->streams);
		FUZZ_CHECK(text[0] != '\0');
		for (j = 0; j < c->nrequires; j++)
			FUZZ_CHECK(c->requires[j] < p->ncat);
	}
	for (i = 0; i < pb_strmap_count(p->forbidden); i++) {
		size_t n;
		const char *name = pb_strmap_key(p->forbidden, i, &n);

		FUZZ_CHECK(pb_spending_forbids(p, name, n));
		FUZZ_CHECK(pb_spending_find(p, name, n) < 0);
		FUZZ_CHECK(pb_ledger_category(name, n, norm, &e) == 0 &&
			   strcmp(norm, name) == 0);
	}
	check_use(p);
	pb_spending_free(p);
	return 0;
}
