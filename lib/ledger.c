/*
 * ledger.c - what changes the books: allocations and their payment
 * schedules, imported transactions, scheduled payments, surplus
 * recovery and reversals, with the exact arithmetic they need.
 */
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "ledger_int.h"

/* ---- arithmetic ------------------------------------------------------------ */

#define SPLIT_MAX 16

int pb_ledger_split(int64_t amount, const int64_t *w, size_t n, int64_t *out,
		    struct pb_error *e)
{
	__int128 rem[SPLIT_MAX], total = 0, a;
	int64_t given = 0, left;
	size_t i;
	int neg = amount < 0;

	if (n == 0 || n > SPLIT_MAX)
		return pb_error_set(e, PB_EDATA, "cannot split into %zu parts", n);
	for (i = 0; i < n; i++) {
		if (w[i] < 0)
			return pb_error_set(e, PB_EDATA,
					    "cannot split in proportion to a negative amount");
		total += w[i];
	}
	if (total == 0)
		return pb_error_set(e, PB_EDATA,
				    "cannot split in proportion to nothing");
	a = neg ? -(__int128)amount : (__int128)amount;
	for (i = 0; i < n; i++) {
		__int128 q = a * w[i];

		out[i] = (int64_t)(q / total);
		rem[i] = q % total;
		given += out[i];
	}
	/* Fewer pennies left than parts with a remainder: each gets one. */
	for (left = (int64_t)(a - given); left > 0; left--) {
		size_t best = n;

		for (i = 0; i < n; i++)
			if (rem[i] > 0 && (best == n || rem[i] > rem[best]))
				best = i;
		out[best]++;
		rem[best] = 0;
	}
	if (neg)
		for (i = 0; i < n; i++)
			out[i] = -out[i];
	return 0;
}

int64_t pb_ledger_prorate(int64_t amount, int days, int of_days)
{
	int64_t out = amount;

	if (days >= of_days || of_days <= 0)
		return amount;
	if (pb_muldiv_round(amount, days, of_days, &out) < 0)
		return amount;
	return out;
}

int pb_ledger_weeks(int64_t balance, int64_t weekly, int64_t *tenths)
{
	if (weekly <= 0)
		return -PB_EDATA;
	return pb_muldiv_round(balance, 10, weekly, tenths);
}

/* ---- names ------------------------------------------------------------------ */

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

static int check_name(const char *what, const char *s, size_t len,
		      size_t max, struct pb_error *e)
{
	char q[80];
	size_t i;

	if (len == 0)
		return pb_error_set(e, PB_EDATA, "empty %s", what);
	if (len > max)
		return pb_error_set(e, PB_EDATA,
				    "a %s longer than %zu characters '%s'", what,
				    max, pb_quote(q, sizeof q, s, len));
	for (i = 0; i < len; i++)
		if (!name_char(s[i]))
			return pb_error_set(e, PB_EDATA,
				"not a %s (letters, digits, '.', '_' and '-' only) '%s'",
				what, pb_quote(q, sizeof q, s, len));
	return 0;
}

int pb_ledger_check_name(const char *what, const char *s, size_t len,
			 struct pb_error *e)
{
	return check_name(what, s, len, PB_LEDGER_ID_MAX, e);
}

int pb_ledger_category(const char *s, size_t len, char *out,
		       struct pb_error *e)
{
	size_t i = 0, o = 0;
	char q[80];

	while (len > 0 && s[len - 1] == ' ')
		len--;
	while (i < len && s[i] == ' ')
		i++;
	for (; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '_') {
			if (o == 0 || out[o - 1] != '_')
				c = '_';
			else
				continue;
		} else if (c >= 'A' && c <= 'Z') {
			c = (char)(c - 'A' + 'a');
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			     c == '-')) {
			return pb_error_set(e, PB_EDATA,
				"not a category code (letters, digits, '_' and '-') '%s'",
				pb_quote(q, sizeof q, s, len));
		}
		if (o >= PB_LEDGER_ID_MAX)
			return pb_error_set(e, PB_EDATA,
				"a category longer than %d characters '%s'",
				PB_LEDGER_ID_MAX, pb_quote(q, sizeof q, s, len));
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* No control characters (they would break lines in the journal). */
static int check_text(const char *s, size_t len, size_t max,
		      struct pb_error *e)
{
	char q[80];
	size_t i;

	if (len > max)
		return pb_error_set(e, PB_EDATA,
				    "longer than %zu characters '%s'", max,
				    pb_quote(q, sizeof q, s, len));
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return pb_error_set(e, PB_EDATA,
					    "a control character in '%s'",
					    pb_quote(q, sizeof q, s, len));
	return 0;
}

/* ---- allocations ------------------------------------------------------------ */

const struct pb_colspec pb_alloc_spec[PB_A_N] = {
	[PB_A_ALLOCATION_ID] = {"allocation_id", PB_COL_REQUIRED},
	[PB_A_PERSON_ID] = {"person_id", PB_COL_REQUIRED},
	[PB_A_START_DATE] = {"start_date", PB_COL_REQUIRED},
	[PB_A_REVIEW_DATE] = {"review_date", PB_COL_OPTIONAL},
	[PB_A_INDICATIVE_WEEKLY] = {"indicative_weekly", PB_COL_OPTIONAL},
	[PB_A_WEEKLY_AMOUNT] = {"weekly_amount", PB_COL_REQUIRED},
	[PB_A_SOCIAL_CARE] = {"social_care", PB_COL_REQUIRED},
	[PB_A_HEALTH] = {"health", PB_COL_REQUIRED},
	[PB_A_S117] = {"s117", PB_COL_REQUIRED},
	[PB_A_CONTRIBUTION] = {"client_contribution_weekly", PB_COL_REQUIRED},
	[PB_A_MECH] = {"delivery_mechanism", PB_COL_REQUIRED},
	[PB_A_EVERY] = {"payment_every_weeks", PB_COL_REQUIRED},
	[PB_A_FIRST_PAYMENT] = {"first_payment_date", PB_COL_REQUIRED},
	[PB_A_PAYMENT_AMOUNT] = {"payment_amount", PB_COL_REQUIRED},
	[PB_A_OVERRIDE_REASON] = {"override_reason", PB_COL_OPTIONAL},
	[PB_A_RAS_VERSION] = {"ras_version", PB_COL_OPTIONAL},
	[PB_A_FUNDING_VERSION] = {"funding_version", PB_COL_OPTIONAL},
	[PB_A_FLAGS] = {"flags", PB_COL_OPTIONAL},
};

