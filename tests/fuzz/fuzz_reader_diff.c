/*
 * fuzz_reader_diff - the CSV reader's two paths must agree.  A plain
 * line whole in the read buffer is split in place (the fast path);
 * everything else goes through libcsv.  Read one byte at a time, no
 * line is ever whole, so libcsv reads it all; read in 64 KiB chunks,
 * the fast path takes what it can.  Both must give the same records,
 * lines, values and errors.
 */
#include "fuzz.h"
#include "pb.h"

/* Every event of a read, as text. */
static void events(const char *path, size_t chunk, struct pb_buf *out)
{
	char *files[1] = {(char *)path};
	struct pb_reader *r = pb_reader_new(files, 1, PB_IN_CSV);
	struct pb_record *rec;
	struct pb_error e;
	int rc;

	pb_reader_set_chunk(r, chunk);
	pb_reader_header_events(r, 1);
	pb_buf_reset(out);
	while ((rc = pb_reader_next(r, &rec, &e)) != 0) {
		pb_buf_printf(out, "%d", rc);
		if (rc < 0)
			pb_buf_printf(out, " E%ld:%d:%s", e.line, e.code, e.text);
		if (rc > 0 || rc == -PB_EDATA) {
			pb_buf_printf(out, " L%ld n%zu:", rec->line, rec->n);
			for (size_t i = 0; i < rec->n; i++) {
				pb_buf_printf(out, "[%zu]", rec->len[i]);
				pb_buf_add(out, rec->val[i], rec->len[i]);
			}
		}
		pb_buf_addc(out, '\n');
	}
	pb_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pb_buf slow, fast;
	char path[32];
	int fd = fuzz_file(data, size, path);

	events(path, 1, &slow);
	events(path, 65536, &fast);
	if (slow.len != fast.len || (slow.len && memcmp(slow.s, fast.s, slow.len))) {
		fprintf(stderr, "--- one byte at a time\n%s--- 64 KiB\n%s",
			slow.len ? slow.s : "", fast.len ? fast.s : "");
		FUZZ_CHECK(!"the two paths disagree");
	}
	close(fd);
	return 0;
}
