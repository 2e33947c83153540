-- pg_regress: measuring this machine.  help_measure_host and
-- help_measure_host_detail with a run or three (timing well is bench/host's
-- job: only what cannot vary is printed), their attributes and errors
-- (test/t/bad_inputs.sql checks their SQLSTATEs), help_host_cpu, and
-- data/measure_host.sql on a data subset.
\set VERBOSITY terse
\set c3 '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|'
\set c0 '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|'

-- every call measures anew (VOLATILE), never in a parallel worker beside
-- others (PARALLEL UNSAFE); NULL in, NULL out
SELECT p.oid::regprocedure AS function, provolatile, proparallel, proisstrict
FROM pg_proc p WHERE proname IN ('help_measure_host', 'help_measure_host_detail', 'help_host_cpu')
ORDER BY 1::text;
SELECT help_measure_host(NULL) IS NULL AS null_cell, help_measure_host(:'c0', NULL) IS NULL AS null_batch;

-- one run: a latency, its spread, the passes it took
SELECT help_measure_host(:'c3', 1, 1) > 0 AS measured;
SELECT latency_ms > 0 AS positive, min_ms <= latency_ms AND latency_ms <= max_ms AS within_spread,
       quiet_runs, timed_runs, warmup_runs >= 2 AS warmed_up, quiet
FROM help_measure_host_detail(:'c0', 2, 1);
-- the defaults (batch 1, 20 runs): at least 20 passes, at most 60
SELECT quiet_runs <= 20 AND timed_runs BETWEEN 20 AND 60 AND (quiet_runs = 20) = quiet AS runs_as_documented
FROM help_measure_host_detail(:'c0');
-- 30 convolutions per stage take more than 5 times what none of them does
SELECT (SELECT latency_ms FROM help_measure_host_detail(:'c3', 1, 3)) >
       5 * (SELECT latency_ms FROM help_measure_host_detail(:'c0', 1, 3)) AS convolutions_cost;

-- what it refuses
SELECT help_measure_host('|nor_conv_3x3~0|');
SELECT help_measure_host('|conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|');
SELECT help_measure_host(:'c0', 0);
SELECT help_measure_host(:'c0', 65);
SELECT help_measure_host(:'c0', 1, 0);
SELECT * FROM help_measure_host_detail(:'c0', 1, 1001);

-- the CPU, as the server sees it
SELECT help_host_cpu() ~ 'CPU' AS cpu_described;

-- data/measure_host.sql, in a scratch database with a subset of the data
-- (the 10 reference cells and 2 suggested ones, one run each; its output,
-- times and latencies, goes to /dev/null)
\! data/subset.sh "$HELP_DATA" test/results/mh_data 300
\! dropdb --if-exists help_measure_host 2> /dev/null; createdb help_measure_host
\set regress_db :DBNAME
\c help_measure_host
\setenv PGDATABASE help_measure_host
\! psql -X -q -c 'CREATE EXTENSION help' < /dev/null
\! psql -X -q -v data=test/results/mh_data -v spaces=nasbench201 -f data/load.sql < /dev/null > /dev/null
\! psql -X -q -v runs=1 -v n=2 -f data/measure_host.sql < /dev/null > /dev/null
SELECT device, description LIKE 'this machine, measured by help_measure_host: % CPU%; OpenBLAS %, one thread; batch 1, median of 1 quiet runs; %' AS described
FROM help_devices WHERE device = 'host';
SELECT count(*) AS measurements,
       count(*) FILTER (WHERE arch_idx IN (SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201')) AS reference
FROM help_measurements WHERE device = 'host';
SELECT name, device, jsonb_array_length(provenance -> 'support_arch_idx') AS support
FROM help_predictors WHERE device = 'host';
-- again: the reference cells measured anew, 2 more suggested, adapted on all 14
\! psql -X -q -v runs=1 -v n=2 -f data/measure_host.sql < /dev/null > /dev/null
SELECT count(*) AS measurements FROM help_measurements WHERE device = 'host';
SELECT jsonb_array_length(provenance -> 'support_arch_idx') AS support FROM help_predictors WHERE name = 'nasbench201/host';
-- a device measured by something else is not overwritten; bad variables
\! test/psql_errors.sh -v device=gold_6240 -v runs=1 -f data/measure_host.sql
\! test/psql_errors.sh -v device='my host' -f data/measure_host.sql
\! test/psql_errors.sh -v n=many -f data/measure_host.sql
\! test/psql_errors.sh -v runs=0 -f data/measure_host.sql
\! test/psql_errors.sh -v batch=65 -f data/measure_host.sql
\! test/psql_errors.sh -v base=nasbench201/nothing -v runs=1 -f data/measure_host.sql
\c :regress_db
\! dropdb help_measure_host
