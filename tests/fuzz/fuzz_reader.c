/*
 * fuzz_reader - the record reader (CSV through libcsv, JSON Lines
 * through jansson) on any bytes.  The first byte chooses the chunk size
 * (so records straddle reads at every offset), the forced format and
 * header events; the rest is the file.  Rejected records go to a
 * rejects file, as a tool's would.
 *
 * Invariants: every value is NUL-terminated at its length; a record has
 * at least the header's fields; lines start at 1 and never go back;
 * the reader ends.
 */
#include "fuzz.h"
#include "pb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pb_informat fmts[4] = {PB_IN_AUTO, PB_IN_CSV,
						 PB_IN_JSON, PB_IN_AUTO};
	char path[32], rpath[32];
	char *files[1] = {path};
	struct pb_reader *r;
	struct pb_rejects *rj;
	struct pb_record *rec;
	struct pb_error e;
	long last_line = 0, n = 0;
	int fd, rfd, rc;
	uint8_t ctl;

	if (size < 1)
		return 0;
	ctl = data[0];
	fd = fuzz_file(data + 1, size - 1, path);
	rfd = fuzz_file(NULL, 0, rpath);
	r = pb_reader_new(files, 1, fmts[(ctl >> 4) & 3]);
	pb_reader_set_chunk(r, (ctl & 15) == 15 ? 65536 : (size_t)(ctl & 15) + 1);
	pb_reader_header_events(r, (ctl >> 6) & 1);
	rj = pb_rejects_open(rpath, &e);
	FUZZ_CHECK(rj != NULL);
	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		FUZZ_CHECK(++n <= (long)size + 2);
		if (rc == -PB_EIO || rc == -PB_EUSAGE)
			continue;
		FUZZ_CHECK(rc == 1 || rc == 2 || rc == -PB_EDATA);
		FUZZ_CHECK(rec != NULL && rec->hdr != NULL);
		FUZZ_CHECK(rec->n >= rec->hdr->n);
		FUZZ_CHECK(rec->line >= 1 && rec->line >= last_line);
		last_line = rec->line;
		for (size_t i = 0; i < rec->n; i++)
			FUZZ_CHECK(rec->val[i][rec->len[i]] == '\0');
		if (rc == -PB_EDATA)
			FUZZ_CHECK(pb_rejects_add(rj, rec, &e, &e) == 0);
	}
	FUZZ_CHECK(pb_rejects_close(rj, &e) == 0);
	pb_reader_free(r);
	close(fd);
	close(rfd);
	return 0;
}
