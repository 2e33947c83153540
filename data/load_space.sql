-- Load one search space folder of a data folder (included by load.sql; psql
-- variables space, spaces, and HELP_LOAD_DIR in the environment).
--
-- The CSVs are read as they are with \copy into temporary staging tables
-- (HEADER MATCH: a file with other columns is refused), then inserted with
-- ON CONFLICT DO NOTHING, so a second run adds nothing; afterwards every
-- staged row must be in the tables exactly as in the files, or the
-- transaction is rolled back (a folder contradicting stored rows).
\setenv HELP_LOAD_SPACE :space
\setenv HELP_LOAD_SPACES :spaces
\set load_present `test -d "$HELP_LOAD_DIR/$HELP_LOAD_SPACE" && echo " $HELP_LOAD_SPACES " | grep -q " $HELP_LOAD_SPACE " && echo true || echo false`
\if :load_present
\set load_has_splits `test -f "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/splits.csv" && echo true || echo false`
\set load_has_candidates `test -f "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/metad2a_candidates.csv" && echo true || echo false`
\set load_has_checkpoint `test -f "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/help_checkpoint.json" && echo true || echo false`
\set load_quiet :QUIET
\set QUIET on
BEGIN;
SELECT set_config('help_load.space', :'space', true) IS NULL AS load_ignore, :'space' = 'nasbench201' AS load_nb201,
       :'space' = 'fbnet' AS load_fbnet \gset

-- architectures, in the space's notation
CREATE TEMP TABLE help_load_archs (arch_idx int, arch text) ON COMMIT DROP;
\if :load_nb201
CREATE TEMP TABLE help_load_raw (arch_idx int, arch_str text) ON COMMIT DROP;
\copy help_load_raw FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/architectures.csv"' WITH (FORMAT csv, HEADER MATCH)
INSERT INTO help_load_archs SELECT arch_idx, arch_str FROM help_load_raw;
\elif :load_fbnet
CREATE TEMP TABLE help_load_raw (arch_idx int, op_idx text, op_names text) ON COMMIT DROP;
\copy help_load_raw FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/architectures.csv"' WITH (FORMAT csv, HEADER MATCH)
INSERT INTO help_load_archs SELECT arch_idx, op_idx FROM help_load_raw;
\else
CREATE TEMP TABLE help_load_raw (arch_idx int, ks int[], e int[], d int[], r int) ON COMMIT DROP;
\copy help_load_raw FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/architectures.csv"' WITH (FORMAT csv, HEADER MATCH)
INSERT INTO help_load_archs
SELECT arch_idx, format('{"ks":%s,"e":%s,"d":%s,"r":%s}', array_to_json(ks), array_to_json(e), array_to_json(d), r)
FROM help_load_raw;
\endif

CREATE TEMP TABLE help_load_latency (device text, arch_idx int, latency_ms float8) ON COMMIT DROP;
\copy help_load_latency FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/latency.csv"' WITH (FORMAT csv, HEADER MATCH)
CREATE TEMP TABLE help_load_reference ("position" int, arch_idx int) ON COMMIT DROP;
\copy help_load_reference FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/reference_archs.csv"' WITH (FORMAT csv, HEADER MATCH)
CREATE TEMP TABLE help_load_splits (split text, device text) ON COMMIT DROP;
\if :load_has_splits
\copy help_load_splits FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/splits.csv"' WITH (FORMAT csv, HEADER MATCH)
\endif
CREATE TEMP TABLE help_load_candidates (rank int, arch_str text, accuracy float8, metad2a_score float8) ON COMMIT DROP;
\if :load_has_candidates
\copy help_load_candidates FROM PROGRAM 'cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/metad2a_candidates.csv"' WITH (FORMAT csv, HEADER MATCH)
\endif

