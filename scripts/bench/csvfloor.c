/*
 * csvfloor - the libcsv parse-only floor for scripts/bench/50-takeup:
 * read a CSV file in 64 KiB chunks, as pb's reader does, through
 * csv_parse with the same options (strict RFC 4180), and count records
 * and fields; nothing else.  Whatever pb-report does beyond this is the
 * cost of its own work.
 *
 *   cc -O2 -o csvfloor csvfloor.c -lcsv && ./csvfloor FILE
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long fields, records;

static void field(void *s, size_t n, void *data)
{
	(void)s;
	(void)n;
	(void)data;
	fields++;
}

static void record(int c, void *data)
{
	(void)c;
	(void)data;
	records++;
}

int main(int argc, char **argv)
{
	static char buf[64 * 1024];
	struct csv_parser p;
	FILE *fp;
	size_t n;

	if (argc != 2) {
		fputs("usage: csvfloor FILE\n", stderr);
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (!fp) {
		perror(argv[1]);
		return 3;
	}
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
		if (csv_parse(&p, buf, n, field, record, NULL) != n) {
			fprintf(stderr, "csvfloor: %s\n", csv_strerror(csv_error(&p)));
			return 1;
		}
	if (ferror(fp)) {
		perror(argv[1]);
		return 3;
	}
	csv_fini(&p, field, record, NULL);
	csv_free(&p);
	fclose(fp);
	printf("%lu records, %lu fields\n", records, fields);
	return 0;
}
