#!/bin/bash
# The main job end to end (`make demo`): in a scratch PostgreSQL 15 cluster
# (test/scratch_cluster.sh: pg_virtualenv, a cluster of its own that runs
# side by side with `make test` or another demo; removed afterwards),
# CREATE EXTENSION help, load the data folder, import the published
# NAS-Bench-201 predictor, adapt it to the target device from its 10
# reference measurements and 10 further ones, and answer latency-constrained
# NAS over the MetaD2A candidates with one SQL query (demo/nas.sql); then
# draw two figures with gnuplot (demo/figures.sql exports their data).  With
# TRAIN=N, meta-train the predictor instead (help_meta_train_space, N
# episodes; the paper uses 2000, about 2 minutes on 2 cores) on the folder's
# meta_train devices, selecting on meta_valid.
#
# DEVICE=host is the machine the database runs on, which no data folder
# holds: the demo measures it (data/measure_host.sql: the 10 reference
# cells and 10 suggested ones, help_measure_host), adapts to it, answers
# the NAS query (budgets, unless CONSTRAINTS gives them, at the quartiles
# of the candidates' predicted latencies), then measures the picks, a
# sample of the candidates and SAMPLE random cells (SAMPLE_RUNS runs each)
# to show how right the prediction was (demo/host_check.sql).
#
#   make demo [DATA=data/help] [DEVICE=gold_6240|host] [CONSTRAINTS=8,11,14] [TRAIN=2000] [FIGURES=demo/figures]
#             [SAMPLE=300] [SAMPLE_RUNS=5]
#
# The extension must be installed first (make install).  DATA and FIGURES
# are relative to the repository.  With PGHOST set (a server of one's own,
# as bench/ does), the demo runs in a scratch database there instead,
# dropped afterwards; creating the extension needs a superuser.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

if [ -z "${HELP_DEMO_INSIDE:-}" ]; then
	DATA=${DATA:-data/help}
	FIGURES=${FIGURES:-demo/figures}
	DEVICE=${DEVICE:-gold_6240}
	# the host's budgets depend on the host: chosen once it is measured
	[ "$DEVICE" = host ] || CONSTRAINTS=${CONSTRAINTS:-8,11,14}
	CONSTRAINTS=${CONSTRAINTS:-}
	TRAIN=${TRAIN:-}
	SAMPLE=${SAMPLE:-300}
	SAMPLE_RUNS=${SAMPLE_RUNS:-5}
	if ! [[ "$SAMPLE" =~ ^[0-9]+$ && "$SAMPLE_RUNS" =~ ^[1-9][0-9]*$ ]] || [ "$SAMPLE" -gt 15000 ] || [ "$SAMPLE_RUNS" -gt 1000 ]; then
		echo "demo: SAMPLE must be a number of cells (0 to 15000) and SAMPLE_RUNS of runs (1 to 1000) (got '$SAMPLE', '$SAMPLE_RUNS')" >&2
		exit 1
	fi
	if [ -n "$TRAIN" ] && ! [[ "$TRAIN" =~ ^[1-9][0-9]*$ ]]; then
		echo "demo: TRAIN must be a number of meta-training episodes, e.g. 2000 (got '$TRAIN')" >&2
		exit 1
	fi
	if [ ! -d "$DATA" ]; then
		echo "demo: data folder $DATA not found (DATA=..., relative to $repo)" >&2
		exit 1
	fi
	if [ -n "$CONSTRAINTS" ] && ! [[ "$CONSTRAINTS" =~ ^[0-9]+(\.[0-9]+)?(,[0-9]+(\.[0-9]+)?)*$ ]]; then
		echo "demo: CONSTRAINTS must be milliseconds separated by commas, e.g. 8,11,14 (got '$CONSTRAINTS')" >&2
		exit 1
	fi
	if ! [[ "$DEVICE" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]]; then
		echo "demo: DEVICE must be a device name such as gold_6240 (got '$DEVICE')" >&2
		exit 1
	fi
	if [ ! -f "$DATA/nasbench201/latency.csv" ] && [ ! -f "$DATA/nasbench201/latency.csv.gz" ]; then
		echo "demo: $DATA has no nasbench201/latency.csv (nor .gz)" >&2
		exit 1
	fi
	devices=$(data/read.sh "$DATA/nasbench201/latency.csv" | tail -n +2 | cut -d, -f1 | sort -u)
	if [ "$DEVICE" != host ] && ! grep -qx -- "$DEVICE" <<< "$devices"; then
		echo "demo: no NAS-Bench-201 measurements of $DEVICE in $DATA (held back, or misspelt); measured devices:" >&2
		echo $devices >&2
		echo "(or DEVICE=host: this machine, measured by the demo)" >&2
		exit 1
	fi
	mkdir -p "$FIGURES"
	export HELP_DEMO_INSIDE=1 HELP_DEMO_START=$(now)
	export DATA=$(cd "$DATA" && pwd) FIGURES=$(cd "$FIGURES" && pwd) DEVICE CONSTRAINTS TRAIN SAMPLE SAMPLE_RUNS
	if [ -n "${PGHOST:-}" ]; then
		# a server of one's own: a scratch database on it
		export HELP_DEMO_DB=help_demo_$$
		createdb "$HELP_DEMO_DB" || { echo "demo: cannot create a scratch database on the server PGHOST=$PGHOST" >&2; exit 1; }
		trap 'dropdb --if-exists "$HELP_DEMO_DB"' EXIT
		"$0" && status=0 || status=$?
		dropdb --if-exists "$HELP_DEMO_DB" && trap - EXIT
		where="scratch database $HELP_DEMO_DB dropped"
	else
		# a cluster of its own, so that make test or another demo may run meanwhile
		test/scratch_cluster.sh "$0" 2>&1 | grep -v -e '^Creating new PostgreSQL cluster' -e '^Dropping cluster'
		status=${PIPESTATUS[0]}
		where="scratch cluster removed"
	fi
	if [ "$status" -eq 0 ]; then
		echo "== done in $(secs "$HELP_DEMO_START"); $where"
	fi
	exit "$status"