static int req_money(const struct pb_record *rec, int idx, const char *name,
		     int64_t *v, struct pb_error *e)
{
	char m[PB_MONEY_BUFSZ];

	if (pb_field_req(rec, idx, name, e) < 0 ||
	    pb_field_money(rec, idx, v, e) < 0)
		return -PB_EDATA;
	if (*v < 0) {
		pb_error_set(e, PB_EDATA, "a negative amount '%s'",
			     pb_money_format(m, *v, PB_MONEY_PLAIN));
		return pb_field_blame(rec, idx, e);
	}
	return 0;
}

static int req_date(const struct pb_record *rec, int idx, const char *name,
		    int32_t *d, struct pb_error *e)
{
	if (pb_field_req(rec, idx, name, e) < 0 ||
	    pb_field_date(rec, idx, d, e) < 0)
		return -PB_EDATA;
	return 0;
}

static const char *opt_text(const struct pb_record *rec, int idx)
{
	return pb_rec_get(rec, idx, NULL);
}

int pb_alloc_parse(const int *idx, const struct pb_record *rec,
		   struct pb_alloc *a, struct pb_error *e)
{
	static const enum pb_acol streams[PB_NSTREAMS] = {
		PB_A_SOCIAL_CARE, PB_A_HEALTH, PB_A_S117
	};
	const char *s;
	size_t n;
	int64_t v, net, want, sum = 0;
	char m1[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ];
	int i;

	memset(a, 0, sizeof *a);
	/* ids */
	if (pb_field_req(rec, idx[PB_A_ALLOCATION_ID], "allocation_id", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, idx[PB_A_ALLOCATION_ID], &n);
	if (check_name("allocation_id", s, n, 2 * PB_LEDGER_ID_MAX, e) < 0)
		return pb_field_blame(rec, idx[PB_A_ALLOCATION_ID], e);
	a->allocation_id = s;
	if (pb_field_req(rec, idx[PB_A_PERSON_ID], "person_id", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, idx[PB_A_PERSON_ID], &n);
	if (pb_ledger_check_name("person_id", s, n, e) < 0)
		return pb_field_blame(rec, idx[PB_A_PERSON_ID], e);
	a->person_id = s;
	/* dates */
	if (req_date(rec, idx[PB_A_START_DATE], "start_date", &a->start, e) < 0)
		return -PB_EDATA;
	a->review = -1;
	if (pb_field_date(rec, idx[PB_A_REVIEW_DATE], &a->review, e) < 0)
		return -PB_EDATA;
	if (req_date(rec, idx[PB_A_FIRST_PAYMENT], "first_payment_date",
		     &a->first_payment, e) < 0)
		return -PB_EDATA;
	/* money */
	a->indicative = -1;
	if (pb_field_money(rec, idx[PB_A_INDICATIVE_WEEKLY], &a->indicative, e) < 0)
		return -PB_EDATA;
	if (req_money(rec, idx[PB_A_WEEKLY_AMOUNT], "weekly_amount", &a->weekly,
		      e) < 0)
		return -PB_EDATA;
	for (i = 0; i < PB_NSTREAMS; i++) {
		if (req_money(rec, idx[streams[i]], pb_stream_names[i],
			      &a->stream[i], e) < 0)
			return -PB_EDATA;
		sum += a->stream[i];
	}
	if (req_money(rec, idx[PB_A_CONTRIBUTION], "client_contribution_weekly",
		      &a->contribution, e) < 0)
		return -PB_EDATA;
	if (req_money(rec, idx[PB_A_PAYMENT_AMOUNT], "payment_amount",
		      &a->payment, e) < 0)
		return -PB_EDATA;
	/* the schedule */
	if (pb_field_req(rec, idx[PB_A_MECH], "delivery_mechanism", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, idx[PB_A_MECH], &n);
	if ((a->mech = pb_code_lookup(&pb_codes_mech, s, n, e)) < 0)
		return pb_field_blame(rec, idx[PB_A_MECH], e);
	if (pb_field_req(rec, idx[PB_A_EVERY], "payment_every_weeks", e) < 0 ||
	    pb_field_int(rec, idx[PB_A_EVERY], 1, 52, &v, e) < 0)
		return -PB_EDATA;
	a->every = (int)v;
	a->override_reason = opt_text(rec, idx[PB_A_OVERRIDE_REASON]);
	a->ras_version = opt_text(rec, idx[PB_A_RAS_VERSION]);
	a->funding_version = opt_text(rec, idx[PB_A_FUNDING_VERSION]);
	a->flags = opt_text(rec, idx[PB_A_FLAGS]);

	/* The figures must agree with each other (CONTRACTS.md §6). */
	if (sum != a->weekly) {
		pb_error_set(e, PB_EDATA,
			     "not the sum of social_care, health and s117 (%s) '%s'",
			     pb_money_format(m1, sum, PB_MONEY_PLAIN),
			     pb_money_format(m2, a->weekly, PB_MONEY_PLAIN));
		return pb_field_blame(rec, idx[PB_A_WEEKLY_AMOUNT], e);
	}
	net = a->weekly - a->contribution;
	want = net > 0 ? net * a->every : 0;
	if (a->payment != want) {
		pb_error_set(e, PB_EDATA,
			     "not (weekly_amount - client_contribution_weekly) x payment_every_weeks (%s) '%s'",
			     pb_money_format(m1, want, PB_MONEY_PLAIN),
			     pb_money_format(m2, a->payment, PB_MONEY_PLAIN));
		return pb_field_blame(rec, idx[PB_A_PAYMENT_AMOUNT], e);
	}
	if (a->first_payment < a->start) {
		char d[PB_DATE_BUFSZ];

		pb_error_set(e, PB_EDATA, "before start_date '%s'",
			     pb_date_format(d, a->first_payment));
		return pb_field_blame(rec, idx[PB_A_FIRST_PAYMENT], e);
	}
	return 0;
}

/*
 * The first figure of a stored allocation (row of PB_LST_ALLOC_GET) that
 * differs from a: its name, with the stored and the new value as text.
 */
struct diff {
	char was[PB_MONEY_BUFSZ + 8], now[PB_MONEY_BUFSZ + 8];
};

static void money_text(char *buf, int64_t v)
{
	if (v < 0)
		strcpy(buf, "none");
	else
		pb_money_format(buf, v, PB_MONEY_PLAIN);
}

static const char *alloc_differs(sqlite3_stmt *st, const struct pb_alloc *a,
				 struct diff *df)
{
	static const char *const money_name[] = {
		"weekly_amount", "social_care", "health", "s117",
		"client_contribution_weekly", "payment_amount",
		"indicative_weekly"
	};
	const char *text_name[] = {
		"person_id", "start_date", "delivery_mechanism",
		"first_payment_date", "review_date", "override_reason",
		"ras_version", "funding_version", "flags"
	};
	static const int text_col[] = {0, 1, 9, 11, 12, 13, 14, 15, 16};
	const char *text_now[9];
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ], d3[PB_DATE_BUFSZ];
	int64_t mine[7];
	int i;

	mine[0] = a->weekly;
	mine[1] = a->stream[0];
	mine[2] = a->stream[1];
	mine[3] = a->stream[2];
	mine[4] = a->contribution;
	mine[5] = a->payment;
	mine[6] = a->indicative;
	if (strcmp(pb_ledger_col_text(st, 0), a->person_id) != 0) {
		df->was[0] = '\0';
		pb_quote(df->now, sizeof df->now, a->person_id,
			 strlen(a->person_id));
		return "person_id";
	}
	for (i = 0; i < 7; i++) {
		int64_t v = sqlite3_column_type(st, 2 + i) == SQLITE_NULL
				    ? -1 : sqlite3_column_int64(st, 2 + i);

		if (v != mine[i]) {
			money_text(df->was, v);
			money_text(df->now, mine[i]);
			return money_name[i];
		}
	}
	if (sqlite3_column_int64(st, 10) != a->every) {
		snprintf(df->was, sizeof df->was, "%lld",
			 (long long)sqlite3_column_int64(st, 10));
		snprintf(df->now, sizeof df->now, "%d", a->every);
		return "payment_every_weeks";
	}
	text_now[0] = a->person_id;
	text_now[1] = pb_date_format(d1, a->start);
	text_now[2] = pb_code_name(&pb_codes_mech, a->mech);
	text_now[3] = pb_date_format(d2, a->first_payment);
	text_now[4] = a->review >= 0 ? pb_date_format(d3, a->review) : "";
	text_now[5] = a->override_reason;
	text_now[6] = a->ras_version;
	text_now[7] = a->funding_version;
	text_now[8] = a->flags;
	for (i = 0; i < 9; i++) {
		const char *was = pb_ledger_col_text(st, text_col[i]);

		if (strcmp(was, text_now[i]) == 0)
			continue;
		/* Dates and codes are shown; free text only as "other". */
		if (i >= 1 && i <= 4) {
			snprintf(df->was, sizeof df->was, "%s", *was ? was : "none");
		} else {
			df->was[0] = '\0';
		}
		pb_quote(df->now, sizeof df->now, text_now[i],
			 strlen(text_now[i]));
		return text_name[i];
	}
	return NULL;
}

int pb_ledger_add_alloc(struct pb_ledger *l, const struct pb_alloc *a,
			struct pb_error *e)
{
	sqlite3_stmt *st;
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ];
	int64_t id;
	int rc, i;

	/* The same allocation again: nothing to do, or a refusal. */
	st = pb_ledger_stmt(l, PB_LST_ALLOC_GET,
		"SELECT person_id, start_date, weekly_amount, social_care, health,"
		" s117, client_contribution_weekly, payment_amount,"
		" indicative_weekly, delivery_mechanism, payment_every_weeks,"
		" first_payment_date, coalesce(review_date, ''), override_reason,"
		" ras_version, funding_version, flags"
		" FROM allocations WHERE allocation_id = ?1", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, a->allocation_id, -1);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 1) {
		struct diff df;
		const char *field = alloc_differs(st, a, &df);

		sqlite3_reset(st);
		if (!field)
			return 0;
		pb_error_at(e, NULL, 0, field);
		if (df.was[0])
			return pb_error_set(e, PB_EDATA,
				"this allocation_id is already in the books with %s %s (a change is a new allocation with a later start_date) '%s'",
				field, df.was, df.now);
		return pb_error_set(e, PB_EDATA,
			"this allocation_id is already in the books with another %s (a change is a new allocation with a later start_date) '%s'",
			field, df.now);
	}

