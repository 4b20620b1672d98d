/*
 * codes.h - national category codes (SALT / Client Level Data) and the
 * labels councils export for them.  A label and its code are one value.
 */
#ifndef PB_CODES_H
#define PB_CODES_H

#include "pb.h"

enum pb_psr {
	PB_PSR_PHYSICAL, PB_PSR_SENSORY, PB_PSR_MEMORY_COGNITION,
	PB_PSR_LEARNING_DISABILITY, PB_PSR_MENTAL_HEALTH,
	PB_PSR_SOCIAL_SUPPORT, PB_PSR_UNKNOWN
};

enum pb_mech {
	PB_MECH_DP, PB_MECH_PART_DP, PB_MECH_MANAGED, PB_MECH_COMMISSIONED
};

enum pb_setting {
	PB_SET_COMMUNITY, PB_SET_RESIDENTIAL, PB_SET_NURSING, PB_SET_PRISON
};

enum pb_client {
	PB_CLIENT_SERVICE_USER, PB_CLIENT_CARER
};

/* Age bands: ASCOF's two and the DHSC dashboard's seven. */
enum pb_age {
	PB_AGE_UNKNOWN = -2, PB_AGE_UNDER18 = -1,
	PB_AGE_18_24, PB_AGE_25_44, PB_AGE_45_64, PB_AGE_65_74,
	PB_AGE_75_84, PB_AGE_85_94, PB_AGE_95_PLUS
};

struct pb_label {
	const char *label;
	int code;
};

struct pb_codeset {
	const char *what;           /* "delivery mechanism", for messages */
	const char *const *codes;   /* canonical code names, by code */
	size_t ncodes;
	const struct pb_label *labels;  /* other accepted spellings */
	size_t nlabels;
};

extern const struct pb_codeset pb_codes_psr;
extern const struct pb_codeset pb_codes_mech;
extern const struct pb_codeset pb_codes_setting;
extern const struct pb_codeset pb_codes_client;

/*
 * The code for a value (a code or a label, case-insensitive, spaces and
 * underscores alike, surrounding spaces ignored), or -PB_EDATA with
 * "unknown delivery mechanism 'cash'" in e.
 */
int pb_code_lookup(const struct pb_codeset *cs, const char *s, size_t len,
		   struct pb_error *e);
const char *pb_code_name(const struct pb_codeset *cs, int code);
/*
 * Values already looked up, by their exact bytes: an export repeats a
 * handful of spellings millions of times.  Caller-allocated; only
 * values that were found are kept.
 */
#define PB_CODECACHE_SLOTS 64
#define PB_CODECACHE_LEN 48
struct pb_codecache {
	const struct pb_codeset *cs;
	struct {
		uint64_t h;
		uint32_t len;     /* 0: empty slot */
		int code;
		char s[PB_CODECACHE_LEN];
	} slot[PB_CODECACHE_SLOTS];
};
void pb_codecache_init(struct pb_codecache *cc, const struct pb_codeset *cs);
/* pb_code_lookup through the cache. */
int pb_codecache_lookup(struct pb_codecache *cc, const char *s, size_t len,
			struct pb_error *e);
/*
 * The code in column idx of rec (see pb_field_int): an empty field gives
 * dflt when dflt >= 0, else the error "no <what> given".
 */
int pb_field_code(const struct pb_record *rec, int idx,
		  struct pb_codecache *cc, int dflt, int *out,
		  struct pb_error *e);

/* Fine age band from whole years (PB_AGE_UNDER18 below 18). */
enum pb_age pb_age_band_fine(int years);
/* "18-24" ... "95+"; the ASCOF band "18-64" or "65+". */
const char *pb_age_fine_name(enum pb_age a);
const char *pb_age_ascof_name(enum pb_age a);
/*
 * An age_band column's value: ASCOF bands give PB_AGE_18_24 for 18-64
 * and PB_AGE_65_74 for 65+ with *coarse set; fine bands exactly;
 * "under 18"/"0-17" -> PB_AGE_UNDER18; "" or "unknown" -> PB_AGE_UNKNOWN.
 * Anything else: -PB_EDATA (returns the band, or < -2 on error).
 */
int pb_age_band_parse(const char *s, size_t len, enum pb_age *band,
		      int *coarse, struct pb_error *e);

#endif /* PB_CODES_H */
