/* export.c - one row of a council's person export (CONTRACTS.md §1). */
#include <string.h>

#include "report.h"

const struct pb_colspec pb_export_spec[PB_X_N] = {
	[PB_X_PERSON_ID] = {"person_id", PB_COL_REQUIRED},
	[PB_X_LA_CODE] = {"la_code", PB_COL_OPTIONAL},
	[PB_X_CLIENT_TYPE] = {"client_type", PB_COL_OPTIONAL},
	[PB_X_PSR] = {"primary_support_reason", PB_COL_REQUIRED},
	[PB_X_AGE] = {"age", PB_COL_OPTIONAL},
	[PB_X_BIRTH_DATE] = {"birth_date", PB_COL_OPTIONAL},
	[PB_X_AGE_BAND] = {"age_band", PB_COL_OPTIONAL},
	[PB_X_SETTING] = {"support_setting", PB_COL_OPTIONAL},
	[PB_X_START] = {"support_start", PB_COL_REQUIRED},
	[PB_X_END] = {"support_end", PB_COL_OPTIONAL},
	[PB_X_MECH] = {"delivery_mechanism", PB_COL_REQUIRED},
};

const struct pb_colspec pb_export_opt_spec[PB_XO_N] = {
	[PB_XO_COST] = {"weekly_cost", PB_COL_OPTIONAL},
	[PB_XO_REFERRAL] = {"referral_date", PB_COL_OPTIONAL},
	[PB_XO_DP_OFFERED] = {"dp_offered_date", PB_COL_OPTIONAL},
	[PB_XO_ASSESSMENT] = {"assessment_date", PB_COL_OPTIONAL},
	[PB_XO_PLAN] = {"plan_approved_date", PB_COL_OPTIONAL},
	[PB_XO_FIRST_PAYMENT] = {"first_payment_date", PB_COL_OPTIONAL},
};

void pb_export_init(struct pb_export *x)
{
	size_t i;

	for (i = 0; i < PB_X_N; i++)
		x->idx[i] = -1;
	pb_codecache_init(&x->client, &pb_codes_client);
	pb_codecache_init(&x->psr, &pb_codes_psr);
	pb_codecache_init(&x->setting, &pb_codes_setting);
	pb_codecache_init(&x->mech, &pb_codes_mech);
}

int pb_export_parse(struct pb_export *x, const struct pb_record *rec,
		    struct pb_export_row *row, struct pb_error *e)
{
	const int *idx = x->idx;
	int64_t age;
	size_t n;
	const char *s;

	if (pb_field_req(rec, idx[PB_X_PERSON_ID], "person_id", e) < 0)
		return -PB_EDATA;
	row->person_id = pb_rec_get(rec, idx[PB_X_PERSON_ID], &row->person_len);
	row->la_code = pb_rec_get(rec, idx[PB_X_LA_CODE], &row->la_len);
	if (pb_field_code(rec, idx[PB_X_CLIENT_TYPE], &x->client,
			  PB_CLIENT_SERVICE_USER, &row->client, e) < 0 ||
	    pb_field_code(rec, idx[PB_X_PSR], &x->psr, -1, &row->psr, e) < 0 ||
	    pb_field_code(rec, idx[PB_X_SETTING], &x->setting,
			  PB_SET_COMMUNITY, &row->setting, e) < 0 ||
	    pb_field_code(rec, idx[PB_X_MECH], &x->mech, -1, &row->mech,
			  e) < 0)
		return -PB_EDATA;

	if (pb_field_req(rec, idx[PB_X_START], "support_start", e) < 0 ||
	    pb_field_date(rec, idx[PB_X_START], &row->start, e) < 0)
		return -PB_EDATA;
	row->end = INT32_MAX;
	switch (pb_field_date(rec, idx[PB_X_END], &row->end, e)) {
	case -PB_EDATA:
		return -PB_EDATA;
	case 1:
		if (row->end < row->start) {
			char q[80];

			s = pb_rec_get(rec, idx[PB_X_END], &n);
			pb_error_set(e, PB_EDATA, "ends before support_start '%s'",
				     pb_quote(q, sizeof q, s, n));
			return pb_field_blame(rec, idx[PB_X_END], e);
		}
	}

	switch (pb_field_int(rec, idx[PB_X_AGE], 0, 130, &age, e)) {
	case -PB_EDATA:
		return -PB_EDATA;
	case 1:
		row->age = (int)age;
		break;
	default:
		row->age = -1;
	}
	row->has_birth = pb_field_date(rec, idx[PB_X_BIRTH_DATE], &row->birth, e);
	if (row->has_birth < 0)
		return -PB_EDATA;
	row->band = PB_AGE_UNKNOWN;
	row->band_coarse = 0;
	s = pb_rec_get(rec, idx[PB_X_AGE_BAND], &n);
	if (n && pb_age_band_parse(s, n, &row->band, &row->band_coarse, e) < 0)
		return pb_field_blame(rec, idx[PB_X_AGE_BAND], e);
	return 0;
}

enum pb_age pb_export_age(const struct pb_export_row *row, int32_t d)
{
	if (row->age >= 0)
		return pb_age_band_fine(row->age);
	if (row->has_birth) {
		int y = pb_age_years(row->birth, d);

		return y < 0 ? PB_AGE_UNKNOWN : pb_age_band_fine(y);
	}
	return row->band;
}