	/* Later than the person's latest allocation... */
	st = pb_ledger_stmt(l, PB_LST_ALLOC_LATEST,
		"SELECT allocation_id, start_date FROM allocations"
		" WHERE person_id = ?1 ORDER BY start_date DESC LIMIT 1", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, a->person_id, -1);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 1) {
		int32_t latest = pb_ledger_col_date(st, 1);

		if (latest >= a->start) {
			pb_error_at(e, NULL, 0, "start_date");
			pb_error_set(e, PB_EDATA,
				"not after the start (%s) of the person's latest allocation '%s'",
				pb_date_format(d1, latest),
				pb_date_format(d2, a->start));
			sqlite3_reset(st);
			return -PB_EDATA;
		}
		sqlite3_reset(st);
	}
	/* ...and after the last period already paid to the person. */
	st = pb_ledger_stmt(l, PB_LST_ALLOC_PAID,
		"SELECT max(date(t.date, '+' || (7 * a.payment_every_weeks - 1)"
		" || ' days')) FROM txns t JOIN allocations a"
		" ON a.allocation_id = t.allocation_id"
		" WHERE t.kind = 'payment' AND a.person_id = ?1", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, a->person_id, -1);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 1 && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		int32_t paid = pb_ledger_col_date(st, 0);

		sqlite3_reset(st);
		if (paid >= a->start) {
			pb_error_at(e, NULL, 0, "start_date");
			return pb_error_set(e, PB_EDATA,
				"in a period already paid to the person (up to %s) '%s'",
				pb_date_format(d1, paid),
				pb_date_format(d2, a->start));
		}
	}
	sqlite3_reset(st);

	if (pb_ledger_account(l, pb_ledger_acname(l, 0, "dp:", a->person_id),
			      "dp", a->person_id, 1, &id, e) < 0)
		return -PB_EIO;
	st = pb_ledger_stmt(l, PB_LST_ALLOC_ADD,
		"INSERT INTO allocations (allocation_id, person_id, start_date,"
		" review_date, indicative_weekly, weekly_amount, social_care,"
		" health, s117, client_contribution_weekly, delivery_mechanism,"
		" payment_every_weeks, first_payment_date, payment_amount,"
		" override_reason, ras_version, funding_version, flags, run)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
		" ?14, ?15, ?16, ?17, ?18, ?19)", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, a->allocation_id, -1);
	pb_ledger_bind_text(st, 2, a->person_id, -1);
	pb_ledger_bind_date(st, 3, a->start);
	if (a->review >= 0)
		pb_ledger_bind_date(st, 4, a->review);
	if (a->indicative >= 0)
		sqlite3_bind_int64(st, 5, a->indicative);
	sqlite3_bind_int64(st, 6, a->weekly);
	for (i = 0; i < PB_NSTREAMS; i++)
		sqlite3_bind_int64(st, 7 + i, a->stream[i]);
	sqlite3_bind_int64(st, 10, a->contribution);
	pb_ledger_bind_text(st, 11, pb_code_name(&pb_codes_mech, a->mech), -1);
	sqlite3_bind_int64(st, 12, a->every);
	pb_ledger_bind_date(st, 13, a->first_payment);
	sqlite3_bind_int64(st, 14, a->payment);
	pb_ledger_bind_text(st, 15, a->override_reason, -1);
	pb_ledger_bind_text(st, 16, a->ras_version, -1);
	pb_ledger_bind_text(st, 17, a->funding_version, -1);
	pb_ledger_bind_text(st, 18, a->flags, -1);
	sqlite3_bind_int64(st, 19, pb_ledger_run(l));
	if (pb_ledger_step_done(l, st, e) < 0)
		return -PB_EIO;
	return 1;
}

