/*
 * money.c - whole numbers, money in pence and percentages in tenths,
 * parsed strictly and computed exactly (no floating point anywhere).
 */
#include <string.h>

#include "pb.h"

/* Trim spaces and tabs from both ends of s[0..*len). */
static const char *trim(const char *s, size_t *len)
{
	size_t n = *len;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

static int isdig(char c)
{
	return c >= '0' && c <= '9';
}

int pb_strtonum(const char *s, size_t len, int64_t min, int64_t max,
		int64_t *out, struct pb_error *e)
{
	char q[80];
	const char *orig = s;
	size_t olen = len, i = 0;
	int neg = 0;
	uint64_t v = 0;

	s = trim(s, &len);
	if (len && (s[0] == '-' || s[0] == '+')) {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == len)
		goto notnum;
	for (; i < len; i++) {
		if (!isdig(s[i]))
			goto notnum;
		if (v > (UINT64_MAX - 9) / 10) {
			v = UINT64_MAX;
			continue;
		}
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (neg) {
		int64_t n = v > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)v;

		if (v > (uint64_t)INT64_MAX + 1 || n < min)
			return pb_error_set(e, PB_EDATA,
					    "too small '%s' (at least %lld)",
					    pb_quote(q, sizeof q, orig, olen),
					    (long long)min);
		if (n > max)
			return pb_error_set(e, PB_EDATA,
					    "too large '%s' (at most %lld)",
					    pb_quote(q, sizeof q, orig, olen),
					    (long long)max);
		*out = n;
		return 0;
	}
	if (v > (uint64_t)INT64_MAX || (int64_t)v > max)
		return pb_error_set(e, PB_EDATA, "too large '%s' (at most %lld)",
				    pb_quote(q, sizeof q, orig, olen),
				    (long long)max);
	if ((int64_t)v < min)
		return pb_error_set(e, PB_EDATA, "too small '%s' (at least %lld)",
				    pb_quote(q, sizeof q, orig, olen),
				    (long long)min);
	*out = (int64_t)v;
	return 0;
notnum:
	return pb_error_set(e, PB_EDATA, "not a whole number '%s'",
			    pb_quote(q, sizeof q, orig, olen));
}

/* The pound sign in UTF-8. */
#define POUND "\xc2\xa3"

int pb_money_parse(const char *s, size_t len, int64_t *pence,
		   struct pb_error *e)
{
	char q[80];
	const char *orig = s, *why;
	size_t olen = len, i = 0, ndig = 0, group = 0, ndec = 0;
	int neg = 0, pound = 0, commas = 0, point = 0;
	uint64_t v = 0;

	s = trim(s, &len);
	/* A sign and a pound sign, in either order, at most one of each. */
	for (;;) {
		if (i < len && s[i] == '-' && !neg) {
			neg = 1;
			i++;
		} else if (len - i >= 2 && memcmp(s + i, POUND, 2) == 0 &&
			   !pound) {
			pound = 1;
			i += 2;
		} else {
			break;
		}
	}
	if (i == len) {
		why = "no digits";
		goto bad;
	}
	for (; i < len; i++) {
		char c = s[i];

		if (isdig(c)) {
			if (point) {
				if (++ndec > 2) {
					why = "more than two decimal places";
					goto bad;
				}
			} else {
				ndig++;
				group++;
				if (commas && group > 3) {
					why = "thousands separators must "
					      "group three digits";
					goto bad;
				}
			}
			if (v > (uint64_t)PB_MONEY_MAX) {
				why = "beyond the largest amount, "
				      "90,000,000,000,000.00";
				goto bad;
			}
			v = v * 10 + (uint64_t)(c - '0');
		} else if (c == ',' && !point) {
			if (ndig == 0 || (commas && group != 3) ||
			    (!commas && group > 3)) {
				why = "thousands separators must group "
				      "three digits";
				goto bad;
			}
			commas = 1;
			group = 0;
		} else if (c == '.' && !point) {
			if (commas && group != 3) {
				why = "thousands separators must group "
				      "three digits";
				goto bad;
			}
			if (ndig == 0) {
				why = "no digits before the decimal point";
				goto bad;
			}
			point = 1;
		} else if (c == '.') {
			why = "more than one decimal point";
			goto bad;
		} else if (c == 'e' || c == 'E') {
			why = "exponents are not money";
			goto bad;
		} else if (c == '+' && ndig == 0 && !point) {
			why = "a plus sign is not allowed";
			goto bad;
		} else if (c == '-' && neg && ndig == 0 && !point) {
			why = "more than one minus sign";
			goto bad;
		} else if (c == '-' || c == '+') {
			why = "a sign must come first";
			goto bad;
		} else {
			why = "only digits, '-', '" POUND "', ',' and '.' "
			      "may appear";
			goto bad;
		}
	}
	if (ndig == 0) {
		why = "no digits";
		goto bad;
	}
	if (commas && !point && group != 3) {
		why = "thousands separators must group three digits";
		goto bad;
	}
	if (point && ndec == 0) {
		why = "no digits after the decimal point";
		goto bad;
	}
	while (ndec < 2) {
		v *= 10;
		ndec++;
	}
	if (v > (uint64_t)PB_MONEY_MAX) {
		why = "beyond the largest amount, 90,000,000,000,000.00";
		goto bad;
	}
	*pence = neg ? -(int64_t)v : (int64_t)v;
	return 0;
bad:
	return pb_error_set(e, PB_EDATA, "not a money amount '%s': %s",
			    pb_quote(q, sizeof q, orig, olen), why);
}

char *pb_money_format(char *buf, int64_t pence, enum pb_money_style style)
{
	char digits[32];
	uint64_t u = pence < 0 ? (uint64_t)0 - (uint64_t)pence
			       : (uint64_t)pence;
	uint64_t pounds = u / 100;
	unsigned cents = (unsigned)(u % 100);
	size_t o = 0;
	int n, i, lead;

	if (pence < 0)
		buf[o++] = '-';
	n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)pounds);
	if (style == PB_MONEY_DISPLAY) {
		memcpy(buf + o, POUND, 2);
		o += 2;
		lead = n % 3 ? n % 3 : 3;
		for (i = 0; i < n; i++) {
			if (i && (i - lead) % 3 == 0)
				buf[o++] = ',';
			buf[o++] = digits[i];
		}
	} else {
		memcpy(buf + o, digits, (size_t)n);
		o += (size_t)n;
	}
	buf[o++] = '.';
	buf[o++] = (char)('0' + cents / 10);
	buf[o++] = (char)('0' + cents % 10);
	buf[o] = '\0';
	return buf;
}

