-- pg_regress: what an analyst needs to use the extension without owning it
-- (the README's GRANT recipe): read the tables, score, adapt into
-- help_predictors, search; and what stays the owner's unless granted:
-- changing the data, loading one's own device.  In a scratch database
-- holding the data subset (data/subset.sh).
\set VERBOSITY terse
\! data/subset.sh "$HELP_DATA" test/results/roles_data 300
\! dropdb --if-exists help_roles 2> /dev/null; createdb help_roles
\set regress_db :DBNAME
\c help_roles
\setenv PGDATABASE help_roles
CREATE EXTENSION help;
\set data test/results/roles_data
\set ECHO none
\i data/load.sql
\set ECHO all
\set ON_ERROR_STOP 0
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_help_analyst;
RESET client_min_messages;

-- the README's recipe
CREATE ROLE regress_help_analyst LOGIN;
GRANT SELECT ON help_devices, help_device_splits, help_architectures, help_measurements,
                help_reference_archs, help_accuracy, help_predictors, help_predictor_list
    TO regress_help_analyst;
GRANT INSERT, UPDATE, DELETE ON help_predictors TO regress_help_analyst;

SET ROLE regress_help_analyst;
SELECT current_user, (SELECT count(*) FROM help_measurements) > 0 AS reads_measurements;
SELECT * FROM help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/gold_6240',
                                '{9,55,431,1462,6196,8636,9881,11982,13479,14451,1,2,3,4,5}', '{"seed": 1}');
SELECT count(*) AS scored, help_spearman(s.latency_ms, m.latency_ms) > 0.8 AS ranks_like_measured
FROM help_score('nasbench201/gold_6240') s
JOIN help_measurements m ON m.device = 'gold_6240' AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx;
SELECT arch_idx, round(latency_ms::numeric, 1) AS predicted_ms FROM help_nas('nasbench201/gold_6240', 11);
SELECT name, device, summary FROM help_predictor_list ORDER BY name;
-- measure more, adapt again: the stored predictor is replaced
SET client_min_messages = warning;
SELECT stored_as, support_rows FROM help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/gold_6240',
                                                      '{9,55,431,1462,6196,8636,9881,11982,13479,14451,1,2,3,4,5,6,7}', '{"seed": 1}');
RESET client_min_messages;
DELETE FROM help_predictors WHERE name = 'nasbench201/gold_6240';
-- not granted: the data itself
INSERT INTO help_measurements VALUES ('gold_6240', 'nasbench201', 299, 5);
DELETE FROM help_architectures;
-- nor loading whole folders, nor, so far, a device of one's own
RESET ROLE;
\! PGOPTIONS='-c role=regress_help_analyst' test/psql_errors.sh -v data=test/results/roles_data -f data/load.sql
\! printf 'arch_idx,latency_ms\n1,2.5\n2,3.5\n' > test/results/roles_device.csv
\! PGOPTIONS='-c role=regress_help_analyst' test/psql_errors.sh -v device=my_cpu -v space=nasbench201 -v csv=test/results/roles_device.csv -f data/load_device.sql
-- the recipe's optional line for that
GRANT INSERT ON help_devices, help_measurements TO regress_help_analyst;
\! PGOPTIONS='-c role=regress_help_analyst' test/psql_errors.sh -v device=my_cpu -v space=nasbench201 -v csv=test/results/roles_device.csv -f data/load_device.sql
SELECT device, arch_idx, latency_ms FROM help_measurements WHERE device = 'my_cpu' ORDER BY arch_idx;

\c :regress_db
\setenv PGDATABASE :DBNAME
\! dropdb help_roles
DROP ROLE regress_help_analyst;