/* ---- transactions in ---------------------------------------------------------- */

const struct pb_colspec pb_txn_spec[PB_T_N] = {
	[PB_T_TXN_ID] = {"txn_id", PB_COL_REQUIRED},
	[PB_T_PERSON_ID] = {"person_id", PB_COL_REQUIRED},
	[PB_T_DATE] = {"date", PB_COL_REQUIRED},
	[PB_T_AMOUNT] = {"amount", PB_COL_REQUIRED},
	[PB_T_CATEGORY] = {"category", PB_COL_OPTIONAL},
	[PB_T_PAYEE] = {"payee", PB_COL_OPTIONAL},
	[PB_T_DESCRIPTION] = {"description", PB_COL_OPTIONAL},
};

int pb_txn_parse(const int *idx, const struct pb_record *rec,
		 struct pb_txn_in *t, struct pb_error *e)
{
	const char *s;
	size_t n;
	char m[PB_MONEY_BUFSZ];

	memset(t, 0, sizeof *t);
	if (pb_field_req(rec, idx[PB_T_TXN_ID], "txn_id", e) < 0)
		return -PB_EDATA;
	t->txn_id = pb_rec_get(rec, idx[PB_T_TXN_ID], &t->txn_id_len);
	if (check_text(t->txn_id, t->txn_id_len, PB_LEDGER_TXN_ID_MAX, e) < 0)
		return pb_field_blame(rec, idx[PB_T_TXN_ID], e);
	if (pb_field_req(rec, idx[PB_T_PERSON_ID], "person_id", e) < 0)
		return -PB_EDATA;
	s = pb_rec_get(rec, idx[PB_T_PERSON_ID], &n);
	if (pb_ledger_check_name("person_id", s, n, e) < 0)
		return pb_field_blame(rec, idx[PB_T_PERSON_ID], e);
	t->person_id = s;
	if (req_date(rec, idx[PB_T_DATE], "date", &t->date, e) < 0)
		return -PB_EDATA;
	if (pb_field_req(rec, idx[PB_T_AMOUNT], "amount", e) < 0 ||
	    pb_field_money(rec, idx[PB_T_AMOUNT], &t->amount, e) < 0)
		return -PB_EDATA;
	if (t->amount == 0) {
		pb_error_set(e, PB_EDATA, "a transaction of nothing '%s'",
			     pb_rec_get(rec, idx[PB_T_AMOUNT], NULL));
		return pb_field_blame(rec, idx[PB_T_AMOUNT], e);
	}
	s = pb_rec_get(rec, idx[PB_T_CATEGORY], &n);
	if (pb_ledger_category(s, n, t->category, e) < 0)
		return pb_field_blame(rec, idx[PB_T_CATEGORY], e);
	if (strcmp(t->category, PB_LEDGER_CONTRIBUTION) == 0 && t->amount < 0) {
		pb_error_set(e, PB_EDATA,
			     "a contribution is money paid in, not out '%s'",
			     pb_money_format(m, t->amount, PB_MONEY_PLAIN));
		return pb_field_blame(rec, idx[PB_T_AMOUNT], e);
	}
	t->payee = pb_rec_get(rec, idx[PB_T_PAYEE], &t->payee_len);
	t->description = pb_rec_get(rec, idx[PB_T_DESCRIPTION],
				    &t->description_len);
	return 0;
}

static int same_text(const char *stored, const char *s, size_t n)
{
	return strlen(stored) == n && memcmp(stored, s, n) == 0;
}