int pb_add_checked(int64_t a, int64_t b, int64_t *out)
{
	return __builtin_add_overflow(a, b, out) ? -PB_EDATA : 0;
}

int pb_mul_checked(int64_t a, int64_t b, int64_t *out)
{
	return __builtin_mul_overflow(a, b, out) ? -PB_EDATA : 0;
}

/* n / d rounded half away from zero, d > 0, in 128 bits. */
static __int128 div_round(__int128 n, __int128 d)
{
	__int128 q = n / d, r = n % d;

	if (r < 0)
		r = -r;
	if (2 * r >= d)
		q += n < 0 ? -1 : 1;
	return q;
}

int64_t pb_round_to(int64_t a, int64_t step)
{
	if (step <= 1)
		return a;
	return (int64_t)(div_round(a, step) * step);
}

int pb_muldiv_round(int64_t a, int64_t b, int64_t c, int64_t *out)
{
	__int128 n = (__int128)a * b, d = c, q;

	/* d is 128 bits wide: -INT64_MIN does not fit in an int64_t. */
	if (d < 0) {
		n = -n;
		d = -d;
	}
	if (d == 0)
		return -PB_EDATA;
	q = div_round(n, d);
	if (q > INT64_MAX || q < INT64_MIN)
		return -PB_EDATA;
	*out = (int64_t)q;
	return 0;
}

int64_t pb_pct_tenths(int64_t num, int64_t den)
{
	int64_t v = 0;

	if (den <= 0)
		return 0;
	pb_muldiv_round(num, 1000, den, &v);
	return v;
}

char *pb_tenths_format(char *buf, int64_t tenths)
{
	uint64_t u = tenths < 0 ? (uint64_t)0 - (uint64_t)tenths
				: (uint64_t)tenths;

	snprintf(buf, 32, "%s%llu.%u", tenths < 0 ? "-" : "",
		 (unsigned long long)(u / 10), (unsigned)(u % 10));
	return buf;
}

int pb_tenths_parse(const char *s, size_t len, int64_t min, int64_t max,
		    int64_t *out, struct pb_error *e)
{
	char q[80];
	const char *orig = s;
	size_t olen = len, i = 0, ndig = 0, ndec = 0;
	int neg = 0, point = 0;
	int64_t v = 0;

	s = trim(s, &len);
	if (len && s[len - 1] == '%')
		len--;
	if (len && s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < len; i++) {
		if (isdig(s[i])) {
			if (point && ++ndec > 1)
				return pb_error_set(e, PB_EDATA,
					"more than one decimal place '%s'",
					pb_quote(q, sizeof q, orig, olen));
			if (!point)
				ndig++;
			if (v > INT64_MAX / 100)
				return pb_error_set(e, PB_EDATA,
					"too large '%s'",
					pb_quote(q, sizeof q, orig, olen));
			v = v * 10 + (s[i] - '0');
		} else if (s[i] == '.' && !point && ndig) {
			point = 1;
		} else {
			ndig = 0;
			break;
		}
	}
	if (ndig == 0 || (point && ndec == 0))
		return pb_error_set(e, PB_EDATA, "not a percentage '%s'",
				    pb_quote(q, sizeof q, orig, olen));
	if (ndec == 0)
		v *= 10;
	if (neg)
		v = -v;
	if (v < min || v > max) {
		char lo[32], hi[32];

		return pb_error_set(e, PB_EDATA,
				    "out of range '%s' (from %s to %s)",
				    pb_quote(q, sizeof q, orig, olen),
				    pb_tenths_format(lo, min),
				    pb_tenths_format(hi, max));
	}
	*out = v;
	return 0;
}
