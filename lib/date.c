/*
 * date.c - calendar dates as days since 1970-01-01 (proleptic
 * Gregorian), parsed from YYYY-MM-DD or DD/MM/YYYY and checked against
 * the real calendar.
 */
#include <string.h>
#include <time.h>

#include "pb.h"

int pb_date_is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int pb_date_days_in_month(int y, int m)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return mdays[m - 1] + (m == 2 && pb_date_is_leap(y));
}

/*
 * Days from civil date: count in 400-year eras starting on 1 March, so
 * the leap day is the last day of the shifted year.
 */
static int32_t days_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void pb_date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	/* 64 bits: the whole int32_t range (INT32_MAX is "ongoing"). */
	int64_t z = (int64_t)day + 719468;
	int era = (int)((z >= 0 ? z : z - 146096) / 146097);
	int doe = (int)(z - (int64_t)era * 146097);
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int pb_date_from_ymd(int y, int m, int d, int32_t *day)
{
	if (y < PB_DATE_MIN_YEAR || y > PB_DATE_MAX_YEAR || m < 1 || m > 12 ||
	    d < 1 || d > pb_date_days_in_month(y, m))
		return -PB_EDATA;
	*day = days_from_ymd(y, m, d);
	return 0;
}

char *pb_date_format(char *buf, int32_t day)
{
	int y, m, d;

	pb_date_to_ymd(day, &y, &m, &d);
	snprintf(buf, PB_DATE_BUFSZ, "%04d-%02d-%02d", y, m, d);
	return buf;
}

/* Read 1..max digits at s[*i]; returns -1 if there are none. */
static int digits(const char *s, size_t len, size_t *i, int min, int max)
{
	int v = 0, n = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9') {
		if (n == max)
			return -1;
		v = v * 10 + (s[*i] - '0');
		n++;
		(*i)++;
	}
	return n >= min ? v : -1;
}

static const char *const month_name[12] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};

int pb_date_parse(const char *s, size_t len, int32_t *day,
		  struct pb_error *e)
{
	char q[80];
	const char *orig = s;
	size_t olen = len, i = 0;
	int y, m, d;

	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len >= 5 && s[4] == '-') {
		/* YYYY-MM-DD */
		y = digits(s, len, &i, 4, 4);
		if (y < 0 || i >= len || s[i++] != '-')
			goto notdate;
		m = digits(s, len, &i, 2, 2);
		if (m < 0 || i >= len || s[i++] != '-')
			goto notdate;
		d = digits(s, len, &i, 2, 2);
	} else {
		/* DD/MM/YYYY, as UK exports write it (D/M/YYYY too) */
		d = digits(s, len, &i, 1, 2);
		if (d < 0 || i >= len || s[i++] != '/')
			goto notdate;
		m = digits(s, len, &i, 1, 2);
		if (m < 0 || i >= len || s[i++] != '/')
			goto notdate;
		y = digits(s, len, &i, 4, 4);
	}
	if (d < 0 || y < 0 || i != len)
		goto notdate;
	if (y < PB_DATE_MIN_YEAR || y > PB_DATE_MAX_YEAR)
		return pb_error_set(e, PB_EDATA,
				    "not a date '%s': the year must be from %d to %d",
				    pb_quote(q, sizeof q, orig, olen),
				    PB_DATE_MIN_YEAR, PB_DATE_MAX_YEAR);
	if (m < 1 || m > 12)
		return pb_error_set(e, PB_EDATA,
				    "not a date '%s': there is no month %d",
				    pb_quote(q, sizeof q, orig, olen), m);
	if (d < 1)
		return pb_error_set(e, PB_EDATA,
				    "not a date '%s': there is no day 0",
				    pb_quote(q, sizeof q, orig, olen));
	if (d > pb_date_days_in_month(y, m))
		return pb_error_set(e, PB_EDATA,
				    "not a date '%s': %s %d has %d days",
				    pb_quote(q, sizeof q, orig, olen),
				    month_name[m - 1], y,
				    pb_date_days_in_month(y, m));
	*day = days_from_ymd(y, m, d);
	return 0;
notdate:
	return pb_error_set(e, PB_EDATA,
			    "not a date '%s' (use YYYY-MM-DD or DD/MM/YYYY)",
			    pb_quote(q, sizeof q, orig, olen));
}

int32_t pb_date_add_months(int32_t day, int months)
{
	int y, m, d, dim;
	long total;

	pb_date_to_ymd(day, &y, &m, &d);
	total = (long)y * 12 + (m - 1) + months;
	y = (int)(total >= 0 ? total / 12 : (total - 11) / 12);
	m = (int)(total - (long)y * 12) + 1;
	dim = pb_date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return days_from_ymd(y, m, d);
}

int32_t pb_date_month_end(int32_t day)
{
	int y, m, d;

	pb_date_to_ymd(day, &y, &m, &d);
	return days_from_ymd(y, m, pb_date_days_in_month(y, m));
}

int32_t pb_date_quarter_end(int32_t day)
{
	int y, m, d;

	pb_date_to_ymd(day, &y, &m, &d);
	m = (m + 2) / 3 * 3;
	return days_from_ymd(y, m, pb_date_days_in_month(y, m));
}

int32_t pb_date_fy_end(int32_t day)
{
	int y, m, d;

	pb_date_to_ymd(day, &y, &m, &d);
	return days_from_ymd(m <= 3 ? y : y + 1, 3, 31);
}

int pb_age_years(int32_t birth, int32_t on)
{
	/* floor(days / 365.25) == floor(4 * days / 1461), exactly. */
	int64_t q = (int64_t)4 * ((int64_t)on - birth);

	return (int)(q >= 0 ? q / 1461 : -((-q + 1460) / 1461));
}

int32_t pb_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm))
		return days_from_ymd(1970, 1, 1);
	return days_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
