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

/* Name the column (as the input names it) in e; returns -PB_EDATA. */
static int at(const struct pb_record *rec, int col, struct pb_error *e)
{
	if (col >= 0)
		pb_error_at(e, NULL, 0, rec->hdr->name[col]);
	return -PB_EDATA;
}

static int need(const struct pb_record *rec, const int *idx, int x,
		const char **s, size_t *n, struct pb_error *e)
{
	*s = pb_rec_get(rec, idx[x], n);
	if (*n == 0) {
		if (idx[x] < 0)
			return pb_error_set(e, PB_EDATA, "no '%s' in this record",
					    pb_export_spec[x].name);
		pb_error_set(e, PB_EDATA, "empty value");
		return at(rec, idx[x], e);
	}
	return 0;
}

static int code(const struct pb_record *rec, const int *idx, int x,
		const struct pb_codeset *cs, int dflt, int *out,
		struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx[x], &n);
	int c;

	if (n == 0 && dflt >= 0) {
		*out = dflt;
		return 0;
	}
	c = pb_code_lookup(cs, s, n, e);
	if (c < 0)
		return at(rec, idx[x], e);
	*out = c;
	return 0;
}

int pb_export_parse(const struct pb_record *rec, const int *idx,
		    struct pb_export_row *row, struct pb_error *e)
{
	const char *s;
	size_t n;

	if (need(rec, idx, PB_X_PERSON_ID, &row->person_id, &row->person_len,
		 e) < 0)
		return -PB_EDATA;
	row->la_code = pb_rec_get(rec, idx[PB_X_LA_CODE], &row->la_len);
	if (code(rec, idx, PB_X_CLIENT_TYPE, &pb_codes_client,
		 PB_CLIENT_SERVICE_USER, &row->client, e) < 0 ||
	    code(rec, idx, PB_X_PSR, &pb_codes_psr, -1, &row->psr, e) < 0 ||
	    code(rec, idx, PB_X_SETTING, &pb_codes_setting, PB_SET_COMMUNITY,
		 &row->setting, e) < 0 ||
	    code(rec, idx, PB_X_MECH, &pb_codes_mech, -1, &row->mech, e) < 0)
		return -PB_EDATA;

	if (need(rec, idx, PB_X_START, &s, &n, e) < 0)
		return -PB_EDATA;
	if (pb_date_parse(s, n, &row->start, e) < 0)
		return at(rec, idx[PB_X_START], e);
	s = pb_rec_get(rec, idx[PB_X_END], &n);
	row->end = INT32_MAX;
	if (n) {
		if (pb_date_parse(s, n, &row->end, e) < 0)
			return at(rec, idx[PB_X_END], e);
		if (row->end < row->start) {
			char q[80];

			pb_error_set(e, PB_EDATA, "ends before support_start '%s'",
				     pb_quote(q, sizeof q, s, n));
			return at(rec, idx[PB_X_END], e);
		}
	}

	row->age = -1;
	s = pb_rec_get(rec, idx[PB_X_AGE], &n);
	if (n) {
		int64_t v;

		if (pb_strtonum(s, n, 0, 130, &v, e) < 0)
			return at(rec, idx[PB_X_AGE], e);
		row->age = (int)v;
	}
	row->has_birth = 0;
	s = pb_rec_get(rec, idx[PB_X_BIRTH_DATE], &n);
	if (n) {
		if (pb_date_parse(s, n, &row->birth, e) < 0)
			return at(rec, idx[PB_X_BIRTH_DATE], e);
		row->has_birth = 1;
	}
	row->band = PB_AGE_UNKNOWN;
	row->band_coarse = 0;
	s = pb_rec_get(rec, idx[PB_X_AGE_BAND], &n);
	if (n && pb_age_band_parse(s, n, &row->band, &row->band_coarse, e) < 0)
		return at(rec, idx[PB_X_AGE_BAND], e);
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
