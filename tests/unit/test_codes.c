/* test_codes.c - SALT labels and codes, age bands, disclosure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static void test_lookup(void **state)
{
	static const struct {
		const struct pb_codeset *cs;
		const char *s;
		int code;  /* < 0: error */
		const char *msg;
	} t[] = {
		{&pb_codes_psr, "mental_health", PB_PSR_MENTAL_HEALTH, NULL},
		{&pb_codes_psr, "Mental Health Support", PB_PSR_MENTAL_HEALTH, NULL},
		{&pb_codes_psr, "MENTAL HEALTH SUPPORT", PB_PSR_MENTAL_HEALTH, NULL},
		{&pb_codes_psr, " mental  health ", PB_PSR_MENTAL_HEALTH, NULL},
		{&pb_codes_psr, "Physical Support: Access & mobility only", PB_PSR_PHYSICAL, NULL},
		{&pb_codes_psr, "Physical Support: Personal care support", PB_PSR_PHYSICAL, NULL},
		{&pb_codes_psr, "Sensory Support: Support for dual impairment", PB_PSR_SENSORY, NULL},
		{&pb_codes_psr, "Support with Memory & Cognition", PB_PSR_MEMORY_COGNITION, NULL},
		{&pb_codes_psr, "Support with Memory and Cognition", PB_PSR_MEMORY_COGNITION, NULL},
		{&pb_codes_psr, "Learning Disability Support", PB_PSR_LEARNING_DISABILITY, NULL},
		{&pb_codes_psr, "Social Support: Support for Social Isolation/Other", PB_PSR_SOCIAL_SUPPORT, NULL},
		{&pb_codes_psr, "PSR Not Known", PB_PSR_UNKNOWN, NULL},
		{&pb_codes_psr, "Mental Health", PB_PSR_MENTAL_HEALTH, NULL},
		{&pb_codes_psr, "Mental Health Services", -1, "unknown primary support reason 'Mental Health Services'"},
		{&pb_codes_psr, "", -1, "no primary support reason given"},
		{&pb_codes_mech, "Direct Payment only", PB_MECH_DP, NULL},
		{&pb_codes_mech, "DP", PB_MECH_DP, NULL},
		{&pb_codes_mech, "part_dp", PB_MECH_PART_DP, NULL},
		{&pb_codes_mech, "Part Direct Payment", PB_MECH_PART_DP, NULL},
		{&pb_codes_mech, "CASSR Managed Personal Budget", PB_MECH_MANAGED, NULL},
		{&pb_codes_mech, "CASSR Commissioned Support only", PB_MECH_COMMISSIONED, NULL},
		{&pb_codes_mech, "cash", -1, "unknown delivery mechanism 'cash'"},
		{&pb_codes_mech, "d", -1, "unknown delivery mechanism 'd'"},
		{&pb_codes_mech, "dpx", -1, "unknown delivery mechanism 'dpx'"},
		{&pb_codes_setting, "Nursing", PB_SET_NURSING, NULL},
		{&pb_codes_setting, "Long Term Support: Residential Care", PB_SET_RESIDENTIAL, NULL},
		{&pb_codes_client, "Carer", PB_CLIENT_CARER, NULL},
		{&pb_codes_client, "Service User", PB_CLIENT_SERVICE_USER, NULL},
	};
	struct pb_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		int c = pb_code_lookup(t[i].cs, t[i].s, strlen(t[i].s), &e);

		if (t[i].code >= 0) {
			if (c != t[i].code)
				print_error("'%s' gave %d\n", t[i].s, c);
			assert_int_equal(c, t[i].code);
		} else {
			assert_int_equal(c, -PB_EDATA);
			assert_int_equal(e.code, PB_EDATA);
			assert_string_equal(e.text, t[i].msg);
		}
	}
	assert_string_equal(pb_code_name(&pb_codes_psr, PB_PSR_MEMORY_COGNITION),
			    "memory_cognition");
	assert_string_equal(pb_code_name(&pb_codes_mech, PB_MECH_PART_DP), "part_dp");
}

static void test_age_bands(void **state)
{
	static const struct {
		int y;
		const char *fine, *ascof;
	} t[] = {
		{17, "", ""}, {18, "18-24", "18-64"}, {24, "18-24", "18-64"},
		{25, "25-44", "18-64"}, {64, "45-64", "18-64"},
		{65, "65-74", "65+"}, {84, "75-84", "65+"}, {85, "85-94", "65+"},
		{94, "85-94", "65+"}, {95, "95+", "65+"}, {120, "95+", "65+"},
	};
	size_t i;
	enum pb_age b;
	int coarse;
	struct pb_error e;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum pb_age a = pb_age_band_fine(t[i].y);

		assert_string_equal(pb_age_fine_name(a), t[i].fine);
		assert_string_equal(pb_age_ascof_name(a), t[i].ascof);
	}
	assert_int_equal(pb_age_band_parse("65+", 3, &b, &coarse, &e), 0);
	assert_int_equal(coarse, 1);
	assert_string_equal(pb_age_ascof_name(b), "65+");
	assert_int_equal(pb_age_band_parse("18-64", 5, &b, &coarse, &e), 0);
	assert_string_equal(pb_age_ascof_name(b), "18-64");
	assert_int_equal(pb_age_band_parse("25-44", 5, &b, &coarse, &e), 0);
	assert_int_equal(coarse, 0);
	assert_int_equal(b, PB_AGE_25_44);
	assert_int_equal(pb_age_band_parse("Under 18", 8, &b, &coarse, &e), 0);
	assert_int_equal(b, PB_AGE_UNDER18);
	assert_int_equal(pb_age_band_parse("", 0, &b, &coarse, &e), 0);
	assert_int_equal(b, PB_AGE_UNKNOWN);
	assert_int_equal(pb_age_band_parse("old", 3, &b, &coarse, &e), -PB_EDATA);
	assert_string_equal(e.text, "unknown age band 'old'");
}

static void test_disclosure(void **state)
{
	static const struct {
		int64_t n, out;
		int supp;
	} t[] = {
		{0, 0, 0}, {1, 0, 1}, {7, 0, 1}, {8, 10, 0}, {10, 10, 0},
		{12, 10, 0}, {13, 15, 0}, {17, 15, 0}, {18, 20, 0},
		{1002, 1000, 0}, {1003, 1005, 0},
	};
	size_t i;
	int64_t out;

	(void)state;
	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		out = -1;
		assert_int_equal(pb_disc_count(PB_DISC_NHS, t[i].n, &out), t[i].supp);
		if (!t[i].supp)
			assert_int_equal(out, t[i].out);
		assert_int_equal(pb_disc_count(PB_DISC_NONE, t[i].n, &out), 0);
		assert_int_equal(out, t[i].n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_age_bands),
		cmocka_unit_test(test_disclosure),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
