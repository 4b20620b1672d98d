/*
 * fuzz_money - money, whole numbers and percentages from any text.
 * Whatever parses must format back to text that parses to the same
 * value, in both styles; arithmetic helpers must not overflow silently.
 */
#include "fuzz.h"
#include "pb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char buf[PB_MONEY_BUFSZ], t[32];
	struct pb_error e;
	int64_t v, w, x;

	if (pb_money_parse(s, size, &v, &e) == 0) {
		FUZZ_CHECK(v <= PB_MONEY_MAX && v >= -PB_MONEY_MAX);
		pb_money_format(buf, v, PB_MONEY_PLAIN);
		FUZZ_CHECK(pb_money_parse(buf, strlen(buf), &w, &e) == 0 && w == v);
		pb_money_format(buf, v, PB_MONEY_DISPLAY);
		FUZZ_CHECK(pb_money_parse(buf, strlen(buf), &w, &e) == 0 && w == v);
		FUZZ_CHECK(pb_round_to(v, 100) % 100 == 0);
		if (pb_muldiv_round(v, 3, 7, &x) == 0)
			FUZZ_CHECK(x <= v / 2 + 1 || v < 0);
	} else {
		FUZZ_CHECK(e.code == PB_EDATA && e.text[0] != '\0');
	}
	if (pb_strtonum(s, size, INT64_MIN, INT64_MAX, &v, &e) == 0) {
		snprintf(t, sizeof t, "%lld", (long long)v);
		FUZZ_CHECK(pb_strtonum(t, strlen(t), INT64_MIN, INT64_MAX, &w, &e) == 0 && w == v);
	}
	if (pb_tenths_parse(s, size, -1000000, 1000000, &v, &e) == 0) {
		pb_tenths_format(t, v);
		FUZZ_CHECK(pb_tenths_parse(t, strlen(t), -1000000, 1000000, &w, &e) == 0 && w == v);
	}
	return 0;
}
