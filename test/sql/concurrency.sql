-- pg_regress: two sessions adapting into one name at the same time (issue
-- 15, deliverable 4; make load runs the same at 8 clients).  Session B
-- starts while session A holds its adaptation open: B waits and then
-- replaces A's predictor, whether the name was new or taken.  (B failed on
-- help_predictors' key: both had found no row, or the row the other one
-- had just replaced.)
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;
SELECT current_database() AS regress_db \gset
CREATE DATABASE help_concurrency;
\c help_concurrency
SET client_min_messages = warning;
CREATE EXTENSION help;
\set cells_table cc_cells
\set cells_n 100
\i test/sql/include/synthetic_cells.sql
INSERT INTO help_devices VALUES ('dev1');
INSERT INTO help_architectures (space, arch_idx, arch) SELECT 'nasbench201', arch_idx, arch FROM cc_cells;
INSERT INTO help_measurements
SELECT 'dev1', 'nasbench201', arch_idx, 1.0 + length(replace(arch, 'none', '')) / 20.0 + arch_idx / 1000.0 FROM cc_cells;
INSERT INTO help_reference_archs SELECT 'nasbench201', arch_idx + 1, arch_idx FROM cc_cells WHERE arch_idx < 10;
INSERT INTO help_predictors (name, space, predictor)
VALUES ('base', 'nasbench201', help_predictor_from_checkpoint(:'nb'::jsonb));

-- session B, in the background: the same name, other support and seed
\setenv CC_B_OUT test/results/concurrency_b.txt
\set b_adapts '\\! rm -f $CC_B_OUT; (psql -X -q -At -d help_concurrency -c "SET client_min_messages = warning" -c "SELECT stored_as, support_rows FROM help_adapt_device(''base'', ''dev1'', ''shared'', ''{20,30,40}'', ''{\\"seed\\": 2}'')" > $CC_B_OUT 2>&1; echo "session B done" >> $CC_B_OUT) &'
\set b_result '\\! for i in $(seq 1 300); do grep -q "session B done" $CC_B_OUT && break; sleep 0.1; done; cat $CC_B_OUT'

-- 1. the name is new to both
BEGIN;
SELECT stored_as, support_rows FROM help_adapt_device('base', 'dev1', 'shared', '{10,20,30,40}', '{"seed": 1}');
:b_adapts
SELECT pg_sleep(1);
COMMIT;
:b_result
SELECT name, support_rows FROM help_predictors p, LATERAL (SELECT (help_predictor_info(p.predictor) #>> '{adaptation,support_rows}')::int AS support_rows) i
WHERE name = 'shared';

-- 2. the name is taken: both replace it
BEGIN;
SELECT stored_as, support_rows FROM help_adapt_device('base', 'dev1', 'shared', '{10,20,30,40,50}', '{"seed": 3}');
:b_adapts
SELECT pg_sleep(1);
COMMIT;
:b_result
SELECT name, support_rows FROM help_predictors p, LATERAL (SELECT (help_predictor_info(p.predictor) #>> '{adaptation,support_rows}')::int AS support_rows) i
WHERE name = 'shared';

\c :regress_db
DROP DATABASE help_concurrency;
