/*
 * allocate.c - the funding config (CONTRACTS.md §5) and the rules that
 * turn an indicative budget and a person's terms into an allocation
 * (§6): the agreed weekly amount, funding streams that sum to it
 * exactly, the contribution, and the payment schedule.
 */
#include <stdlib.h>
#include <string.h>

#include "allocate.h"
#include "codes.h"
#include "pbjson.h"

#define EU PB_EUSAGE

const struct pb_colspec pb_scored_spec[PB_AC_N] = {
	[PB_AC_PERSON_ID] = {"person_id", PB_COL_REQUIRED},
	[PB_AC_ASSESSMENT_DATE] = {"assessment_date", PB_COL_REQUIRED},
	[PB_AC_ASSESSOR] = {"assessor", PB_COL_REQUIRED},
	[PB_AC_INDICATIVE] = {"indicative_weekly", PB_COL_REQUIRED},
	[PB_AC_RAS_VERSION] = {"ras_version", PB_COL_REQUIRED},
	[PB_AC_FLAGS] = {"flags", PB_COL_OPTIONAL},
	[PB_AC_AGREED] = {"agreed_weekly", PB_COL_OPTIONAL},
	[PB_AC_REASON] = {"override_reason", PB_COL_OPTIONAL},
	[PB_AC_HEALTH] = {"health_percent", PB_COL_OPTIONAL},
	[PB_AC_S117] = {"s117", PB_COL_OPTIONAL},
	[PB_AC_CONTRIBUTION] = {"client_contribution_weekly", PB_COL_OPTIONAL},
	[PB_AC_MECH] = {"delivery_mechanism", PB_COL_OPTIONAL},
	[PB_AC_START] = {"start_date", PB_COL_OPTIONAL},
};

void pb_funding_free(struct pb_funding *f)
{
	if (!f)
		return;
	free(f->name);
	free(f->version);
	free(f);
}

struct pb_funding *pb_funding_from_json(const json_t *doc,
					struct pb_error *e)
{
	static const char *const keys[] = {"name", "version",
					   "payment_every_weeks",
					   "review_after_months",
					   "default_mechanism", "use", NULL};
	struct pb_funding *f;
	const char *s = NULL;
	char q[80];

	if (pb_json_object(doc, "", EU, e) < 0 ||
	    pb_json_keys(doc, "", keys, EU, e) < 0)
		return NULL;
	f = pb_xcalloc(1, sizeof *f);
	f->every_weeks = 4;
	f->review_months = 6;
	f->default_mech = PB_MECH_DP;
	f->use = PB_USE_HIGHER;
	if (pb_json_str(json_object_get(doc, "name"), "name", PB_JOPT, &s, EU,
			e) < 0)
		goto fail;
	f->name = pb_xstrdup(s ? s : "");
	s = NULL;
	if (pb_json_str(json_object_get(doc, "version"), "version", PB_JREQ,
			&s, EU, e) < 0)
		goto fail;
	if (*s == '\0') {
		pb_json_fail(e, EU, "version", "empty: outputs carry the version");
		goto fail;
	}
	f->version = pb_xstrdup(s);
	if (pb_json_int(json_object_get(doc, "payment_every_weeks"),
			"payment_every_weeks", PB_JOPT, 1, 52, &f->every_weeks,
			EU, e) < 0 ||
	    pb_json_int(json_object_get(doc, "review_after_months"),
			"review_after_months", PB_JOPT, 1, 12,
			&f->review_months, EU, e) < 0)
		goto fail;
	s = NULL;
	if (pb_json_str(json_object_get(doc, "default_mechanism"),
			"default_mechanism", PB_JOPT, &s, EU, e) < 0)
		goto fail;
	if (s) {
		int m = pb_code_lookup(&pb_codes_mech, s, strlen(s), e);

		if (m < 0) {
			pb_json_fail(e, EU, "default_mechanism",
				     "unknown delivery mechanism '%s' (dp, part_dp, managed or commissioned)",
				     pb_quote(q, sizeof q, s, strlen(s)));
			goto fail;
		}
		f->default_mech = m;
	}
	s = NULL;
	if (pb_json_str(json_object_get(doc, "use"), "use", PB_JOPT, &s, EU,
			e) < 0)
		goto fail;
	if (s) {
		if (strcmp(s, "higher") == 0)
			f->use = PB_USE_HIGHER;
		else if (strcmp(s, "practitioner") == 0)
			f->use = PB_USE_PRACTITIONER;
		else if (strcmp(s, "self") == 0)
			f->use = PB_USE_SELF;
		else {
			pb_json_fail(e, EU, "use",
				     "unknown choice '%s' (higher, practitioner or self)",
				     pb_quote(q, sizeof q, s, strlen(s)));
			goto fail;
		}
	}
	return f;
fail:
	pb_funding_free(f);
	return NULL;
}

