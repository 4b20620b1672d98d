/* codes.c - SALT / Client Level Data category codes and their labels. */
#include <string.h>

#include "codes.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const psr_codes[] = {
	"physical", "sensory", "memory_cognition", "learning_disability",
	"mental_health", "social_support", "unknown"
};
static const struct pb_label psr_labels[] = {
	{"Physical Support: Access & mobility only", PB_PSR_PHYSICAL},
	{"Physical Support: Access and mobility only", PB_PSR_PHYSICAL},
	{"Physical Support: Personal care support", PB_PSR_PHYSICAL},
	{"Sensory Support: Support for visual impairment", PB_PSR_SENSORY},
	{"Sensory Support: Support for hearing impairment", PB_PSR_SENSORY},
	{"Sensory Support: Support for dual impairment", PB_PSR_SENSORY},
	{"Support with Memory and Cognition", PB_PSR_MEMORY_COGNITION},
	{"Support with Memory & Cognition", PB_PSR_MEMORY_COGNITION},
	{"Learning Disability Support", PB_PSR_LEARNING_DISABILITY},
	{"Mental Health Support", PB_PSR_MENTAL_HEALTH},
	{"Social Support: Substance misuse support", PB_PSR_SOCIAL_SUPPORT},
	{"Social Support: Asylum seeker support", PB_PSR_SOCIAL_SUPPORT},
	{"Social Support: Support for Social Isolation/Other",
	 PB_PSR_SOCIAL_SUPPORT},
	{"PSR Not Known", PB_PSR_UNKNOWN},
};
const struct pb_codeset pb_codes_psr = {
	"primary support reason", psr_codes, N(psr_codes),
	psr_labels, N(psr_labels)
};

static const char *const mech_codes[] = {
	"dp", "part_dp", "managed", "commissioned"
};
static const struct pb_label mech_labels[] = {
	{"Direct Payment only", PB_MECH_DP},
	{"Direct Payments only", PB_MECH_DP},
	{"Direct Payment", PB_MECH_DP},
	{"Part Direct Payment", PB_MECH_PART_DP},
	{"Part Direct Payments", PB_MECH_PART_DP},
	{"CASSR Managed Personal Budget", PB_MECH_MANAGED},
	{"Managed Personal Budget", PB_MECH_MANAGED},
	{"CASSR Commissioned Support only", PB_MECH_COMMISSIONED},
	{"CASSR Commissioned Support", PB_MECH_COMMISSIONED},
};
const struct pb_codeset pb_codes_mech = {
	"delivery mechanism", mech_codes, N(mech_codes),
	mech_labels, N(mech_labels)
};

static const char *const setting_codes[] = {
	"community", "residential", "nursing", "prison"
};
static const struct pb_label setting_labels[] = {
	{"Long Term Support: Community", PB_SET_COMMUNITY},
	{"Long Term Support: Residential Care", PB_SET_RESIDENTIAL},
	{"Long Term Support: Nursing Care", PB_SET_NURSING},
	{"Long Term Support: Prison", PB_SET_PRISON},
	{"Residential Care", PB_SET_RESIDENTIAL},
	{"Nursing Care", PB_SET_NURSING},
};
const struct pb_codeset pb_codes_setting = {
	"support setting", setting_codes, N(setting_codes),
	setting_labels, N(setting_labels)
};

static const char *const client_codes[] = {"service_user", "carer"};
static const struct pb_label client_labels[] = {
	{"Service User", PB_CLIENT_SERVICE_USER},
	{"client", PB_CLIENT_SERVICE_USER},
	{"Carer known by association", PB_CLIENT_CARER},
};
const struct pb_codeset pb_codes_client = {
	"client type", client_codes, N(client_codes),
	client_labels, N(client_labels)
};

/* Lower case, runs of spaces and underscores as one space, trimmed. */
static size_t norm(char *out, size_t cap, const char *s, size_t len)
{
	size_t i, o = 0;
	int space = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '_' || c == '\t') {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o + 1 >= cap)
				return cap;
			out[o++] = ' ';
			space = 0;
		}
		if (o + 1 >= cap)
			return cap;
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[o] = '\0';
	return o;
}

