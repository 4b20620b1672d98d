# pb - personal budgets and direct payments toolkit.
#
#   make            build every tool into bin/
#   make check      unit tests, golden CLI tests, man-page examples (-Werror)
#   make sanitize   the whole check suite built with ASan+UBSan
#   make fuzz       every parser under libFuzzer with ASan+UBSan
#                   (FUZZ_SECONDS=N each, FUZZ_TARGETS="ras plan")
#   make check-svg  pb-report's charts rendered in headless Chromium
#                   (optional: skipped, and says so, without chromium)
#   make demo       run the demo pipeline on scripts/demo/ sample data
#   make bench      benchmarks beside the tools a user would otherwise use
#   make install    PREFIX=/usr/local DESTDIR= (binaries and man pages)
#
# CFLAGS, CPPFLAGS and LDFLAGS are yours; the project's own flags live in
# PB_CFLAGS.  WERROR=1 adds -Werror (check always sets it), SANITIZE=1
# builds with -fsanitize=address,undefined, VALGRIND=1 runs the CLI
# tests under valgrind memcheck.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DESTDIR ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
AR      ?= ar
ARFLAGS  = rcs

# Object and binary directories (the sanitizer build uses its own).
O ?= build
B ?= bin

PB_CFLAGS = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	    -Wformat=2 -Wno-format-nonliteral -Ilib \
	    $(shell pkg-config --cflags jansson sqlite3 2>/dev/null) \
	    $(shell pkg-config --cflags libsodium 2>/dev/null)
ifeq ($(WERROR),1)
PB_CFLAGS += -Werror
endif
ifeq ($(FUZZ),1)
PB_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined \
	     -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
ifeq ($(SANITIZE),1)
PB_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	     -fno-sanitize-recover=all
PB_LDFLAGS += -fsanitize=address,undefined
endif

PB_LIBS = -lcsv $(shell pkg-config --libs jansson 2>/dev/null || echo -ljansson) \
	  $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) \
	  $(shell pkg-config --libs libsodium 2>/dev/null || echo -lsodium)
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

LIB_SRC  = $(wildcard lib/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(O)/%.o)
LIB_HDR  = $(wildcard lib/*.h)
LIBPB    = $(O)/libpb.a

# A tool is cmd/pb-x.c or a folder cmd/pb-x/ of .c files.
TOOL_DIRS  = $(patsubst %/,%,$(wildcard cmd/pb-*/))
TOOL_FILES = $(wildcard cmd/pb-*.c)
TOOLS      = $(notdir $(TOOL_DIRS)) $(notdir $(TOOL_FILES:.c=))
BINS       = $(TOOLS:%=$(B)/%)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)

FLAGS_FILE = $(O)/.flags

.PHONY: all check check-run sanitize demo bench install uninstall clean deps \
	fuzz fuzz-build check-svg \
	unit cli man-examples FORCE

all: $(BINS)

# Rebuild everything when the flags change (make check adds -Werror).
$(FLAGS_FILE): FORCE
	@mkdir -p $(O)
	@echo '$(CC) $(CPPFLAGS) $(PB_CFLAGS) $(CFLAGS) $(LDFLAGS) $(PB_LDFLAGS)' \
		| cmp -s - $@ || echo '$(CC) $(CPPFLAGS) $(PB_CFLAGS) $(CFLAGS) $(LDFLAGS) $(PB_LDFLAGS)' > $@

$(O)/%.o: %.c $(LIB_HDR) $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PB_CFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBPB): $(LIB_OBJ)
	rm -f $@
	$(AR) $(ARFLAGS) $@ $(LIB_OBJ)

# The objects of tool $(1): cmd/$(1).c or every .c in cmd/$(1)/.
tool_objs = $(patsubst %.c,$(O)/%.o,$(wildcard cmd/$(1)/*.c) $(wildcard cmd/$(1).c))

# Keep objects: they are intermediate files of the tool and test rules.
.SECONDARY:

.SECONDEXPANSION:
$(B)/%: $$(call tool_objs,$$*) $(LIBPB)
	@mkdir -p $(B)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PB_LDFLAGS) -o $@ $(filter %.o,$^) $(LIBPB) $(PB_LIBS)

$(O)/tests/%: $(O)/tests/unit/%.o $(LIBPB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) $(PB_LDFLAGS) -o $@ $< $(LIBPB) $(PB_LIBS) $(TEST_LIBS)

deps:
	@sh scripts/install-deps $(if $(filter 1,$(VALGRIND)),--valgrind)

# check: build with -Werror, then run every kind of test and print one
# summary line "N passed, M failed".
check: deps
	@$(MAKE) --no-print-directory WERROR=1 check-run

# The fault-injection shim the CLI tests preload (tests/fault/inject.c):
# the project's flags without the sanitizers (it interposes malloc, and
# loads before the sanitizer runtime), position-independent, libc only.
FAULT_LIB = $(O)/fault/inject.so
FAULT_CFLAGS = $(filter-out -fsanitize=% -fno-sanitize-recover=%,$(PB_CFLAGS))

check-run: $(BINS) $(UNIT_BIN) $(FAULT_LIB)
	@sh scripts/run-tests $(O) $(B)

$(FAULT_LIB): tests/fault/inject.c $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FAULT_CFLAGS) $(CFLAGS) -fPIC -shared -o $@ $< \
		$(LDFLAGS) -ldl

# check-svg: pb-report's charts rendered by headless Chromium (optional:
# says SKIPPED without chromium; Debian: apt-get install chromium).
check-svg: $(BINS)
	@sh tests/svg/render $(B)

# fuzz: every tests/fuzz/fuzz_*.c target (or those in FUZZ_TARGETS,
# e.g. "ras plan"), built with clang's libFuzzer and ASan+UBSan, run
# FUZZ_SECONDS each from its corpus (tests/fuzz/).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz/%)

$(O)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(LIB_HDR) $(LIBPB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(PB_CFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(LIBPB) $(PB_LIBS)

fuzz:
	@sh scripts/install-deps --fuzz
	@$(MAKE) --no-print-directory O=build/fuzz CC=clang FUZZ=1 WERROR=1 \
		fuzz-build
	@sh scripts/run-fuzz build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-build: $(FUZZ_BIN)

sanitize: deps
	@$(MAKE) --no-print-directory O=build/san B=build/san/bin SANITIZE=1 \
		WERROR=1 check-run

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo/run $(B)

bench:
	@sh scripts/install-deps --bench
	@$(MAKE) --no-print-directory all
	@sh scripts/bench/run $(B)

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	for t in $(TOOLS); do cp -f $(B)/$$t $(DESTDIR)$(BINDIR)/$$t; \
		chmod 755 $(DESTDIR)$(BINDIR)/$$t; done
	for m in man/*.1; do cp -f $$m $(DESTDIR)$(MANDIR)/man1/; done
	for m in man/*.7; do cp -f $$m $(DESTDIR)$(MANDIR)/man7/; done

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(BINDIR)/$$t; done
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in man/*.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$${m#man/}; done

clean:
	rm -rf build bin