fi

# Inside the scratch cluster (PGHOST, PGPORT, PGUSER... set by pg_virtualenv)
# or the scratch database.
base=nasbench201/published
[ -n "$TRAIN" ] && base=nasbench201/meta-trained
psql_() { psql -X -q -v ON_ERROR_STOP=1 -d "${HELP_DEMO_DB:-postgres}" -v device="$DEVICE" -v constraints="{$CONSTRAINTS}" \
	-v predictor="nasbench201/$DEVICE" -v base="$base" -v episodes="${TRAIN:-0}" "$@"; }

if ! psql_ -c 'CREATE EXTENSION help' 2> /tmp/help_demo_$$.err; then
	cat /tmp/help_demo_$$.err; rm -f /tmp/help_demo_$$.err
	echo "demo: CREATE EXTENSION help failed: install the extension first (make && make install)" >&2
	exit 1
fi
rm -f /tmp/help_demo_$$.err
if [ "$(psql_ -Atc "SELECT to_regclass('help_measurements') IS NOT NULL")" != t ]; then
	echo "demo: the installed extension has no help_ tables: reinstall it (make install)" >&2
	exit 1
fi
if [ -n "${HELP_DEMO_DB:-}" ]; then scratch="scratch database $HELP_DEMO_DB"; else scratch="scratch cluster"; fi
echo "== $scratch: $(psql_ -Atc "SELECT split_part(version(), ' on ', 1)"), extension help $(psql_ -Atc "SELECT extversion FROM pg_extension WHERE extname = 'help'")"

echo "== loading $DATA"
t=$(now)
if [ "$DEVICE" = host ]; then
	psql_ -v data="$DATA" -v spaces=nasbench201 -f data/load.sql	# the host needs no other space
else
	psql_ -v data="$DATA" -f data/load.sql
fi
echo "   loaded in $(secs "$t")"

if [ -n "$TRAIN" ]; then
	t=$(now)
	echo "== meta-training $base: help_meta_train on the meta_train devices, $TRAIN episodes, 2 threads, best by mean Spearman on the meta_valid devices"
	PGOPTIONS="-c client_min_messages=warning" psql_ -At <<'SQL'
SELECT format('   %s meta-train devices, %s validation devices; best episode %s, mean valid Spearman %s',
              train_devices, valid_devices, best_episode, round(valid_spearman::numeric, 3))
FROM help_meta_train_space('nasbench201', :'base', jsonb_build_object('episodes', :episodes, 'threads', 2));
SQL
	echo "   in $(secs "$t")"
fi

t=$(now)
if [ "$DEVICE" = host ]; then
	echo "== measuring this machine (data/measure_host.sql): the 10 reference cells, adapt, the 10 cells help_suggest_measurements picks, adapt again"
	psql_ -f data/measure_host.sql
	if [ -z "$CONSTRAINTS" ]; then
		# budgets at the quartiles of the candidates' predicted latencies
		CONSTRAINTS=$(psql_ -At <<'SQL'
SELECT string_agg(round(q::numeric, 1)::text, ',')
FROM unnest((SELECT percentile_cont('{0.25,0.5,0.75}'::float8[]) WITHIN GROUP (ORDER BY s.latency_ms)
             FROM help_score(:'predictor', ARRAY(SELECT arch_idx FROM help_accuracy
                                                 WHERE space = 'nasbench201' AND dataset = 'cifar100' AND source = 'metad2a')) s)) q
SQL
)
		echo "   budgets: $CONSTRAINTS ms (the quartiles of the candidates' predicted latencies on this machine)"
	fi