struct pb_funding *pb_funding_load(const char *path, struct pb_error *e)
{
	json_t *doc = pb_json_load_file(path, EU, e);
	struct pb_funding *f;

	if (!doc)
		return NULL;
	pb_error_clear(e);
	f = pb_funding_from_json(doc, e);
	json_decref(doc);
	if (!f)
		pb_error_at(e, pb_path_label(path), 0, NULL);
	return f;
}

int pb_funding_choose(const struct pb_funding *f, int64_t self_weekly,
		      int64_t pract_weekly)
{
	switch (f->use) {
	case PB_USE_SELF:
		return 0;
	case PB_USE_PRACTITIONER:
		return 1;
	}
	return self_weekly > pract_weekly ? 0 : 1;
}

int pb_allocate_one(const struct pb_funding *f, int64_t indicative,
		    int32_t assessed, const struct pb_alloc_terms *t,
		    struct pb_allocation *out, int *col, struct pb_error *e)
{
	char q[80], m[PB_MONEY_BUFSZ];
	int64_t net;
	int32_t last;

	memset(out, 0, sizeof *out);
	out->indicative = indicative;
	out->weekly = t->has_agreed ? t->agreed : indicative;
	if (out->weekly != indicative && !t->has_reason) {
		*col = PB_AC_AGREED;
		pb_money_format(m, t->agreed, PB_MONEY_PLAIN);
		return pb_error_set(e, PB_EDATA,
			"differs from the indicative budget and there is no "
			"override_reason '%s'", pb_quote(q, sizeof q, m, strlen(m)));
	}
	if (t->s117 == 1 && t->has_health && t->health > 0) {
		*col = PB_AC_HEALTH;
		pb_tenths_format(m, t->health);
		return pb_error_set(e, PB_EDATA,
			"no share for health when s117 is yes: the whole budget "
			"is the s117 stream '%s'", m);
	}
	out->every_weeks = f->every_weeks;
	out->mech = t->mech >= 0 ? t->mech : f->default_mech;
	out->start = t->has_start ? t->start : assessed;
	out->first_payment = out->start;
	out->review = pb_date_add_months(out->start, (int)f->review_months);
	pb_date_from_ymd(PB_DATE_MAX_YEAR, 12, 31, &last);
	if (out->review > last) {
		*col = t->has_start ? PB_AC_START : PB_AC_ASSESSMENT_DATE;
		pb_date_format(m, out->start);
		return pb_error_set(e, PB_EDATA,
			"the review date would be after 9999-12-31 '%s'", m);
	}
	if (t->s117 == 1) {
		/* Section 117 aftercare is free: nothing is charged. */
		out->s117 = out->weekly;
		out->s117_no_charge = t->has_contribution && t->contribution > 0;
	} else {
		if (t->has_health &&
		    pb_muldiv_round(out->weekly, t->health, 1000,
				    &out->health) < 0) {
			*col = PB_AC_HEALTH;
			return pb_error_set(e, PB_EDATA, "amount too large");
		}
		out->social_care = out->weekly - out->health;
		out->contribution = t->has_contribution ? t->contribution : 0;
	}
	net = out->weekly - out->contribution;
	if (net <= 0) {
		out->contribution_covers = out->weekly > 0 || out->contribution > 0;
		net = 0;
	}
	/* weekly <= PB_MONEY_MAX and every_weeks <= 52: no overflow. */
	out->payment = net * out->every_weeks;
	return 0;
}