int pb_ledger_import(struct pb_ledger *l, const char *source,
		     const struct pb_txn_in *t, struct pb_error *e)
{
	struct pb_newtxn nt;
	struct pb_leg legs[2];
	const char *dp = pb_ledger_acname(l, 0, "dp:", t->person_id);
	int64_t id;
	int rc, contrib = strcmp(t->category, PB_LEDGER_CONTRIBUTION) == 0;
	sqlite3_stmt *st;
	char q[80], m[PB_MONEY_BUFSZ], m2[PB_MONEY_BUFSZ];
	char d[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ];
	const char *field = NULL, *was = NULL, *now = NULL;
	size_t nlen = 0;

	if ((rc = pb_ledger_account(l, dp, "dp", t->person_id, 0, &id, e)) < 0)
		return rc;
	if (rc == 0) {
		pb_error_at(e, NULL, 0, "person_id");
		return pb_error_set(e, PB_EDATA,
			"no account in the books for this person (import their allocation first) '%s'",
			pb_quote(q, sizeof q, t->person_id, strlen(t->person_id)));
	}
	memset(&nt, 0, sizeof nt);
	nt.source = source;
	nt.txn_id = t->txn_id;
	nt.txn_id_len = t->txn_id_len;
	nt.kind = "import";
	nt.class = contrib ? "contribution" : "spent";
	nt.person_id = t->person_id;
	nt.date = t->date;
	nt.amount = t->amount;
	nt.category = t->category;
	nt.payee = t->payee;
	nt.payee_len = t->payee_len;
	nt.description = t->description;
	nt.description_len = t->description_len;
	nt.period = -1;
	legs[0].account = dp;
	legs[0].kind = "dp";
	legs[0].person_id = t->person_id;
	legs[0].amount = t->amount;
	if (contrib) {
		legs[1].account = pb_ledger_acname(l, 1, "contribution:",
						   t->person_id);
		legs[1].kind = "contribution";
		legs[1].person_id = t->person_id;
	} else {
		legs[1].account = pb_ledger_acname(l, 1, "spend:",
			t->category[0] ? t->category : "uncategorised");
		legs[1].kind = "spend";
		legs[1].person_id = NULL;
	}
	legs[1].amount = -t->amount;
	rc = pb_ledger_insert(l, &nt, legs, 2, NULL, e);
	if (rc != 0)
		return rc;

	/* Seen before: the same fields, or an error naming the first that
	 * differs. */
	st = pb_ledger_stmt(l, PB_LST_TXN_GET,
		"SELECT person_id, date, amount, category, payee, description"
		" FROM txns WHERE source = ?1 AND txn_id = ?2", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, source, -1);
	pb_ledger_bind_text(st, 2, t->txn_id, (long)t->txn_id_len);
	if ((rc = pb_ledger_step_row(l, st, e)) <= 0)
		return rc < 0 ? rc : pb_error_set(e, PB_EIO,
			"internal error: transaction vanished");
	if (strcmp(pb_ledger_col_text(st, 0), t->person_id) != 0)
		field = "person_id", now = t->person_id, nlen = strlen(now);
	else if (pb_ledger_col_date(st, 1) != t->date)
		field = "date", was = pb_date_format(d, pb_ledger_col_date(st, 1)),
		now = pb_date_format(d2, t->date), nlen = strlen(now);
	else if (sqlite3_column_int64(st, 2) != t->amount)
		field = "amount", was = pb_money_format(m,
			sqlite3_column_int64(st, 2), PB_MONEY_PLAIN),
		now = pb_money_format(m2, t->amount, PB_MONEY_PLAIN),
		nlen = strlen(now);
	else if (strcmp(pb_ledger_col_text(st, 3), t->category) != 0)
		field = "category", now = t->category, nlen = strlen(now);
	else if (!same_text(pb_ledger_col_text(st, 4), t->payee, t->payee_len))
		field = "payee", now = t->payee, nlen = t->payee_len;
	else if (!same_text(pb_ledger_col_text(st, 5), t->description,
			    t->description_len))
		field = "description", now = t->description,
		nlen = t->description_len;
	sqlite3_reset(st);
	if (!field)
		return 0;
	pb_error_at(e, NULL, 0, field);
	if (was)
		return pb_error_set(e, PB_EDATA,
			"this txn_id is already in the books from source '%s' with %s %s '%s'",
			source, field, was, pb_quote(q, sizeof q, now, nlen));
	return pb_error_set(e, PB_EDATA,
		"this txn_id is already in the books from source '%s' with another %s '%s'",
		source, field, pb_quote(q, sizeof q, now, nlen));
}

/* ---- scheduled payments ------------------------------------------------------------ */

struct sched {
	char *allocation_id, *person_id;
	int32_t first, next_start;   /* next_start: INT32_MAX if none */
	int every;
	int64_t payment, stream[PB_NSTREAMS];
	int64_t last_period;         /* -1: none paid */
};

static void sched_free(struct sched *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(s[i].allocation_id);
		free(s[i].person_id);
	}
	free(s);
}

/* The schedules with something to pay by through (read before writing). */
static int load_schedules(struct pb_ledger *l, int32_t through,
			  struct sched **out, size_t *nout, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_PAY_ALLOCS,
		"SELECT a.allocation_id, a.person_id, a.first_payment_date,"
		" a.payment_every_weeks, a.payment_amount, a.social_care, a.health,"
		" a.s117,"
		" (SELECT min(b.start_date) FROM allocations b"
		"   WHERE b.person_id = a.person_id AND b.start_date > a.start_date),"
		" (SELECT max(t.period) FROM txns t"
		"   WHERE t.kind = 'payment' AND t.allocation_id = a.allocation_id)"
		" FROM allocations a"
		" WHERE a.delivery_mechanism IN ('dp', 'part_dp')"
		" AND a.payment_amount > 0 AND a.first_payment_date <= ?1"
		" ORDER BY a.person_id, a.start_date", e);
	struct sched *s = NULL;
	size_t n = 0, cap = 0;
	int rc, i;

	if (!st)
		return -PB_EIO;
	pb_ledger_bind_date(st, 1, through);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		struct sched *x;

		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			s = pb_xrealloc(s, cap * sizeof *s);
		}
		x = &s[n++];
		x->allocation_id = pb_xstrdup(pb_ledger_col_text(st, 0));
		x->person_id = pb_xstrdup(pb_ledger_col_text(st, 1));
		x->first = pb_ledger_col_date(st, 2);
		x->every = sqlite3_column_int(st, 3);
		x->payment = sqlite3_column_int64(st, 4);
		for (i = 0; i < PB_NSTREAMS; i++)
			x->stream[i] = sqlite3_column_int64(st, 5 + i);
		x->next_start = sqlite3_column_type(st, 8) == SQLITE_NULL
					? INT32_MAX : pb_ledger_col_date(st, 8);
		x->last_period = sqlite3_column_type(st, 9) == SQLITE_NULL
					 ? -1 : sqlite3_column_int64(st, 9);
	}
	if (rc < 0) {
		sched_free(s, n);
		return rc;
	}
	*out = s;
	*nout = n;
	return 0;
}

