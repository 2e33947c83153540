# PGXS build of the help extension.
EXTENSION = help
EXTVERSION = 0.2.0
MODULE_big = help

CORE_SRCS = $(sort $(wildcard src/core/*.c))
PG_SRCS = $(sort $(wildcard src/*.c))
OBJS = $(CORE_SRCS:.c=.o) $(PG_SRCS:.c=.o)

# This version's install script is built from sql/help.sql and
# sql/help_tables.sql; the install scripts of released versions and the
# upgrade scripts from them are checked in as they shipped.
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

TESTS = $(sort $(wildcard test/sql/*.sql))
REGRESS = $(patsubst test/sql/%.sql,%,$(TESTS))
REGRESS_OPTS = --inputdir=test --outputdir=test --load-extension=$(EXTENSION)

# Libraries come from pkg-config; say clearly which one is missing.
ifeq ($(shell pkg-config --exists openblas && echo yes),yes)
BLAS_CFLAGS = $(shell pkg-config --cflags openblas)
else
$(error OpenBLAS not found by pkg-config: install libopenblas-dev)
endif
ifeq ($(shell pkg-config --exists json-c && echo yes),yes)
JSONC_CFLAGS = $(shell pkg-config --cflags json-c)
JSONC_LIBS = $(shell pkg-config --libs json-c)
else
$(error json-c not found by pkg-config: install libjson-c-dev)
endif

# OPTFLAGS may be overridden (e.g. make OPTFLAGS=-march=native).  -O3 so that
# the elementwise loops of the network (propagation, bias + relu) vectorize.
OPTFLAGS ?= -O3
# -Wclobbered misfires inside PG_TRY (on its own _do_rethrow), so it is off.
WARNFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers -Wno-clobbered
PG_CPPFLAGS = -Isrc -Isrc/core $(BLAS_CFLAGS) $(JSONC_CFLAGS)
PG_CFLAGS = $(OPTFLAGS) $(WARNFLAGS)
# OpenBLAS is opened at run time (src/core/blas.c), not linked.
SHLIB_LINK = $(JSONC_LIBS) -lm

EXTRA_CLEAN = $(DATA_built) test/results test/regression.diffs test/regression.out \
	core_test bench/meta_test_core bench/meta_train_core bench/predict_core

# Tests and benchmarks read the shared data folder from here.
export HELP_DATA ?= $(abspath ../shared/data/help)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# The installed script: the functions and types, then the tables and the
# workflow functions built on them.
sql/$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql sql/help_tables.sql
	cat $^ > $@

# Standalone unit tests of the numerical core (no PostgreSQL needed).
CORE_TEST_SRCS = $(sort $(wildcard test/core/*.c))
core_test: $(CORE_TEST_SRCS) test/core/*.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) -o $@ $(CORE_TEST_SRCS) $(CORE_SRCS) -lm

# The main job end to end: latency-constrained NAS in a scratch cluster
# (pg_virtualenv).  Needs the extension installed first (make install).
#   make demo [DATA=../shared/data/help] [DEVICE=gold_6240] [CONSTRAINTS=8,11,14]
.PHONY: demo
demo:
	@demo/run.sh

# Everything: core unit tests, pg_regress, pgTAP.  Needs a running server
# (PGHOST/PGPORT etc.), which `make test` inside pg_virtualenv provides.
.PHONY: test prove
prove:
	pg_prove --ext .sql test/t/

test: core_test
	./core_test
	$(MAKE) installcheck
	$(MAKE) prove

# Seconds per meta-training episode of the core, on synthetic devices or on
# the shared data folder with valid Spearman (--data DIR); no server needed.
bench/meta_train_core: bench/meta_train_core.c bench/help_data.c bench/help_data.h bench/bench_clock.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) $(JSONC_CFLAGS) -o $@ bench/meta_train_core.c bench/help_data.c $(CORE_SRCS) $(JSONC_LIBS) -lm

# Seconds to predict every architecture of a space (all z draws) with the
# numerical core alone, as help_predict_batch does inside a backend.
bench/predict_core: bench/predict_core.c bench/help_data.c bench/help_data.h bench/bench_clock.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) $(JSONC_CFLAGS) -o $@ bench/predict_core.c bench/help_data.c $(CORE_SRCS) $(JSONC_LIBS) -lm
