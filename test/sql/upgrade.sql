-- pg_regress: upgrades (issue 15, deliverable 5).  Install 0.1.0, store
-- data and predictors, ALTER EXTENSION help UPDATE: the predictions are
-- unchanged, and the updated catalog is a fresh install's, object for object
-- (which keeps sql/help--0.1.0--0.2.0.sql complete as the SQL changes).
-- Then pg_dump and pg_restore the updated database: every stored value,
-- including unusual but accepted ones, comes back byte for byte.
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;
SELECT current_database() AS regress_db \gset
CREATE DATABASE help_upgrade_fresh;
CREATE DATABASE help_upgrade;

-- a fresh install of the default version, as the catalog holds it
\c help_upgrade_fresh
CREATE EXTENSION help;
\i test/sql/include/catalog.sql
\pset format unaligned
\pset tuples_only on
\o test/results/upgrade_fresh_catalog.txt
SELECT line FROM pg_temp.help_catalog() line ORDER BY 1;
\o
\pset tuples_only off
\pset format aligned

-- 0.1.0 with a device, 100 cells, the published predictor and an adapted one
\c help_upgrade
SET client_min_messages = warning;
CREATE EXTENSION help VERSION '0.1.0';
SELECT extversion FROM pg_extension WHERE extname = 'help';
\set cells_table up_cells
\set cells_n 100
\i test/sql/include/synthetic_cells.sql
INSERT INTO help_devices VALUES ('dev1');
INSERT INTO help_architectures (space, arch_idx, arch) SELECT 'nasbench201', arch_idx, arch FROM up_cells;
INSERT INTO help_measurements
SELECT 'dev1', 'nasbench201', arch_idx, 1.0 + length(replace(arch, 'none', '')) / 20.0 + arch_idx / 1000.0 FROM up_cells;
INSERT INTO help_reference_archs SELECT 'nasbench201', arch_idx + 1, arch_idx FROM up_cells WHERE arch_idx < 10;
INSERT INTO help_accuracy (space, arch_idx, dataset, source, accuracy)
SELECT 'nasbench201', arch_idx, 'cifar100', 'test', 50 + arch_idx / 4.0 FROM up_cells WHERE arch_idx >= 10;
INSERT INTO help_predictors (name, space, predictor)
VALUES ('base', 'nasbench201', help_predictor_from_checkpoint(:'nb'::jsonb));
SELECT stored_as, support_rows FROM help_adapt_device('base', 'dev1', 'adapted', '{10,20,30,40,50}', '{"seed": 2}');
CREATE TABLE my_adapted AS
SELECT help_adapt(p.predictor, help_device_embedding('dev1', 'nasbench201'), a.encoding, m.latency_ms) AS p
FROM help_predictors p, help_measurements m JOIN help_architectures a USING (space, arch_idx)
WHERE p.name = 'base' AND m.arch_idx IN (11, 22, 33);
-- predictions through 0.1.0's functions
CREATE TABLE before_update AS
SELECT s.arch_idx, s.latency_ms, s.stddev_ms, help_predict_latency(m.p, c.enc) AS my_ms
FROM help_score('adapted') s JOIN up_cells c USING (arch_idx), my_adapted m;
CREATE TABLE nas_before AS SELECT arch_idx FROM help_nas('adapted', 3.0);

ALTER EXTENSION help UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'help';
-- the same predictions through 0.2.0's functions, bit for bit
SELECT count(*) AS architectures,
       count(*) FILTER (WHERE s.latency_ms = b.latency_ms AND s.stddev_ms = b.stddev_ms
                        AND help_predict_latency(m.p, c.enc) = b.my_ms) AS unchanged
FROM before_update b JOIN help_score('adapted') s USING (arch_idx) JOIN up_cells c USING (arch_idx), my_adapted m;
SELECT (SELECT arch_idx FROM nas_before) = (SELECT arch_idx FROM help_nas('adapted', 3.0, confidence => 0))
       AS same_nas_answer;