static int pay_period(struct pb_ledger *l, const struct sched *s, int64_t k,
		      int32_t start, long *n, int64_t *total,
		      struct pb_error *e)
{
	static const char *const council[PB_NSTREAMS] = {
		"council:social_care", "council:health", "council:s117"
	};
	int period_days = 7 * s->every, days = period_days, i, rc;
	int32_t end = start + period_days - 1;
	int64_t amount, parts[PB_NSTREAMS];
	struct pb_leg legs[1 + PB_NSTREAMS];
	struct pb_newtxn nt;
	char d1[PB_DATE_BUFSZ], d2[PB_DATE_BUFSZ];
	struct pb_buf *id = &l->scratch[2], *desc = &l->scratch[3];

	if (s->next_start != INT32_MAX && end >= s->next_start) {
		end = s->next_start - 1;
		days = end - start + 1;
	}
	amount = pb_ledger_prorate(s->payment, days, period_days);
	if (amount == 0)
		return 0;
	if (pb_ledger_split(amount, s->stream, PB_NSTREAMS, parts, e) < 0)
		return -PB_EDATA;
	pb_buf_reset(id);
	pb_buf_printf(id, "pay:%s:%s", s->allocation_id,
		      pb_date_format(d1, start));
	pb_buf_reset(desc);
	pb_buf_printf(desc, "direct payment for %s to %s", d1,
		      pb_date_format(d2, end));
	if (days < period_days)
		pb_buf_printf(desc, " (%d of %d days)", days, period_days);
	memset(&nt, 0, sizeof nt);
	nt.source = PB_LEDGER_SOURCE;
	nt.txn_id = id->s;
	nt.kind = "payment";
	nt.class = "paid_in";
	nt.person_id = s->person_id;
	nt.date = start;
	nt.amount = amount;
	nt.description = desc->s;
	nt.allocation_id = s->allocation_id;
	nt.period = k;
	legs[0].account = pb_ledger_acname(l, 0, "dp:", s->person_id);
	legs[0].kind = "dp";
	legs[0].person_id = s->person_id;
	legs[0].amount = amount;
	for (i = 0; i < PB_NSTREAMS; i++) {
		legs[1 + i].account = council[i];
		legs[1 + i].kind = "council";
		legs[1 + i].person_id = NULL;
		legs[1 + i].amount = -parts[i];
	}
	rc = pb_ledger_insert(l, &nt, legs, 1 + PB_NSTREAMS, NULL, e);
	if (rc <= 0)
		return rc;
	(*n)++;
	if (pb_add_checked(*total, amount, total) < 0)
		return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
	return 1;
}

int pb_ledger_pay(struct pb_ledger *l, int32_t through, long *n,
		  int64_t *total, struct pb_error *e)
{
	struct sched *s = NULL;
	size_t ns = 0, i;
	int rc;

	*n = 0;
	*total = 0;
	if ((rc = load_schedules(l, through, &s, &ns, e)) < 0)
		return rc;
	for (i = 0; i < ns; i++) {
		int64_t k = s[i].last_period + 1;

		for (;; k++) {
			int64_t start = (int64_t)s[i].first +
					(int64_t)7 * s[i].every * k;

			if (start > through || start >= s[i].next_start)
				break;
			rc = pay_period(l, &s[i], k, (int32_t)start, n, total, e);
			if (rc < 0)
				goto out;
		}
	}
	rc = 0;
out:
	sched_free(s, ns);
	return rc;
}

/* Amounts from each funding stream in transaction txn (council legs). */
static int txn_streams(struct pb_ledger *l, int64_t txn, int64_t sign,
		       int64_t *stream, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_TXN_STREAMS,
		"SELECT a.name, p.amount FROM postings p"
		" JOIN accounts a ON a.account = p.account"
		" WHERE p.txn = ?1 AND a.kind IN ('council', 'recovered')", e);
	int rc, i;

	if (!st)
		return -PB_EIO;
	for (i = 0; i < PB_NSTREAMS; i++)
		stream[i] = 0;
	sqlite3_bind_int64(st, 1, txn);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		const char *name = strchr(pb_ledger_col_text(st, 0), ':');

		for (i = 0; name && i < PB_NSTREAMS; i++)
			if (strcmp(name + 1, pb_stream_names[i]) == 0)
				stream[i] += sign * sqlite3_column_int64(st, 1);
	}
	return rc;
}

int pb_ledger_run_payments(struct pb_ledger *l,
			   int (*fn)(void *ctx, const struct pb_payment *p,
				     struct pb_error *e),
			   void *ctx, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_RUN_PAYMENTS,
		"SELECT t.txn, t.allocation_id, t.person_id, t.source, t.txn_id,"
		" t.date, t.amount, a.payment_every_weeks,"
		" (SELECT min(b.start_date) FROM allocations b"
		"   WHERE b.person_id = a.person_id AND b.start_date > a.start_date)"
		" FROM txns t JOIN allocations a ON a.allocation_id = t.allocation_id"
		" WHERE t.txn > ?1 AND t.run = ?2 AND t.kind = 'payment'"
		" ORDER BY t.person_id, t.date, t.txn", e);
	int rc;

	if (!st)
		return -PB_EIO;
	sqlite3_bind_int64(st, 1, l->first_txn);
	sqlite3_bind_int64(st, 2, l->run);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		struct pb_payment p;
		int64_t txn = sqlite3_column_int64(st, 0);
		int32_t next;

		p.allocation_id = pb_ledger_col_text(st, 1);
		p.person_id = pb_ledger_col_text(st, 2);
		p.source = pb_ledger_col_text(st, 3);
		p.txn_id = pb_ledger_col_text(st, 4);
		p.date = pb_ledger_col_date(st, 5);
		p.amount = sqlite3_column_int64(st, 6);
		p.period_days = 7 * sqlite3_column_int(st, 7);
		p.period_end = p.date + p.period_days - 1;
		if (sqlite3_column_type(st, 8) != SQLITE_NULL &&
		    (next = pb_ledger_col_date(st, 8)) <= p.period_end)
			p.period_end = next - 1;
		p.days = p.period_end - p.date + 1;
		/* A second statement while this one steps: a different slot. */
		if (txn_streams(l, txn, -1, p.stream, e) < 0 ||
		    (rc = fn(ctx, &p, e)) < 0) {
			sqlite3_reset(st);
			return rc < 0 ? rc : -PB_EIO;
		}
	}
	return rc;
}

/* ---- reversals ---------------------------------------------------------------------- */

