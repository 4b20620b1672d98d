/*
 * policy.h - the spending policy (CONTRACTS.md §7): the categories a
 * personal budget may pay for, the funding streams each may be paid
 * from, what each needs beside it in a plan, which ones a person at the
 * council must review, which are forbidden, and the tolerance and
 * contingency limits.  pb-plan checks support plans against it and
 * pb-ledger audit checks spending against it; both load it here, so
 * they accept and refuse the same files, with the key path in every
 * error:
 *
 *     pb-plan check: policy.json: categories.x.requires[0]: not a
 *     category of this policy 'insurance'
 *
 * Errors are -PB_EUSAGE (a policy is configuration) or -PB_EIO.
 */
#ifndef PB_POLICY_H
#define PB_POLICY_H

#include <jansson.h>

#include "ledger.h"   /* enum pb_stream, pb_stream_names */
#include "pb.h"

/* The streams a category may be paid from: bit 1 << enum pb_stream. */
#define PB_STREAMS_ALL ((1u << PB_NSTREAMS) - 1)

/* The category whose share of the budget contingency_max_percent caps. */
#define PB_CONTINGENCY "contingency"

struct pb_category {
	const char *name;        /* the code, as the policy writes it */
	unsigned streams;        /* PB_STREAMS_ALL unless "streams" is given */
	int review;              /* "review": true */
	size_t nrequires;
	size_t *requires;        /* indexes of the categories it needs */
};

struct pb_spending {
	char *name;              /* "" if none */
	char *version;
	int64_t tolerance;       /* tolerance_percent, tenths (default 0) */
	int64_t contingency_max; /* contingency_max_percent, tenths; -1 none */
	size_t ncat;
	struct pb_category *cat; /* in the order of the policy */
	struct pb_strmap *index;      /* category name -> index in cat */
	struct pb_strmap *forbidden;  /* forbidden names */
};

/* Check a parsed policy: NULL with e's key path and text (PB_EUSAGE). */
struct pb_spending *pb_spending_from_json(const json_t *doc,
					  struct pb_error *e);
/* Load and check a policy file ("-" is standard input); errors name it. */
struct pb_spending *pb_spending_load(const char *path, struct pb_error *e);
void pb_spending_free(struct pb_spending *p);

/* The index of a category (its code, exactly), or -1. */
long pb_spending_find(const struct pb_spending *p, const char *name,
		      size_t len);
/* Is the name on the forbidden list? */
int pb_spending_forbids(const struct pb_spending *p, const char *name,
			size_t len);

/* A funding stream by name (social_care, health, s117), or -1. */
int pb_stream_parse(const char *s, size_t len);
/* "health or s117", "social_care, health or s117": streams in a mask. */
char *pb_streams_text(char *buf, size_t n, unsigned mask);

#endif /* PB_POLICY_H */
