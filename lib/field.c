/*
 * field.c - typed values from a record's fields, with errors that name
 * the column as the input names it and quote only the value.
 */
#include <string.h>

#include "pb.h"

int pb_field_blame(const struct pb_record *rec, int idx, struct pb_error *e)
{
	if (idx >= 0 && (size_t)idx < rec->n)
		pb_error_at(e, NULL, 0, rec->hdr->name[idx]);
	return -PB_EDATA;
}

int pb_field_req(const struct pb_record *rec, int idx, const char *name,
		 struct pb_error *e)
{
	size_t n;

	pb_rec_get(rec, idx, &n);
	if (n > 0)
		return 1;
	if (idx < 0 || (size_t)idx >= rec->n ||
	    rec->kind[idx] == PB_KIND_ABSENT)
		return pb_error_set(e, PB_EDATA, "no '%s' in this record",
				    name);
	pb_error_set(e, PB_EDATA, "empty value");
	return pb_field_blame(rec, idx, e);
}

int pb_field_money(const struct pb_record *rec, int idx, int64_t *pence,
		   struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);
	char q[80];

	if (n == 0)
		return 0;
	if (rec->kind[idx] == PB_KIND_REAL) {
		pb_error_set(e, PB_EDATA,
			     "a JSON number with a fraction is not exact money '%s': "
			     "write it as a string",
			     pb_quote(q, sizeof q, s, n));
		return pb_field_blame(rec, idx, e);
	}
	if (rec->kind[idx] == PB_KIND_BOOL) {
		pb_error_set(e, PB_EDATA, "not a money amount '%s'",
			     pb_quote(q, sizeof q, s, n));
		return pb_field_blame(rec, idx, e);
	}
	if (pb_money_parse(s, n, pence, e) < 0)
		return pb_field_blame(rec, idx, e);
	return 1;
}

int pb_field_date(const struct pb_record *rec, int idx, int32_t *day,
		  struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);

	if (n == 0)
		return 0;
	if (pb_date_parse(s, n, day, e) < 0)
		return pb_field_blame(rec, idx, e);
	return 1;
}

int pb_field_int(const struct pb_record *rec, int idx, int64_t min,
		 int64_t max, int64_t *out, struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);

	if (n == 0)
		return 0;
	if (pb_strtonum(s, n, min, max, out, e) < 0)
		return pb_field_blame(rec, idx, e);
	return 1;
}

int pb_field_tenths(const struct pb_record *rec, int idx, int64_t min,
		    int64_t max, int64_t *out, struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);

	if (n == 0)
		return 0;
	if (pb_tenths_parse(s, n, min, max, out, e) < 0)
		return pb_field_blame(rec, idx, e);
	return 1;
}
