#!/usr/bin/env bash
# Load and memory (issue 15, deliverable 4), against the server of PGHOST
# etc. (make load; /work/tools/pgrun.sh or pg_virtualenv provide one):
#  1. 8 pgbench clients for 60 s mixing scoring (help_score), per-row and
#     window prediction, and adaptation into help_predictors under names of
#     their own and under one shared name: no client may fail;
#  2. every stored predictor is whole: it reads back from its text form,
#     predicts, and is adapted exactly when it names a device;
#  3. backend memory over 1,000 adapt-and-score calls in one session
#     (pg_backend_memory_contexts): flat after the first 100.
# LOAD_CLIENTS, LOAD_SECONDS, LOAD_ITERATIONS change the figures; the
# details are in test/results/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."
clients=${LOAD_CLIENTS:-8}
seconds=${LOAD_SECONDS:-60}
iterations=${LOAD_ITERATIONS:-1000}
cells=2000
out=test/results/load
rm -rf "$out" && mkdir -p "$out"
: "${HELP_DATA:?HELP_DATA must name the shared data folder}"

export PGDATABASE=help_load
psql -qX -d postgres -c "DROP DATABASE IF EXISTS help_load" -c "CREATE DATABASE help_load"
data/subset.sh "$HELP_DATA" "$out/data" $cells
psql -qX -c "CREATE EXTENSION help" > /dev/null
psql -qX -v ON_ERROR_STOP=1 -v data="$out/data" -v spaces=nasbench201 -f data/load.sql > "$out/load.log"
psql -qX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" \
	-c "SELECT stored_as FROM help_adapt_device('nasbench201/published', 'gold_6240', 'load/adapted')" > /dev/null
echo "== $clients clients for $seconds s: help_score, per-row and window prediction, adaptation (own and shared names)"
set +e
pgbench -n -c "$clients" -j 2 -T "$seconds" -P 10 -D cells=$cells -D device=gold_6240 \
	-f test/load/score.sql@2 -f test/load/row.sql@4 -f test/load/window.sql@2 \
	-f test/load/adapt_own.sql@2 -f test/load/adapt_shared.sql@1 > "$out/pgbench.log" 2>&1
status=$?
set -e
grep -E "^(number of (transactions actually processed|failed transactions)|latency average|tps|SQL script [0-9]+:| - (weight|[0-9]+ transactions|latency average))" "$out/pgbench.log" || true
errors=$(grep -c "ERROR\|aborted" "$out/pgbench.log" || true)
echo "pgbench exit status $status, client errors $errors"
grep -m5 "ERROR\|aborted" "$out/pgbench.log" || true

echo "== every stored predictor after the run"
psql -qX -c "SET client_min_messages = warning" -f - <<'SQL'
SELECT count(*) AS predictors,
       count(*) FILTER (WHERE help_predictor_send(predictor::text::help_predictor) = help_predictor_send(predictor)) AS read_back,
       count(*) FILTER (WHERE device IS NULL
                        OR help_predict_latency(predictor, (SELECT encoding FROM help_architectures
                                                            WHERE space = 'nasbench201' AND arch_idx = 0)) > 0) AS predicting,
       count(*) FILTER (WHERE (help_predictor_info(predictor) ->> 'adapted')::boolean = (device IS NOT NULL)) AS consistent
FROM help_predictors;
SQL

echo "== backend memory over $iterations adapt-and-score calls"
{
	echo "SET client_min_messages = warning;"
	echo "CREATE TEMP TABLE memory (iteration int, bytes bigint);"
	echo "\\o /dev/null"
	for i in $(seq 1 "$iterations"); do
		echo "SELECT stored_as FROM help_adapt_device('nasbench201/published', 'gold_6240', 'load/memory', ARRAY[0,1,2,3,4,5,6,7,8,9,$(( 10 + i % (cells - 10) ))], '{\"seed\": $i}');"
		echo "SELECT count(*) FROM help_score('load/memory', ARRAY(SELECT generate_series(0, 499)));"
		if [ $(( i % 100 )) -eq 0 ]; then
			echo "INSERT INTO memory SELECT $i, sum(total_bytes) FROM pg_backend_memory_contexts;"
		fi
	done
	echo "\\o"
	echo "SELECT iteration, round(bytes / 1048576.0, 2) AS mb FROM memory ORDER BY iteration;"
	echo "SELECT round((max(bytes) FILTER (WHERE iteration = $iterations) - max(bytes) FILTER (WHERE iteration = 100)) / 1024.0) AS kb_grown_after_100,
	             max(bytes) FILTER (WHERE iteration > 100) <= max(bytes) FILTER (WHERE iteration = 100) + 1048576 AS flat_within_1_mb
	      FROM memory;"
} > "$out/memory.sql"
start=$(date +%s)
psql -qX -f "$out/memory.sql"
echo "($(( $(date +%s) - start )) s)"
