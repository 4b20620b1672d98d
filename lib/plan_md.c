/*
 * plan_md.c - a support plan as a one-page document for the person
 * (pb-plan check --format md): their outcomes in their own words, under
 * each the lines that serve it with the weekly and yearly cost, the
 * totals against the budget, and the decision with its reasons in
 * plain English.
 */
#include <string.h>

#include "plan_int.h"

void pb_md_text(struct pb_buf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f) {
			pb_buf_addc(out, ' ');
			continue;
		}
		if (strchr("\\`*_[]<>|#", c))
			pb_buf_addc(out, '\\');
		pb_buf_addc(out, (char)c);
	}
}

static void money(struct pb_buf *out, int64_t pence)
{
	char m[PB_MONEY_BUFSZ];

	pb_buf_adds(out, pb_money_format(m, pence, PB_MONEY_DISPLAY));
}

/* The yearly cost as a week's share, to the nearest penny (display
 * only: the checks use the yearly figures). */
static int64_t weekly_of(int64_t annual)
{
	int64_t w = 0;

	pb_muldiv_round(annual, 1, 52, &w);
	return w;
}

static const char *const per_words[PB_PER_N] = {
	"a week", "every 4 weeks", "a month", "a year", "once"
};

static void line_row(struct pb_buf *out, const struct pb_planline *L,
		     int also)
{
	char pct[32];

	pb_buf_adds(out, "| ");
	if (*L->desc)
		pb_md_text(out, L->desc);
	else
		pb_md_text(out, L->cat_raw ? L->cat_raw : "(no description)");
	if (L->pool_ok) {
		pb_buf_adds(out, " (your share: ");
		pb_buf_adds(out, pb_plan_pct(pct, sizeof pct, L->share));
		pb_buf_adds(out, " of ");
		money(out, L->pool_total);
		pb_buf_adds(out, ")");
	}
	if (also)
		pb_buf_adds(out, " (also for another outcome)");
	if (!L->money_ok) {
		pb_buf_adds(out, " | cannot be read | | |\n");
		return;
	}
	pb_buf_adds(out, " | ");
	money(out, L->cost);
	pb_buf_addc(out, ' ');
	pb_buf_adds(out, per_words[L->per]);
	pb_buf_adds(out, " | ");
	money(out, L->per == PB_PER_WEEK ? L->cost : weekly_of(L->annual));
	pb_buf_adds(out, " | ");
	money(out, L->annual);
	pb_buf_adds(out, " |\n");
}

static const char *const stream_words[PB_NSTREAMS] = {
	"social care", "health (NHS)", "section 117 aftercare"
};

static const char line_head[] =
	"| Support | Cost | A week | A year |\n"
	"|:---|---:|---:|---:|\n";

static int serves(const struct pb_planline *L, const char *outcome)
{
	size_t j;

	for (j = 0; j < L->nout; j++)
		if (strcmp(L->out[j], outcome) == 0)
			return 1;
	return 0;
}

/* How many of the plan's outcomes the line serves. */
static size_t known_outcomes(const struct pb_plandoc *p,
			     const struct pb_planline *L)
{
	size_t i, n = 0;

	for (i = 0; i < p->nout; i++)
		if (serves(L, p->out[i].id))
			n++;
	return n;
}

static void money_table(const struct pb_plandoc *p, struct pb_buf *out)
{
	const struct pb_plan_alloc *a = p->alloc;
	int k, nstream = 0;

	pb_buf_adds(out, "## The money\n\n");
	if (!p->amounts_ok) {
		pb_buf_adds(out, "The plan's total cannot be worked out: some of its amounts cannot be read.\n");
		if (!a)
			pb_buf_adds(out, "\nNo budget was found for this plan.\n");
		return;
	}
	pb_buf_adds(out, "| | A week | A year |\n|:---|---:|---:|\n");
	pb_buf_adds(out, "| This plan | ");
	money(out, weekly_of(p->total));
	pb_buf_adds(out, " | ");
	money(out, p->total);
	pb_buf_adds(out, " |\n");
	if (!a) {
		pb_buf_adds(out, "\nNo budget was found for this plan.\n");
		return;
	}
	pb_buf_adds(out, "| Your budget | ");
	money(out, a->weekly);
	pb_buf_adds(out, " | ");
	money(out, a->weekly * 52);
	pb_buf_adds(out, " |\n");
	for (k = 0; k < PB_NSTREAMS; k++)
		nstream += a->stream[k] > 0;
	for (k = 0; nstream > 1 && k < PB_NSTREAMS; k++) {
		if (a->stream[k] <= 0)
			continue;
		pb_buf_adds(out, "| of which ");
		pb_buf_adds(out, stream_words[k]);
		pb_buf_adds(out, " | ");
		money(out, a->stream[k]);
		pb_buf_adds(out, " | ");
		money(out, a->stream[k] * 52);
		pb_buf_adds(out, " |\n");
	}
	if (p->total <= a->weekly * 52) {
		pb_buf_adds(out, "| Left over | | ");
		money(out, a->weekly * 52 - p->total);
	} else {
		pb_buf_adds(out, "| Over the budget by | | ");
		money(out, p->total - a->weekly * 52);
	}
	pb_buf_adds(out, " |\n");
}

