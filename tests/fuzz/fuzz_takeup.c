/*
 * fuzz_takeup - pb-report takeup's whole path on any bytes: the reader,
 * the person export's fields and codes, counting people once, the
 * disclosure rule and the writer (to /dev/null).  The first byte picks
 * the options (grouping, assume-unique, carers, disclosure, format).
 */
#include "fuzz.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const by_sets[4][2] = {
		{"primary_support_reason", NULL}, {"age_band", "la_code"},
		{"age_band_fine", "team"}, {"support_setting", "client_type"}};
	char path[32];
	char *files[1] = {path};
	struct pb_report_opts o;
	struct pb_report *t;
	struct pb_reader *r;
	struct pb_record *rec;
	struct pb_writer *w;
	struct pb_error e;
	unsigned long gen = 0;
	FILE *out;
	int fd, rc, bound = 0;
	uint8_t ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	memset(&o, 0, sizeof o);
	o.kind = PB_R_TAKEUP;
	o.as_of = 20543; /* 2026-03-31 */
	o.by = by_sets[ctl & 3];
	o.nby = o.by[1] ? 2 : 1;
	o.assume_unique = (ctl >> 2) & 1;
	o.carers = (ctl >> 3) & 1;
	o.total = (ctl >> 4) & 1;
	o.disclosure = (ctl >> 5) & 1 ? PB_DISC_NONE : PB_DISC_NHS;
	o.has_target = (ctl >> 6) & 1;
	o.target = 700;
	t = pb_report_new(&o, &e);
	FUZZ_CHECK(t != NULL);
	fd = fuzz_file(data + 1, size - 1, path);
	r = pb_reader_new(files, 1, PB_IN_AUTO);
	pb_reader_header_events(r, 1);
	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		if (rc < 0)
			continue;
		if (rec->hdr->gen != gen) {
			gen = rec->hdr->gen;
			bound = pb_report_bind(t, rec->hdr,
					       pb_reader_format(r) == PB_IN_JSON,
					       &e) == 0;
		}
		if (rc == 1 && bound)
			pb_report_add(t, rec, &e);
	}
	out = fopen("/dev/null", "w");
	FUZZ_CHECK(out != NULL);
	w = pb_writer_new(out, (enum pb_format)((ctl >> 7) ? PB_FMT_TABLE : PB_FMT_JSON));
	pb_rtab_write(pb_report_table(t), w, &e);
	pb_writer_end(w, &e);
	pb_writer_free(w);
	fclose(out);
	pb_reader_free(r);
	pb_report_free(t);
	close(fd);
	return 0;
}