/* Does want, normalised as norm() does, equal normed?  No copy, early out. */
static int same(const char *want, const char *normed, size_t n)
{
	size_t o = 0;
	int space = 0;

	for (; *want; want++) {
		unsigned char c = (unsigned char)*want;

		if (c == ' ' || c == '_' || c == '\t') {
			space = o > 0;
			continue;
		}
		if (space) {
			if (o >= n || normed[o] != ' ')
				return 0;
			o++;
			space = 0;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (o >= n || (unsigned char)normed[o] != c)
			return 0;
		o++;
	}
	return o == n;
}

int pb_code_lookup(const struct pb_codeset *cs, const char *s, size_t len,
		   struct pb_error *e)
{
	char buf[96], q[80];
	size_t n = norm(buf, sizeof buf, s, len), i;

	if (n < sizeof buf) {
		for (i = 0; i < cs->ncodes; i++)
			if (same(cs->codes[i], buf, n))
				return (int)i;
		for (i = 0; i < cs->nlabels; i++)
			if (same(cs->labels[i].label, buf, n))
				return cs->labels[i].code;
	}
	if (len == 0)
		return pb_error_set(e, PB_EDATA, "no %s given", cs->what);
	return pb_error_set(e, PB_EDATA, "unknown %s '%s'", cs->what,
			    pb_quote(q, sizeof q, s, len));
}

const char *pb_code_name(const struct pb_codeset *cs, int code)
{
	return code >= 0 && (size_t)code < cs->ncodes ? cs->codes[code] : "";
}

/* Enough to spread a few dozen short values; slots are checked with
 * memcmp, so collisions cost a lookup, never a wrong code. */
static uint64_t short_hash(const char *s, size_t len)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, s, len < 8 ? len : 8);
	memcpy(&b, s + (len > 8 ? len - 8 : 0), len < 8 ? len : 8);
	a ^= (b + len) * UINT64_C(0x9e3779b97f4a7c15);
	return (a ^ (a >> 29)) * UINT64_C(0xbf58476d1ce4e5b9) >> 32;
}

void pb_codecache_init(struct pb_codecache *cc, const struct pb_codeset *cs)
{
	memset(cc, 0, sizeof *cc);
	cc->cs = cs;
}

int pb_codecache_lookup(struct pb_codecache *cc, const char *s, size_t len,
			struct pb_error *e)
{
	uint64_t h;
	int c;

	if (len == 0 || len >= PB_CODECACHE_LEN)
		return pb_code_lookup(cc->cs, s, len, e);
	h = short_hash(s, len);
	unsigned i = (unsigned)(h % PB_CODECACHE_SLOTS);
	if (cc->slot[i].len == len && cc->slot[i].h == h &&
	    memcmp(cc->slot[i].s, s, len) == 0)
		return cc->slot[i].code;
	c = pb_code_lookup(cc->cs, s, len, e);
	if (c >= 0) {
		cc->slot[i].h = h;
		cc->slot[i].len = (uint32_t)len;
		cc->slot[i].code = c;
		memcpy(cc->slot[i].s, s, len);
	}
	return c;
}

int pb_field_code(const struct pb_record *rec, int idx,
		  struct pb_codecache *cc, int dflt, int *out,
		  struct pb_error *e)
{
	size_t n;
	const char *s = pb_rec_get(rec, idx, &n);
	int c;

	if (n == 0 && dflt >= 0) {
		*out = dflt;
		return 0;
	}
	c = pb_codecache_lookup(cc, s, n, e);
	if (c < 0)
		return pb_field_blame(rec, idx, e);
	*out = c;
	return 1;
}

enum pb_age pb_age_band_fine(int y)
{
	if (y < 18)
		return PB_AGE_UNDER18;
	if (y <= 24)
		return PB_AGE_18_24;
	if (y <= 44)
		return PB_AGE_25_44;
	if (y <= 64)
		return PB_AGE_45_64;
	if (y <= 74)
		return PB_AGE_65_74;
	if (y <= 84)
		return PB_AGE_75_84;
	if (y <= 94)
		return PB_AGE_85_94;
	return PB_AGE_95_PLUS;
}

static const char *const fine_names[] = {
	"18-24", "25-44", "45-64", "65-74", "75-84", "85-94", "95+"
};

const char *pb_age_fine_name(enum pb_age a)
{
	return a >= 0 && a <= PB_AGE_95_PLUS ? fine_names[a] : "";
}

const char *pb_age_ascof_name(enum pb_age a)
{
	if (a < 0)
		return "";
	return a <= PB_AGE_45_64 ? "18-64" : "65+";
}

int pb_age_band_parse(const char *s, size_t len, enum pb_age *band,
		      int *coarse, struct pb_error *e)
{
	char buf[32], q[80];
	size_t n = norm(buf, sizeof buf, s, len), i;

	*coarse = 0;
	if (n == 0 || strcmp(buf, "unknown") == 0) {
		*band = PB_AGE_UNKNOWN;
		return 0;
	}
	if (strcmp(buf, "18-64") == 0) {
		*band = PB_AGE_18_24;
		*coarse = 1;
		return 0;
	}
	if (strcmp(buf, "65+") == 0 || strcmp(buf, "65 and over") == 0) {
		*band = PB_AGE_65_74;
		*coarse = 1;
		return 0;
	}
	if (strcmp(buf, "under 18") == 0 || strcmp(buf, "0-17") == 0) {
		*band = PB_AGE_UNDER18;
		return 0;
	}
	for (i = 0; i < N(fine_names); i++)
		if (strcmp(buf, fine_names[i]) == 0) {
			*band = (enum pb_age)i;
			return 0;
		}
	return pb_error_set(e, PB_EDATA, "unknown age band '%s'",
			    pb_quote(q, sizeof q, s, len));
}