-- 0.1.0's names still work
SELECT help_device_embedding('dev1', 'nasbench201') = help_embed_device('dev1', 'nasbench201') AS old_name_works;

-- the updated catalog is a fresh install's
\i test/sql/include/catalog.sql
\pset format unaligned
\pset tuples_only on
\o test/results/upgrade_updated_catalog.txt
SELECT line FROM pg_temp.help_catalog() line ORDER BY 1;
\o
\pset tuples_only off
\pset format aligned
\! diff test/results/upgrade_fresh_catalog.txt test/results/upgrade_updated_catalog.txt && echo "the updated catalog equals a fresh install's"

-- values that are unusual but accepted, in a user table: provenance with
-- escapes and non-ASCII, nested 32 deep, with integers at int64's ends and a
-- huge float; a -0.0 weight and extreme floats; an adapted predictor with
-- the largest seed; keys in another order, with whitespace
CREATE TABLE mutants (label text PRIMARY KEY, p help_predictor);
INSERT INTO mutants
SELECT label, replace(t, old, new)::help_predictor
FROM (SELECT predictor::text AS t FROM help_predictors WHERE name = 'base') b, (VALUES
	('escapes', '"episode":1699}', '"episode":1699,"s":"tab\there \"q\" \\ \u00e9 \ud83d\ude00 \u001f \/"}'),
	('nested 32', '{"source":"checkpoint","format":"HELP published checkpoint, converted","episode":1699}',
	 repeat('{"a":', 31) || '{}' || repeat('}', 31)),
	('integers and a huge float', '"episode":1699', '"episode":[9223372036854775807,-9223372036854775808,-0,1e400,1.5E-7]'),
	('negative zero weight', '"data":[-0.03428467,', '"data":[-0.0,'),
	('extreme floats', '"data":[-0.03428467,0.016288973,-0.040163063,', '"data":[3.4028235e38,1e-45,-1.1754944e-38,'),
	('whitespace and key order', '{"format":"help_predictor","version":1,', E'{ "version" : 1 ,\n "format" : "help_predictor" ,')
) v(label, old, new);
INSERT INTO mutants
SELECT 'largest seed', regexp_replace(predictor::text, '"seed":2', '"seed":9223372036854775807')::help_predictor
FROM help_predictors WHERE name = 'adapted';
-- each reads back from its own text form byte for byte
SELECT label, help_predictor_send(p::text::help_predictor) = help_predictor_send(p) AS text_round_trip
FROM mutants ORDER BY label COLLATE "C";

-- pg_dump and pg_restore into another database
CREATE TABLE fingerprints AS
SELECT 'stored ' || name AS label, md5(help_predictor_send(predictor)) AS md5 FROM help_predictors
UNION ALL SELECT 'user ' || label, md5(help_predictor_send(p)) FROM mutants
UNION ALL SELECT 'user my_adapted', md5(help_predictor_send(p)) FROM my_adapted;
\! pg_dump -Fc -d help_upgrade -f test/results/help_upgrade.dump && createdb help_upgrade_restored && pg_restore -d help_upgrade_restored test/results/help_upgrade.dump && echo "restored"
\c help_upgrade_restored
SELECT extversion FROM pg_extension WHERE extname = 'help';
SELECT f.label, f.md5 = coalesce(s.md5, u.md5, a.md5) AS restored_byte_for_byte
FROM fingerprints f
LEFT JOIN (SELECT 'stored ' || name AS label, md5(help_predictor_send(predictor)) AS md5 FROM help_predictors) s USING (label)
LEFT JOIN (SELECT 'user ' || label AS label, md5(help_predictor_send(p)) AS md5 FROM mutants) u USING (label)
LEFT JOIN (SELECT 'user my_adapted' AS label, md5(help_predictor_send(p)) AS md5 FROM my_adapted) a USING (label)
ORDER BY f.label COLLATE "C";

\c :regress_db
DROP DATABASE help_upgrade_restored;
DROP DATABASE help_upgrade;
DROP DATABASE help_upgrade_fresh;