else
psql_ -At <<'SQL'
SELECT format('== adapting %s (%s) to %s: hardware embedding from its 10 reference measurements,',
              name, coalesce(provenance ->> 'function', provenance ->> 'source'), :'device')
FROM help_predictors WHERE name = :'base';
-- support: the 10 reference measurements (already taken for the embedding,
-- and they span the device's range) and 10 further ones, picked
-- deterministically from the device's first-900 pool (the meta-training
-- pool of the HELP protocol)
SELECT * FROM help_adapt_device(:'base', :'device', :'predictor',
    ARRAY(SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201') ||
    ARRAY(SELECT m.arch_idx FROM help_measurements m
          WHERE m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx < 900
            AND m.arch_idx NOT IN (SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201')
          ORDER BY md5(m.arch_idx::text) LIMIT 10),
    '{"seed": 1}') \gset
SELECT format('   adapted (help_adapt''s default method) on %s measurements (the reference ones and arch_idx %s), seed 1: stored as %s',
              jsonb_array_length(provenance -> 'support_arch_idx'),
              (SELECT string_agg(i::text, ', ' ORDER BY i)
               FROM jsonb_array_elements_text(provenance -> 'support_arch_idx') e(i)
               WHERE i::int NOT IN (SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201')),
              name)
FROM help_predictors WHERE name = :'stored_as';
SQL
fi
echo "   in $(secs "$t")"

echo "== latency-constrained NAS on $DEVICE over the $(psql_ -Atc "SELECT count(*) FROM help_accuracy WHERE space = 'nasbench201' AND dataset = 'cifar100' AND source = 'metad2a'") MetaD2A candidates (CIFAR-100 accuracy), demo/nas.sql:"
t=$(now)
psql_ -P footer=off -f demo/nas.sql
echo "   in $(secs "$t")"

measured=$(echo "SELECT count(*) > 0 FROM help_measurements m JOIN help_accuracy a USING (space, arch_idx)
                 WHERE m.device = :'device' AND a.source = 'metad2a'" | psql_ -At)
if [ "$DEVICE" = host ]; then
	psql_ -v runs=20 -v candidates=10 -v sample="$SAMPLE" -v sample_runs="$SAMPLE_RUNS" -f demo/host_check.sql
elif [ "$measured" = t ]; then
	echo "== for comparison (not part of the search): the best candidate by measured latency"
	psql_ -P footer=off <<'SQL'
SELECT k.constraint_ms, round(b.accuracy::numeric, 2) AS "accuracy %",
       round(b.latency_ms::numeric, 2) AS measured_ms, b.arch_idx
FROM unnest(:'constraints'::float8[]) AS k(constraint_ms)
LEFT JOIN LATERAL (
    SELECT a.arch_idx, a.accuracy, m.latency_ms
    FROM help_accuracy a JOIN help_measurements m USING (space, arch_idx)
    WHERE a.space = 'nasbench201' AND a.dataset = 'cifar100' AND a.source = 'metad2a'
      AND m.device = :'device' AND m.latency_ms <= k.constraint_ms
    ORDER BY a.accuracy DESC, m.latency_ms, a.arch_idx LIMIT 1
) b ON true
ORDER BY k.constraint_ms;
SQL
fi

# The figures: their data from the database, drawn by gnuplot when it is
# installed (demo/*.gp).
echo "== figures"
psql_ -v out="$FIGURES" -f demo/figures.sql
if command -v gnuplot > /dev/null; then
	gnuplot -e "dir='$FIGURES'; device='$DEVICE'" demo/predicted_vs_measured.gp
	gnuplot -e "dir='$FIGURES'; device='$DEVICE'; constraints='${CONSTRAINTS//,/ }'" demo/accuracy_vs_latency.gp
	echo "   ${FIGURES#$repo/}/predicted_vs_measured.png: measured against predicted latency of every cell on $DEVICE, log-log, with the 90% interval band"
	echo "   ${FIGURES#$repo/}/accuracy_vs_latency.png: the candidates' accuracy against their predicted latency, constraints and picks marked"
else
	echo "   gnuplot not found (apt-get install gnuplot-nox): their data is in ${FIGURES#$repo/}/*.csv"
fi