-- devices: those measured and those named in the split (held-back devices
-- are named there without measurements)
WITH ins AS (
	INSERT INTO help_devices (device)
	SELECT device FROM help_load_latency UNION SELECT device FROM help_load_splits
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_devices FROM ins \gset
WITH ins AS (
	INSERT INTO help_device_splits (space, device, split)
	SELECT DISTINCT :'space', device, split FROM help_load_splits
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_splits FROM ins \gset
-- the encoding is a generated column: help_encode(space, arch)
WITH ins AS (
	INSERT INTO help_architectures (space, arch_idx, arch)
	SELECT DISTINCT :'space', arch_idx, arch FROM help_load_archs
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_archs FROM ins \gset
WITH ins AS (
	INSERT INTO help_reference_archs (space, position, arch_idx)
	SELECT DISTINCT :'space', position, arch_idx FROM help_load_reference
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_reference FROM ins \gset
-- Checking the two foreign keys of help_measurements row by row costs three
-- times the insert itself, so for the bulk insert they are dropped and then
-- added back as they were, which checks every row in one query (all inside
-- this transaction: a row with an unknown device or architecture fails it).
SELECT string_agg(format('DROP CONSTRAINT %I', conname), ', ' ORDER BY conname) AS load_fk_drop,
       string_agg(format('ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)), ', ' ORDER BY conname) AS load_fk_add
FROM pg_constraint WHERE conrelid = 'help_measurements'::regclass AND contype = 'f' \gset
ALTER TABLE help_measurements :load_fk_drop;
WITH ins AS (
	INSERT INTO help_measurements (device, space, arch_idx, latency_ms)
	SELECT device, :'space', arch_idx, latency_ms FROM help_load_latency
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_measurements FROM ins \gset
ALTER TABLE help_measurements :load_fk_add;
-- MetaD2A candidates: matched to arch_idx by their cell string
WITH ins AS (
	INSERT INTO help_accuracy (space, arch_idx, dataset, source, accuracy, details)
	SELECT :'space', a.arch_idx, 'cifar100', 'metad2a', c.accuracy,
	       jsonb_build_object('rank', c.rank, 'metad2a_score', c.metad2a_score)
	FROM help_load_candidates c
	JOIN help_architectures a ON a.space = :'space' AND a.arch = c.arch_str
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_accuracy FROM ins \gset

-- the published checkpoint, stored as <space>/published (read and parsed
-- only when not stored yet; its md5 is checked either way)
\set load_new_predictors 0
\if :load_has_checkpoint
\set load_ckpt_md5 `md5sum < "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/help_checkpoint.json" | cut -c1-32`
SELECT NOT EXISTS (SELECT 1 FROM help_predictors WHERE name = :'space' || '/published') AS load_ckpt_new \gset
\if :load_ckpt_new
\set load_ckpt `cat "$HELP_LOAD_DIR/$HELP_LOAD_SPACE/help_checkpoint.json"`
WITH ins AS (
	INSERT INTO help_predictors (name, space, predictor, provenance)
	VALUES (:'space' || '/published', :'space', help_predictor_from_checkpoint(:'load_ckpt'::jsonb),
	        jsonb_build_object('source', 'help_checkpoint.json', 'space', :'space', 'md5', :'load_ckpt_md5'))
	RETURNING 1)
SELECT count(*) AS load_new_predictors FROM ins \gset
\unset load_ckpt
\endif
\else
\set load_ckpt_md5 ''
\endif

-- every row of the folder must now be stored exactly as in the files
SELECT
	(SELECT count(*) FROM help_load_archs s WHERE NOT EXISTS (SELECT 1 FROM help_architectures t
	     WHERE t.space = :'space' AND t.arch_idx = s.arch_idx AND t.arch = s.arch)) AS load_bad_archs,
	(SELECT count(*) FROM help_load_latency s WHERE NOT EXISTS (SELECT 1 FROM help_measurements t
	     WHERE t.device = s.device AND t.space = :'space' AND t.arch_idx = s.arch_idx AND t.latency_ms = s.latency_ms)) AS load_bad_measurements,
	(SELECT count(*) FROM help_load_reference s WHERE NOT EXISTS (SELECT 1 FROM help_reference_archs t
	     WHERE t.space = :'space' AND t.position = s.position AND t.arch_idx = s.arch_idx)) AS load_bad_reference,
	(SELECT count(*) FROM help_load_splits s WHERE NOT EXISTS (SELECT 1 FROM help_device_splits t
	     WHERE t.space = :'space' AND t.device = s.device AND t.split = s.split)) AS load_bad_splits,
	(SELECT count(*) FROM help_load_candidates s WHERE NOT EXISTS (SELECT 1 FROM help_accuracy t
	     JOIN help_architectures a USING (space, arch_idx)
	     WHERE t.space = :'space' AND t.dataset = 'cifar100' AND t.source = 'metad2a'
	       AND a.arch = s.arch_str AND t.accuracy = s.accuracy)) AS load_bad_candidates,
	(SELECT count(*) FROM help_predictors t WHERE :'load_ckpt_md5' <> '' AND t.name = :'space' || '/published'
	     AND t.provenance ->> 'md5' IS DISTINCT FROM :'load_ckpt_md5') AS load_bad_predictors
\gset
SELECT :load_bad_archs + :load_bad_measurements + :load_bad_reference + :load_bad_splits
       + :load_bad_candidates + :load_bad_predictors > 0 AS load_conflict \gset
\if :load_conflict
SELECT set_config('help_load.detail', format(
	'architectures %s, measurements %s, reference %s, splits %s, MetaD2A candidates %s, checkpoint %s',
	:load_bad_archs, :load_bad_measurements, :load_bad_reference, :load_bad_splits,
	:load_bad_candidates, :load_bad_predictors), true) IS NULL AS load_ignore \gset
DO $$ BEGIN
	RAISE EXCEPTION 'help: the % folder contradicts itself or the stored rows; nothing loaded', current_setting('help_load.space')
		USING ERRCODE = 'unique_violation',
		      DETAIL = 'Rows not stored as in the files: ' || current_setting('help_load.detail') || '.',
		      HINT = 'Duplicate keys with different values in a file, a MetaD2A cell not among the architectures, or data that differs from what was loaded before.';
END $$;
\endif
COMMIT;
\set QUIET :load_quiet
\echo :space: + :load_new_archs architectures, + :load_new_measurements measurements, + :load_new_devices devices, + :load_new_reference reference, + :load_new_splits splits, + :load_new_accuracy accuracies, + :load_new_predictors predictors
\endif
