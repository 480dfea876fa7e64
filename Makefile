# ceptoar_registry: PGXS build. The version lives in the control file only.
EXTENSION    = ceptoar_registry
EXTVERSION   = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)
MODULE_big   = $(EXTENSION)
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA_built   = $(EXTENSION)--$(EXTVERSION).sql
# an update script in parts (below): src/updates/<ext>--A--B.parts
UPDATE_PARTS = $(wildcard src/updates/$(EXTENSION)--*.parts)
UPDATE_BUILT = $(patsubst src/updates/%.parts,%.sql,$(UPDATE_PARTS))
DATA_built  += $(UPDATE_BUILT)
DATA         = $(wildcard src/releases/$(EXTENSION)--*.sql src/updates/$(EXTENSION)--*.sql)
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/*.sql)))
REGRESS_OPTS = --load-extension=postgis --load-extension=$(EXTENSION)
PG_CFLAGS   += -Wall -Wextra
# the server's headers as system headers: their unused parameters are not ours to fix
PG_CPPFLAGS += -isystem $(shell $(PG_CONFIG) --includedir-server)
EXTRA_CLEAN  = results regression.diffs regression.out fresh.dump path.dump
PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

SQL_PARTS = $(sort $(wildcard src/sql/*.sql))
$(EXTENSION)--$(EXTVERSION).sql: $(SQL_PARTS) $(EXTENSION).control
	cat $(SQL_PARTS) > $@

# The update script to the version in development is built from the files its .parts
# file lists (src/updates/<ext>--A--B.parts; '#' starts a comment): the new install
# fragments are not written twice.  A release freezes the built script in src/updates/.
parts_of = $(shell sed -e 's/\#.*//' $(1))
.SECONDEXPANSION:
$(UPDATE_BUILT): %.sql: src/updates/%.parts $$(call parts_of,src/updates/$$*.parts)
	cat $(call parts_of,$<) > $@

# PGXS does not track headers.
$(OBJS): $(wildcard src/*.h)

# The graph image (src/graph_image.c) is read only by the build whose graph code wrote it.
GRAPH_SOURCES = src/ceptoar_registry.h src/graph.h src/graph.c src/graph_image.c
src/graph_image.o src/graph_image.bc: override CPPFLAGS += -DCR_GRAPH_SOURCES='"$(shell cat $(GRAPH_SOURCES) | sha1sum | cut -c1-20)"'
src/graph_image.o: $(GRAPH_SOURCES)

.PHONY: prove_installcheck scriptcheck test bench
prove_installcheck:
	dropdb --if-exists $(EXTENSION)_tap
	createdb $(EXTENSION)_tap
	pg_prove -d $(EXTENSION)_tap --failures test/[0-9]*.sql

# Tests that need more than one session or database (pg_dump/pg_restore), as TAP.
scriptcheck:
	prove -e bash test/*.sh

test: installcheck prove_installcheck scriptcheck

bench:
	bash bench/run.sh
	bash bench/classify.sh
	bash bench/impact.sh
	bash bench/registry.sh
	bash bench/access.sh

# isolationtester specs (test/isolation/specs) against the server in PGHOST/PGPORT, like
# installcheck; each spec creates the extension itself.  One spec: make isolationcheck
# ISOLATION_SPECS=rules-snapshot.  Diffs: test/isolation/output_iso/regression.diffs.
ISOLATION_SPECS = $(patsubst test/isolation/specs/%.spec,%,$(sort $(wildcard test/isolation/specs/*.spec)))
EXTRA_CLEAN += test/isolation/output_iso tmp_check_crash
.PHONY: isolationcheck crashcheck
isolationcheck:
	$(pg_isolation_regress_installcheck) --inputdir=test/isolation --outputdir=test/isolation/output_iso \
		--dbname=$(EXTENSION)_isolation $(ISOLATION_SPECS)

# Fuzzing: libFuzzer + ASan + UBSan over every type's text input and binary
# receive function, built outside the server from the same src/ files (test/fuzz/).
# `make fuzz FUZZ_TIME=60` runs each target for that many seconds after the seeds
# and regressions; needs clang and libclang-rt-14-dev.
FUZZ_TIME ?= 60
.PHONY: fuzz fuzz-build fuzz-regress fuzz-corpus
fuzz:
	$(MAKE) -C test/fuzz run FUZZ_TIME=$(FUZZ_TIME) PG_CONFIG=$(PG_CONFIG)
fuzz-build:
	$(MAKE) -C test/fuzz all PG_CONFIG=$(PG_CONFIG)
fuzz-regress:
	$(MAKE) -C test/fuzz regress PG_CONFIG=$(PG_CONFIG)
fuzz-corpus:
	$(MAKE) -C test/fuzz corpus PG_CONFIG=$(PG_CONFIG)

# kill -9 during bulk inserts and graph image writes, in a cluster of its own (needs
# libipc-run-perl; as root it runs itself as postgres; about 40 s)
crashcheck:
	PG_BINDIR='$(bindir)' prove test/crash.pl

# Upgrade check alone (also part of scriptcheck): every release in src/releases/ updated
# to the current version equals a fresh install (test/upgrade.sh).
.PHONY: upgradecheck
upgradecheck:
	prove -e bash test/upgrade.sh

# pg_regress and the pgTAP files against a throwaway server under valgrind memcheck; fails
# on any error with a frame in ceptoar_registry.so (scripts/valgrind/run.sh; needs valgrind).
.PHONY: valgrind-check
valgrind-check:
	bash scripts/valgrind/run.sh
EXTRA_CLEAN += valgrind.log valgrind.regression.diffs upgrade.out

# pgindent's style over src/ with pg_bsd_indent (Debian: pg-bsd-indent); --check only
# reports (scripts/indent.sh).
.PHONY: indent
indent:
	bash scripts/indent.sh
