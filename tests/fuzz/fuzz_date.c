/*
 * fuzz_date - dates from any text: what parses formats back to an ISO
 * date that parses to the same day, and the calendar helpers stay in
 * range.
 */
#include "fuzz.h"
#include "pb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[PB_DATE_BUFSZ];
	struct pb_error e;
	int32_t d, d2;
	int y, m, dd;

	if (pb_date_parse((const char *)data, size, &d, &e) < 0) {
		FUZZ_CHECK(e.code == PB_EDATA && e.text[0] != '\0');
		return 0;
	}
	pb_date_format(buf, d);
	FUZZ_CHECK(pb_date_parse(buf, strlen(buf), &d2, &e) == 0 && d2 == d);
	pb_date_to_ymd(d, &y, &m, &dd);
	FUZZ_CHECK(pb_date_from_ymd(y, m, dd, &d2) == 0 && d2 == d);
	FUZZ_CHECK(pb_date_month_end(d) >= d && pb_date_quarter_end(d) >= d &&
		   pb_date_fy_end(d) >= d);
	d2 = pb_date_add_months(d, (int)(size % 25) - 12);
	pb_date_to_ymd(d2, &y, &m, &dd);
	FUZZ_CHECK(m >= 1 && m <= 12 && dd >= 1 && dd <= pb_date_days_in_month(y, m));
	FUZZ_CHECK(pb_age_years(d, d) == 0);
	return 0;
}
