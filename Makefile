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
	test/fuzz/bin test/fuzz/obj test/fuzz/work \
	core_test bench/meta_test_core bench/meta_train_core bench/predict_core bench/host_core dist

# Tests and benchmarks read the data folder from here: by default the dataset
# the repository ships (data/help, gzip-compressed); any folder in its format
# works, compressed or not.
export HELP_DATA ?= $(abspath data/help)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track headers (Debian's server is built without
# --enable-depend): rebuild every object when any header changes, since a
# struct that grows in a header and an object compiled against the old one
# corrupt memory rather than fail to build.
$(OBJS) $(OBJS:.o=.bc): $(wildcard src/*.h src/core/*.h)

# The installed script: the functions and types, then the tables and the
# workflow functions built on them.
sql/$(EXTENSION)--$(EXTVERSION).sql: sql/$(EXTENSION).sql sql/help_tables.sql
	cat $^ > $@

# Standalone unit tests of the numerical core (no PostgreSQL needed).
CORE_TEST_SRCS = $(sort $(wildcard test/core/*.c))
core_test: $(CORE_TEST_SRCS) test/core/*.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) -o $@ $(CORE_TEST_SRCS) $(CORE_SRCS) -lm

# The main job end to end: latency-constrained NAS in a scratch cluster
# (test/scratch_cluster.sh, or a scratch database when PGHOST is set), and two
# figures (gnuplot) in FIGURES.  Needs the extension installed first (make
# install).
#   make demo [DATA=data/help] [DEVICE=gold_6240] [CONSTRAINTS=8,11,14] [TRAIN=N] [FIGURES=demo/figures]
.PHONY: demo
demo:
	@demo/run.sh

# Everything: core unit tests, pg_regress, pgTAP, against the server PGHOST
# names (as a superuser), or else in a scratch cluster of its own
# (test/scratch_cluster.sh: pg_virtualenv, side by side with any other run).
.PHONY: test prove
prove:
	pg_prove --ext .sql test/t/

ifeq ($(strip $(PGHOST)),)
test:
	test/scratch_cluster.sh $(MAKE) test
else
test: core_test
	./core_test
	$(MAKE) installcheck
	$(MAKE) prove
endif

# A release tarball, dist/help-VERSION.tar.gz (PGXN takes it as it is): the
# tracked files of commit DIST_REV (default HEAD) under help-VERSION/, the
# dataset included, which builds, installs and tests on its own (.ci/run
# does so).  Refused when help.control, META.json and EXTVERSION disagree on
# the version.
DIST_REV ?= HEAD
.PHONY: dist
dist:
	@perl -MJSON::PP -0777 -ne '$$m = decode_json($$_); @v = ($$m->{version}, $$m->{provides}{$(EXTENSION)}{version}); die "dist: META.json says @v, the Makefile $(EXTVERSION)\n" if grep { $$_ ne "$(EXTVERSION)" } @v' META.json
	@grep -q "^default_version = '$(EXTVERSION)'" $(EXTENSION).control || { echo "dist: $(EXTENSION).control's default_version is not $(EXTVERSION)" >&2; exit 1; }
	@git diff --quiet $(DIST_REV) -- 2> /dev/null || echo "dist: note: uncommitted changes are not in the tarball (it archives $(DIST_REV))"
	mkdir -p dist
	git archive --format=tar.gz --prefix=$(EXTENSION)-$(EXTVERSION)/ -o dist/$(EXTENSION)-$(EXTVERSION).tar.gz $(DIST_REV)
	@echo "dist/$(EXTENSION)-$(EXTVERSION).tar.gz"

# Seconds per meta-training episode of the core, on synthetic devices or on
# the shared data folder with valid Spearman (--data DIR); no server needed.
bench/meta_train_core: bench/meta_train_core.c bench/help_data.c bench/help_data.h bench/bench_clock.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) $(JSONC_CFLAGS) -o $@ bench/meta_train_core.c bench/help_data.c $(CORE_SRCS) $(JSONC_LIBS) -lm

# Seconds to predict every architecture of a space (all z draws) with the
# numerical core alone, as help_predict_batch does inside a backend.
bench/predict_core: bench/predict_core.c bench/help_data.c bench/help_data.h bench/bench_clock.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) $(JSONC_CFLAGS) -o $@ bench/predict_core.c bench/help_data.c $(CORE_SRCS) $(JSONC_LIBS) -lm

# The NAS-Bench-201 runner's repeatability on this machine, without a server:
# random cells measured in two shuffled passes, as help_measure_host does.
bench/host_core: bench/host_core.c bench/bench_clock.h $(CORE_SRCS) src/core/*.h
	$(CC) $(OPTFLAGS) $(WARNFLAGS) -Isrc/core $(BLAS_CFLAGS) -o $@ bench/host_core.c $(CORE_SRCS) -lm

# Fuzzing with libFuzzer (clang; Debian: clang-14 libclang-rt-14-dev).  One
# target per parser of untrusted input: the strict JSON checker and the
# encoders of the core alone; help_predictor's text and binary input,
# checkpoint import, the options and help_encode's texts through the
# PostgreSQL layer's own code, run outside a server by test/fuzz/pg_shim.c.
#   make fuzz [FUZZ_SECONDS=60]   each target for that long, from the seeds
#   make fuzz-smoke               each target for a few seconds (CI)
#   make fuzz-seeds               regenerate test/fuzz/corpus/ (checked in)
# New inputs go to test/fuzz/work/TARGET, crashes to test/fuzz/work/.
FUZZ_CC ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 5
FUZZ_TARGETS = json encode arch options predictor_text predictor_binary checkpoint
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS = -g -O1 -fno-omit-frame-pointer $(FUZZ_SANITIZE) -Wall -Werror \
	-Wno-unused-command-line-argument -Wno-ignored-attributes
FUZZ_PG_SRCS = predictor_text predictor_binary predictor_type json_util json_write tensor_json \
	options ofa_json encode_sql errors
FUZZ_CORE_OBJS = $(patsubst src/core/%.c,test/fuzz/obj/core_%.o,$(CORE_SRCS))
FUZZ_PG_OBJS = $(patsubst %,test/fuzz/obj/pg_%.o,$(FUZZ_PG_SRCS)) test/fuzz/obj/pg_shim.o
FUZZ_PG_CPPFLAGS = -Isrc -Isrc/core -Itest/fuzz -I$(shell $(PG_CONFIG) --includedir-server) $(BLAS_CFLAGS) $(JSONC_CFLAGS)

test/fuzz/obj/core_%.o: src/core/%.c src/core/*.h
	@mkdir -p test/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Isrc/core $(BLAS_CFLAGS) -c $< -o $@
test/fuzz/obj/pg_%.o: src/%.c src/*.h src/core/*.h
	@mkdir -p test/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_PG_CPPFLAGS) -c $< -o $@
test/fuzz/obj/pg_shim.o: test/fuzz/pg_shim.c test/fuzz/pg_shim.h test/fuzz/fuzz_require.h
	@mkdir -p test/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_PG_CPPFLAGS) -c $< -o $@

test/fuzz/bin/fuzz_json: test/fuzz/fuzz_json.c $(FUZZ_CORE_OBJS)
	@mkdir -p test/fuzz/bin
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc/core $(JSONC_CFLAGS) $^ -o $@ $(JSONC_LIBS) -lm
test/fuzz/bin/fuzz_encode: test/fuzz/fuzz_encode.c $(FUZZ_CORE_OBJS)
	@mkdir -p test/fuzz/bin
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc/core $^ -o $@ -lm
test/fuzz/bin/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz_common.h $(FUZZ_CORE_OBJS) $(FUZZ_PG_OBJS)
	@mkdir -p test/fuzz/bin
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(FUZZ_PG_CPPFLAGS) $(filter %.c %.o,$^) -o $@ $(JSONC_LIBS) -lm
test/fuzz/bin/make_seeds: test/fuzz/make_seeds.c test/fuzz/fuzz_common.h $(FUZZ_CORE_OBJS) $(FUZZ_PG_OBJS)
	@mkdir -p test/fuzz/bin
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_PG_CPPFLAGS) $(filter %.c %.o,$^) -o $@ $(JSONC_LIBS) -lm

.PHONY: fuzz fuzz-smoke fuzz-seeds fuzz-build
fuzz-build: $(patsubst %,test/fuzz/bin/fuzz_%,$(FUZZ_TARGETS))
fuzz-seeds: test/fuzz/bin/make_seeds
	rm -rf test/fuzz/corpus && test/fuzz/bin/make_seeds test/fuzz/corpus
fuzz fuzz-smoke: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p test/fuzz/work/$$t; \
		echo "== fuzz_$$t"; \
		test/fuzz/bin/fuzz_$$t -max_total_time=$(if $(filter fuzz-smoke,$@),$(FUZZ_SMOKE_SECONDS),$(FUZZ_SECONDS)) \
			-print_final_stats=1 -artifact_prefix=test/fuzz/work/ -rss_limit_mb=4096 \
			test/fuzz/work/$$t test/fuzz/corpus/$$t 2>&1 | grep -E "^(INFO: seed corpus|#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|property failed)" || true; \
		test -z "$$(ls test/fuzz/work/crash-* test/fuzz/work/leak-* test/fuzz/work/oom-* test/fuzz/work/timeout-* 2>/dev/null)" || { echo "fuzz_$$t found a failure: test/fuzz/work/"; exit 1; }; \
	done

# Load and memory, against the server PGHOST names or else a scratch
# cluster: 8 clients for 60 s mixing scoring, prediction and adaptation,
# then every stored predictor checked, then backend memory over 1,000
# adapt-and-score calls.  Outside make test (about 3 minutes).
.PHONY: load
ifeq ($(strip $(PGHOST)),)
load:
	test/scratch_cluster.sh $(MAKE) load
else
load:
	test/load/run.sh
endif

# The regression tests against a scratch server under valgrind's memcheck,
# counting the errors in the extension's code.  Slow; not in CI.
.PHONY: valgrind
valgrind:
	PG_CONFIG=$(PG_CONFIG) test/valgrind/run.sh
