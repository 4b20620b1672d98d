/*
 * fuzz_json - JSON documents (configs, plans) one after another from any
 * bytes, and the checked scalar readers on every top-level value: no
 * crash, errors always carry a message.
 */
#include "fuzz.h"
#include "pbjson.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	size_t off = 0, used;
	struct pb_error e;
	int docs = 0;

	while (off < size && docs++ < 64) {
		json_t *v = pb_json_load_next(buf + off, size - off, &used,
					      PB_EDATA, &e);
		const char *key;
		json_t *x;

		if (!v) {
			FUZZ_CHECK(e.code == PB_EDATA && e.text[0] != '\0');
			break;
		}
		FUZZ_CHECK(used > 0 && used <= size - off);
		off += used;
		if (json_is_object(v)) {
			json_object_foreach(v, key, x) {
				int64_t n;
				int32_t d;
				int b;
				const char *s;

				pb_json_money(x, key, PB_JOPT, &n, PB_EDATA, &e);
				pb_json_int(x, key, PB_JOPT, 0, 100, &n, PB_EDATA, &e);
				pb_json_tenths(x, key, PB_JOPT, 0, 1000, &n, PB_EDATA, &e);
				pb_json_date(x, key, PB_JOPT, &d, PB_EDATA, &e);
				pb_json_bool(x, key, PB_JOPT, &b, PB_EDATA, &e);
				pb_json_str(x, key, PB_JOPT, &s, PB_EDATA, &e);
				pb_json_object(x, key, PB_EDATA, &e);
			}
		}
		json_decref(v);
	}
	return 0;
}