int pb_ledger_reverse(struct pb_ledger *l, const char *source,
		      const char *txn_id, int32_t date, const char *reason,
		      struct pb_reversal *out, struct pb_error *e)
{
	sqlite3_stmt *st;
	struct pb_newtxn nt;
	struct pb_leg legs[1 + 2 * PB_NSTREAMS];
	char *names[1 + 2 * PB_NSTREAMS], *kinds[1 + 2 * PB_NSTREAMS];
	char *person = NULL, *class = NULL;
	char *category = NULL, *payee = NULL, *kind = NULL;
	char q[80], q2[80], d[PB_DATE_BUFSZ];
	int64_t txn, amount;
	int32_t odate;
	size_t n = 0, i;
	int rc;

	st = pb_ledger_stmt(l, PB_LST_REV_GET,
		"SELECT txn, kind, class, person_id, date, amount, category, payee"
		" FROM txns WHERE source = ?1 AND txn_id = ?2", e);
	if (!st)
		return -PB_EIO;
	pb_ledger_bind_text(st, 1, source, -1);
	pb_ledger_bind_text(st, 2, txn_id, -1);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		return rc;
	if (rc == 0)
		return pb_error_set(e, PB_EUSAGE,
				    "no transaction '%s' from source '%s'",
				    pb_quote(q, sizeof q, txn_id, strlen(txn_id)),
				    pb_quote(q2, sizeof q2, source, strlen(source)));
	txn = sqlite3_column_int64(st, 0);
	kind = pb_xstrdup(pb_ledger_col_text(st, 1));
	class = pb_xstrdup(pb_ledger_col_text(st, 2));
	person = pb_xstrdup(pb_ledger_col_text(st, 3));
	odate = pb_ledger_col_date(st, 4);
	amount = sqlite3_column_int64(st, 5);
	category = pb_xstrdup(pb_ledger_col_text(st, 6));
	payee = pb_xstrdup(pb_ledger_col_text(st, 7));
	sqlite3_reset(st);
	if (strcmp(kind, "reversal") == 0) {
		rc = pb_error_set(e, PB_EDATA,
			"'%s' is itself a reversal: post the transaction again instead",
			pb_quote(q, sizeof q, txn_id, strlen(txn_id)));
		goto out;
	}
	if (date < odate) {
		rc = pb_error_set(e, PB_EUSAGE,
			"--date: before the transaction's own date, %s",
			pb_date_format(d, odate));
		goto out;
	}
	st = pb_ledger_stmt(l, PB_LST_REV_DONE,
		"SELECT source, txn_id FROM txns WHERE reverses = ?1", e);
	if (!st) {
		rc = -PB_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, txn);
	if ((rc = pb_ledger_step_row(l, st, e)) < 0)
		goto out;
	if (rc == 1) {
		const char *by = pb_ledger_col_text(st, 1);

		pb_error_set(e, PB_EDATA, "'%s' is already reversed, by %s/%s",
			     pb_quote(q, sizeof q, txn_id, strlen(txn_id)),
			     pb_ledger_col_text(st, 0),
			     pb_quote(q2, sizeof q2, by, strlen(by)));
		sqlite3_reset(st);
		rc = -PB_EDATA;
		goto out;
	}
	/* The legs, negated. */
	st = pb_ledger_stmt(l, PB_LST_POSTINGS,
		"SELECT a.name, a.kind, a.person_id, p.amount FROM postings p"
		" JOIN accounts a ON a.account = p.account WHERE p.txn = ?1"
		" ORDER BY a.kind = 'dp' DESC, p.account", e);
	if (!st) {
		rc = -PB_EIO;
		goto out;
	}
	sqlite3_bind_int64(st, 1, txn);
	while (n < sizeof legs / sizeof legs[0] && (rc = pb_ledger_step_row(l, st, e)) == 1) {
		names[n] = pb_xstrdup(pb_ledger_col_text(st, 0));
		kinds[n] = pb_xstrdup(pb_ledger_col_text(st, 1));
		legs[n].account = names[n];
		legs[n].kind = kinds[n];
		legs[n].person_id = NULL;  /* the account exists already */
		legs[n].amount = -sqlite3_column_int64(st, 3);
		n++;
	}
	sqlite3_reset(st);
	if (rc < 0)
		goto out;
	pb_buf_reset(&l->scratch[2]);
	pb_buf_printf(&l->scratch[2], "reverse:%s:%s", source, txn_id);
	pb_buf_reset(&l->scratch[3]);
	pb_buf_printf(&l->scratch[3], "reversal of %s/%s: %s", source, txn_id,
		      reason);
	memset(&nt, 0, sizeof nt);
	nt.source = PB_LEDGER_SOURCE;
	nt.txn_id = l->scratch[2].s;
	nt.kind = "reversal";
	nt.class = class;
	nt.person_id = person;
	nt.date = date;
	nt.amount = -amount;
	nt.category = category;
	nt.payee = payee;
	nt.description = l->scratch[3].s;
	nt.period = -1;
	nt.reverses = txn;
	nt.reason = reason;
	rc = pb_ledger_insert(l, &nt, legs, n, NULL, e);
	if (rc == 0)
		rc = pb_error_set(e, PB_EDATA, "'%s' is already reversed",
				  pb_quote(q, sizeof q, txn_id, strlen(txn_id)));
	if (rc < 0)
		goto out;
	pb_buf_reset(&l->scratch[1]);
	pb_buf_adds(&l->scratch[1], person);
	out->source = PB_LEDGER_SOURCE;
	out->txn_id = l->scratch[2].s;
	out->amount = -amount;
	out->person_id = l->scratch[1].s;
	rc = 0;
out:
	for (i = 0; i < n; i++) {
		free(names[i]);
		free(kinds[i]);
	}
	free(kind);
	free(class);
	free(person);
	free(category);
	free(payee);
	return rc;
}

/* ---- surplus recovery --------------------------------------------------------------- */