void pb_plan_page(const struct pb_plandoc *p, struct pb_buf *out)
{
	size_t i, j, n;
	int other_per = 0;

	pb_buf_adds(out, "# Support plan ");
	pb_md_text(out, p->plan_id ? p->plan_id : "(no plan_id)");
	pb_buf_adds(out, "\n\n");
	if (!p->is_object) {
		pb_buf_adds(out, "This plan cannot be read.\n");
		return;
	}
	pb_buf_adds(out, "For ");
	pb_md_text(out, p->person_id ? p->person_id : "(no person_id)");
	pb_buf_adds(out, ", budget ");
	pb_md_text(out, p->allocation_id ? p->allocation_id
					 : "(no allocation_id)");
	pb_buf_adds(out, ", checked against spending policy ");
	pb_md_text(out, p->policy->version);
	pb_buf_adds(out, ".\n");

	for (i = 0; i < p->nout; i++) {
		pb_buf_adds(out, "\n## ");
		pb_md_text(out, *p->out[i].text ? p->out[i].text
						: p->out[i].id);
		pb_buf_adds(out, "\n\n");
		for (j = 0, n = 0; j < p->nline; j++) {
			const struct pb_planline *L = &p->line[j];

			if (L->broken || !serves(L, p->out[i].id))
				continue;
			if (n++ == 0)
				pb_buf_adds(out, line_head);
			line_row(out, L, known_outcomes(p, L) > 1);
			other_per |= L->money_ok && L->per != PB_PER_WEEK;
		}
		if (n == 0)
			pb_buf_adds(out, "Nothing in this plan pays for this yet.\n");
	}
	for (j = 0, n = 0; j < p->nline; j++) {
		const struct pb_planline *L = &p->line[j];

		if (L->broken || known_outcomes(p, L) > 0)
			continue;
		if (n++ == 0) {
			pb_buf_adds(out, "\n## Not linked to any of the outcomes above\n\n");
			pb_buf_adds(out, line_head);
		}
		line_row(out, L, 0);
		other_per |= L->money_ok && L->per != PB_PER_WEEK;
	}
	pb_buf_addc(out, '\n');
	money_table(p, out);
	if (other_per)
		pb_buf_adds(out, "\nFor costs paid every 4 weeks, monthly or yearly, \"A week\" is the yearly cost divided by 52, to the penny; a cost paid once counts in full in the year.\n");
}

void pb_decision_page_end(const struct pb_decision *d, struct pb_buf *out)
{
	int v = pb_decision_verdict(d);
	size_t i;

	switch (v) {
	case PB_APPROVE:
		pb_buf_adds(out, "\n## Decision: approved\n\n"
			    "The plan is within the budget and the spending rules, and can go ahead as written.\n");
		return;
	case PB_REVIEW:
		pb_buf_adds(out, "\n## Decision: to be reviewed\n\n"
			    "The plan is within the budget and the spending rules, but a person at the council must look at this before it can go ahead:\n\n");
		break;
	default:
		pb_buf_adds(out, "\n## Decision: returned\n\n"
			    "The plan cannot be approved as written. What needs to change:\n\n");
	}
	for (i = 0; i < d->nreason; i++) {
		const struct pb_reason *r = &d->reason[i];

		pb_buf_adds(out, "- **");
		pb_buf_adds(out, pb_why_title(r->why));
		pb_buf_adds(out, "**");
		if (r->line) {
			pb_buf_adds(out, " (");
			if (r->label) {
				pb_md_text(out, r->label);
				pb_buf_adds(out, ", ");
			}
			pb_buf_adds(out, "line ");
			pb_md_text(out, r->line);
			pb_buf_addc(out, ')');
		}
		pb_buf_adds(out, ": ");
		pb_md_text(out, r->text);
		pb_buf_addc(out, '\n');
	}
}
