/*
 * test_svg.c - charts (lib/svg.c): well-formed, self-contained SVG for
 * bars, stacked shares and lines; text escaped; suppressed figures
 * marked and never drawn; the same table gives the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

enum { G, DAY, PEOPLE, PB, PCT, DP, DP_PCT, M, M_PCT, NCOL };
static const struct pb_rcol cols[NCOL] = {
	{"group", PB_RC_TEXT, -1, -1, 0},
	{"as_of", PB_RC_TEXT, -1, -1, 0},
	{"people", PB_RC_COUNT, -1, -1, 0},
	{"pb", PB_RC_COUNT, -1, -1, 0},
	{"pb_pct", PB_RC_PCT, PB, PEOPLE, 0},
	{"dp", PB_RC_COUNT, -1, -1, 0},
	{"dp_pct", PB_RC_PCT, DP, PEOPLE, 0},
	{"managed", PB_RC_COUNT, -1, -1, 0},
	{"managed_pct", PB_RC_PCT, M, PEOPLE, 0},
};

static struct pb_rtab *table(void)
{
	static const struct {
		const char *g, *day;
		int64_t people, pb, dp;
	} rows[] = {
		{"Mental <Health> & \"Co\"", "2026-01-31", 40, 30, 10},
		{"Mental <Health> & \"Co\"", "2026-02-28", 44, 33, 12},
		{"small", "2026-01-31", 5, 4, 1},
		{"small", "2026-02-28", 30, 20, 10},
		{"all", "2026-01-31", 45, 34, 11},
	};
	struct pb_rtab *t = pb_rtab_new(cols, NCOL, PB_DISC_NHS, 700);
	size_t i;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		size_t r = pb_rtab_row(t, 0, i == 4);

		pb_rtab_text(t, r, G, rows[i].g, strlen(rows[i].g));
		pb_rtab_text(t, r, DAY, rows[i].day, strlen(rows[i].day));
		pb_rtab_set(t, r, PEOPLE, rows[i].people);
		pb_rtab_set(t, r, PB, rows[i].pb);
		pb_rtab_set(t, r, DP, rows[i].dp);
		pb_rtab_set(t, r, M, rows[i].pb - rows[i].dp);
	}
	pb_rtab_title(t, "A chart & its title");
	pb_rtab_note(t, "disclosure control: a note that is long enough to be "
			"wrapped over more than one line of the chart, which is "
			"what happens with the NHS rule's note in every report");
	pb_rtab_finish(t);
	return t;
}

static char *draw(const struct pb_rtab *t, const struct pb_chart *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct pb_error e;

	assert_int_equal(pb_svg_chart(fp, t, c, &e), 0);
	fclose(fp);
	return buf;
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* Every element closed: <x ...> has </x>, or ends "/>". */
static void well_formed(const char *svg)
{
	static const char *const tags[] = {"text", "title", "svg", "circle"};
	size_t i;
	char open[32], close[32];

	assert_true(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_string_equal(svg + strlen(svg) - 7, "</svg>\n");
	for (i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		snprintf(open, sizeof open, "<%s", tags[i]);
		snprintf(close, sizeof close, "</%s>", tags[i]);
		assert_int_equal(count(svg, open), count(svg, close));
	}
	/* self-contained: no links, scripts or images */
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "<image"));
	/* text is escaped */
	assert_null(strstr(svg, "<Health>"));
	assert_non_null(strstr(svg, "Mental &lt;Health&gt; &amp; &quot;Co&quot;"));
}

static void test_bars(void **state)
{
	struct pb_rtab *t = table();
	struct pb_chart c;
	char *a, *b;

	(void)state;
	memset(&c, 0, sizeof c);
	c.kind = PB_CHART_BARS;
	c.title = pb_rtab_get_title(t);
	c.subtitle = "as of 2026-01-31";
	c.axis = "people with a personal budget (%)";
	c.label[0] = G;
	c.label[1] = DAY;
	c.nlabel = 2;
	c.value = PCT;
	c.x = -1;
	c.target = 700;
	a = draw(t, &c);
	b = draw(t, &c);
	well_formed(a);
	assert_non_null(strstr(a, "<title>A chart &amp; its title</title>"));
	assert_string_equal(a, b);
	/* the small group of 5 is suppressed: marked, not drawn */
	assert_non_null(strstr(a, "* (suppressed)"));
	assert_non_null(strstr(a, "target 70.0%"));
	assert_non_null(strstr(a, ">75.0%<"));
	assert_non_null(strstr(a, "small, 2026-01-31"));
	/* a wrapped note: two lines */
	assert_int_equal(count(a, "font-size=\"11\" fill=\"#444444\""), 2);
	free(a);
	free(b);
	pb_rtab_free(t);
}

static void test_stack_and_lines(void **state)
{
	struct pb_rtab *t = table();
	struct pb_chart c;
	char *a;

	(void)state;
	memset(&c, 0, sizeof c);
	c.kind = PB_CHART_STACK;
	c.title = "stacked";
	c.label[0] = G;
	c.nlabel = 1;
	c.stack[0] = DP_PCT;
	c.stack[1] = M_PCT;
	c.nstack = 2;
	c.x = c.value = -1;
	c.target = -1;
	a = draw(t, &c);
	well_formed(a);
	assert_non_null(strstr(a, ">dp<"));
	assert_non_null(strstr(a, ">managed<"));
	assert_non_null(strstr(a, "* (shares suppressed)"));
	free(a);

	c.kind = PB_CHART_LINES;
	c.title = "lines";
	c.x = DAY;
	c.value = PCT;
	c.target = 700;
	a = draw(t, &c);
	well_formed(a);
	/* a line per group with a published point: "small" has none (its
	 * first is suppressed, its second too, so that the first cannot be
	 * worked out from the total); dates on the axis */
	assert_int_equal(count(a, "<polyline"), 2);
	assert_int_equal(count(a, "<circle"), 3);
	assert_non_null(strstr(a, ">2026-02-28<"));
	assert_non_null(strstr(a, "target 70.0%"));
	free(a);
	pb_rtab_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bars),
		cmocka_unit_test(test_stack_and_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