/* What each stream has paid into the person's account by as_of. */
static int paid_streams(struct pb_ledger *l, const char *person, int32_t as_of,
			int64_t *w, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_PAID_STREAMS,
		"SELECT a.name, -sum(p.amount) FROM txns t"
		" JOIN postings p ON p.txn = t.txn"
		" JOIN accounts a ON a.account = p.account"
		" WHERE t.person_id = ?1 AND t.date <= ?2 AND a.kind = 'council'"
		" GROUP BY a.name", e);
	int rc, i, any = 0;

	if (!st)
		return -PB_EIO;
	for (i = 0; i < PB_NSTREAMS; i++)
		w[i] = 0;
	pb_ledger_bind_text(st, 1, person, -1);
	pb_ledger_bind_date(st, 2, as_of);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		const char *name = pb_ledger_col_text(st, 0) + strlen("council:");
		int64_t v = sqlite3_column_int64(st, 1);

		for (i = 0; i < PB_NSTREAMS; i++)
			if (strcmp(name, pb_stream_names[i]) == 0 && v > 0) {
				w[i] = v;
				any = 1;
			}
	}
	if (rc < 0)
		return rc;
	if (!any)
		w[PB_STREAM_SOCIAL_CARE] = 1;  /* nothing paid in: the council */
	return 0;
}

static int reclaim_one(struct pb_ledger *l, const char *person,
		       const struct pb_balance *b, int32_t as_of,
		       int surplus_weeks, int keep_weeks, long *n,
		       int64_t *total, struct pb_error *e)
{
	static const char *const recovered[PB_NSTREAMS] = {
		"recovered:social_care", "recovered:health", "recovered:s117"
	};
	int64_t threshold = b->net_weekly * surplus_weeks;
	int64_t keep = b->net_weekly * keep_weeks;
	int64_t amount, w[PB_NSTREAMS], parts[PB_NSTREAMS], tenths;
	struct pb_leg legs[1 + PB_NSTREAMS];
	struct pb_newtxn nt;
	char d[PB_DATE_BUFSZ], m[PB_MONEY_BUFSZ], t[32];
	struct pb_buf *id = &l->scratch[2], *desc = &l->scratch[3];
	int rc, i;

	if (b->balance <= threshold)
		return 0;
	amount = b->balance - keep;
	if ((rc = paid_streams(l, person, as_of, w, e)) < 0)
		return rc;
	if (pb_ledger_split(amount, w, PB_NSTREAMS, parts, e) < 0)
		return -PB_EDATA;
	pb_buf_reset(id);
	pb_buf_printf(id, "reclaim:%s:%s", person, pb_date_format(d, as_of));
	pb_buf_reset(desc);
	pb_buf_printf(desc, "surplus recovered: balance %s",
		      pb_money_format(m, b->balance, PB_MONEY_PLAIN));
	if (pb_ledger_weeks(b->balance, b->net_weekly, &tenths) == 0)
		pb_buf_printf(desc, " was %s weeks of net payments (more than %d); %d weeks kept",
			      pb_tenths_format(t, tenths), surplus_weeks,
			      keep_weeks);
	else
		pb_buf_printf(desc, " with no direct payment in force");
	memset(&nt, 0, sizeof nt);
	nt.source = PB_LEDGER_SOURCE;
	nt.txn_id = id->s;
	nt.kind = "reclaim";
	nt.class = "recovered";
	nt.person_id = person;
	nt.date = as_of;
	nt.amount = -amount;
	nt.description = desc->s;
	nt.period = -1;
	legs[0].account = pb_ledger_acname(l, 0, "dp:", person);
	legs[0].kind = "dp";
	legs[0].person_id = person;
	legs[0].amount = -amount;
	for (i = 0; i < PB_NSTREAMS; i++) {
		legs[1 + i].account = recovered[i];
		legs[1 + i].kind = "recovered";
		legs[1 + i].person_id = NULL;
		legs[1 + i].amount = parts[i];
	}
	rc = pb_ledger_insert(l, &nt, legs, 1 + PB_NSTREAMS, NULL, e);
	if (rc <= 0)
		return rc;
	(*n)++;
	if (pb_add_checked(*total, amount, total) < 0)
		return pb_error_set(e, PB_EDATA, "%s", PB_LEDGER_TOO_MUCH);
	return 1;
}

int pb_ledger_reclaim(struct pb_ledger *l, int32_t as_of, int surplus_weeks,
		      int keep_weeks, long *n, int64_t *total,
		      struct pb_error *e)
{
	struct pb_people_list pl;
	size_t i;
	int rc;

	*n = 0;
	*total = 0;
	if (keep_weeks > surplus_weeks)
		return pb_error_set(e, PB_EUSAGE,
			"--keep-weeks %d is more than --surplus-weeks %d",
			keep_weeks, surplus_weeks);
	if ((rc = pb_ledger_people(l, NULL, &pl, e)) < 0)
		return rc;
	for (i = 0; i < pl.n; i++) {
		struct pb_balance b;

		rc = pb_ledger_figures(l, pl.person[i], pl.account[i], as_of, &b, e);
		if (rc >= 0)
			rc = reclaim_one(l, pl.person[i], &b, as_of, surplus_weeks,
					 keep_weeks, n, total, e);
		if (rc < 0)
			break;
	}
	pb_ledger_people_free(&pl);
	return rc < 0 ? rc : 0;
}

int pb_ledger_run_recoveries(struct pb_ledger *l,
			     int (*fn)(void *ctx, const struct pb_recovery *r,
				       struct pb_error *e),
			     void *ctx, struct pb_error *e)
{
	sqlite3_stmt *st = pb_ledger_stmt(l, PB_LST_RUN_RECLAIMS,
		"SELECT txn, person_id, source, txn_id, date, amount, description"
		" FROM txns WHERE txn > ?1 AND run = ?2 AND kind = 'reclaim'"
		" ORDER BY person_id, txn", e);
	int rc;

	if (!st)
		return -PB_EIO;
	sqlite3_bind_int64(st, 1, l->first_txn);
	sqlite3_bind_int64(st, 2, l->run);
	while ((rc = pb_ledger_step_row(l, st, e)) == 1) {
		struct pb_recovery r;

		r.person_id = pb_ledger_col_text(st, 1);
		r.source = pb_ledger_col_text(st, 2);
		r.txn_id = pb_ledger_col_text(st, 3);
		r.date = pb_ledger_col_date(st, 4);
		r.amount = -sqlite3_column_int64(st, 5);
		r.description = pb_ledger_col_text(st, 6);
		if (txn_streams(l, sqlite3_column_int64(st, 0), 1, r.stream, e) < 0 ||
		    (rc = fn(ctx, &r, e)) < 0) {
			sqlite3_reset(st);
			return rc < 0 ? rc : -PB_EIO;
		}
	}
	return rc;
}
