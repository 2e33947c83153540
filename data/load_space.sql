-- Load one search space folder of a data folder (included by load.sql; psql
-- variables space, load_data, and HELP_LOAD_DIR, HELP_LOAD_SPACES in the
-- environment).
--
-- The files (gzip-compressed or not, see locate.sql) are read as they are
-- with \copy into temporary staging tables named after them, so that COPY's
-- own errors say "COPY latency.csv, line 7" (HEADER MATCH: a file with other
-- columns is refused), each row numbered with its line.  check_space.sql
-- then refuses the first bad row naming its file and line; the rows are
-- inserted with ON CONFLICT DO NOTHING, so a second run adds nothing; and
-- afterwards every staged row must be in the tables exactly as in the
-- files, or the transaction is rolled back (a folder contradicting stored
-- rows).
\setenv HELP_LOAD_SPACE :space
\set load_present `test -d "$HELP_LOAD_DIR/$HELP_LOAD_SPACE" && echo " $HELP_LOAD_SPACES " | grep -q " $HELP_LOAD_SPACE " && echo true || echo false`
\if :load_present
BEGIN;
SELECT :'space' = 'nasbench201' AS load_nb201, :'space' = 'fbnet' AS load_fbnet \gset
\set load_dir :load_data '/' :space
\set load_hint 'A search space folder holds architectures.csv, latency.csv and reference_archs.csv, and optionally splits.csv, metad2a_candidates.csv and help_checkpoint.json, each possibly gzip-compressed (name.csv.gz), as data/help does.'

-- architectures, in the space's notation
CREATE TEMP TABLE help_load_archs (arch_idx int, arch text, line bigint) ON COMMIT DROP;
\set load_path :load_dir '/architectures.csv'
\ir locate.sql
\if :load_nb201
CREATE TEMP TABLE "architectures.csv" (arch_idx int, arch_str text, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set SHOW_CONTEXT :load_copy_context
\copy "architectures.csv" (arch_idx, arch_str) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
INSERT INTO help_load_archs SELECT arch_idx, arch_str, line FROM "architectures.csv";
\elif :load_fbnet
CREATE TEMP TABLE "architectures.csv" (arch_idx int, op_idx text, op_names text, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set SHOW_CONTEXT :load_copy_context
\copy "architectures.csv" (arch_idx, op_idx, op_names) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
INSERT INTO help_load_archs SELECT arch_idx, op_idx, line FROM "architectures.csv";
\else
CREATE TEMP TABLE "architectures.csv" (arch_idx int, ks int[], e int[], d int[], r int, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set SHOW_CONTEXT :load_copy_context
\copy "architectures.csv" (arch_idx, ks, e, d, r) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
INSERT INTO help_load_archs
SELECT arch_idx, format('{"ks":%s,"e":%s,"d":%s,"r":%s}', array_to_json(ks), array_to_json(e), array_to_json(d), r), line
FROM "architectures.csv";
\endif

CREATE TEMP TABLE "latency.csv" (device text, arch_idx int, latency_ms float8, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set load_path :load_dir '/latency.csv'
\ir locate.sql
\set SHOW_CONTEXT :load_copy_context
\copy "latency.csv" (device, arch_idx, latency_ms) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
CREATE TEMP TABLE "reference_archs.csv" ("position" int, arch_idx int, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set load_path :load_dir '/reference_archs.csv'
\ir locate.sql
\set SHOW_CONTEXT :load_copy_context
\copy "reference_archs.csv" ("position", arch_idx) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
CREATE TEMP TABLE "splits.csv" (split text, device text, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set load_path :load_dir '/splits.csv'
\set load_optional true
\ir locate.sql
\if :load_found
\set SHOW_CONTEXT :load_copy_context
\copy "splits.csv" (split, device) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
\endif
CREATE TEMP TABLE "metad2a_candidates.csv" (rank int, arch_str text, accuracy float8, metad2a_score float8,
                                            line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\set load_path :load_dir '/metad2a_candidates.csv'
\set load_optional true
\ir locate.sql
\if :load_found
\set SHOW_CONTEXT :load_copy_context
\copy "metad2a_candidates.csv" (rank, arch_str, accuracy, metad2a_score) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER MATCH)
\set SHOW_CONTEXT never
\endif

\ir check_space.sql

-- devices: those measured and those named in the split (held-back devices
-- are named there without measurements)
WITH ins AS (
	INSERT INTO help_devices (device)
	SELECT device FROM "latency.csv" UNION SELECT device FROM "splits.csv"
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_devices FROM ins \gset
WITH ins AS (
	INSERT INTO help_device_splits (space, device, split)
	SELECT DISTINCT :'space', device, split FROM "splits.csv"
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
	SELECT DISTINCT :'space', position, arch_idx FROM "reference_archs.csv"
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
	SELECT device, :'space', arch_idx, latency_ms FROM "latency.csv"
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_measurements FROM ins \gset
ALTER TABLE help_measurements :load_fk_add;
-- MetaD2A candidates: matched to arch_idx by their cell string
WITH ins AS (
	INSERT INTO help_accuracy (space, arch_idx, dataset, source, accuracy, details)
	SELECT :'space', a.arch_idx, 'cifar100', 'metad2a', c.accuracy,
	       jsonb_build_object('rank', c.rank, 'metad2a_score', c.metad2a_score)
	FROM "metad2a_candidates.csv" c
	JOIN help_architectures a ON a.space = :'space' AND a.arch = c.arch_str
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_accuracy FROM ins \gset

-- the published checkpoint, stored as <space>/published (read and parsed
-- only when not stored yet; the md5 of its uncompressed text is checked
-- either way, so a compressed and an uncompressed copy are the same)
\set load_new_predictors 0
\set load_ckpt_md5 ''
\set load_path :load_dir '/help_checkpoint.json'
\set load_optional true
\ir locate.sql
\if :load_found
\set load_ckpt_md5 `gzip -dcf -- "$HELP_LOAD_FILE" | md5sum | cut -c1-32`
SELECT NOT EXISTS (SELECT 1 FROM help_predictors WHERE name = :'space' || '/published') AS load_ckpt_new \gset
\if :load_ckpt_new
\set load_ckpt `gzip -dcf -- "$HELP_LOAD_FILE"`
WITH ins AS (
	INSERT INTO help_predictors (name, space, predictor, provenance)
	VALUES (:'space' || '/published', :'space', help_predictor_from_checkpoint(:'load_ckpt'::jsonb),
	        jsonb_build_object('source', 'help_checkpoint.json', 'space', :'space', 'md5', :'load_ckpt_md5'))
	RETURNING 1)
SELECT count(*) AS load_new_predictors FROM ins \gset
\unset load_ckpt
\endif
\endif

-- Every row of the folder must now be stored exactly as in the files; the
-- first line of each file that is not is reported.
CREATE TEMP TABLE help_load_conflicts ON COMMIT DROP AS
SELECT 'architectures.csv' AS file, count(*) AS n, min(line) AS line FROM help_load_archs s
WHERE NOT EXISTS (SELECT 1 FROM help_architectures t WHERE t.space = :'space' AND t.arch_idx = s.arch_idx AND t.arch = s.arch)
UNION ALL
SELECT 'latency.csv', count(*), min(line) FROM "latency.csv" s
WHERE NOT EXISTS (SELECT 1 FROM help_measurements t
                  WHERE t.device = s.device AND t.space = :'space' AND t.arch_idx = s.arch_idx AND t.latency_ms = s.latency_ms)
UNION ALL
SELECT 'reference_archs.csv', count(*), min(line) FROM "reference_archs.csv" s
WHERE NOT EXISTS (SELECT 1 FROM help_reference_archs t WHERE t.space = :'space' AND t.position = s.position AND t.arch_idx = s.arch_idx)
UNION ALL
SELECT 'splits.csv', count(*), min(line) FROM "splits.csv" s
WHERE NOT EXISTS (SELECT 1 FROM help_device_splits t WHERE t.space = :'space' AND t.device = s.device AND t.split = s.split)
UNION ALL
SELECT 'metad2a_candidates.csv', count(*), min(line) FROM "metad2a_candidates.csv" s
WHERE NOT EXISTS (SELECT 1 FROM help_accuracy t JOIN help_architectures a USING (space, arch_idx)
                  WHERE t.space = :'space' AND t.dataset = 'cifar100' AND t.source = 'metad2a'
                    AND a.arch = s.arch_str AND t.accuracy = s.accuracy)
UNION ALL
SELECT 'help_checkpoint.json', count(*), NULL FROM help_predictors t
WHERE :'load_ckpt_md5' <> '' AND t.name = :'space' || '/published' AND t.provenance ->> 'md5' IS DISTINCT FROM :'load_ckpt_md5';
SELECT count(pg_temp.help_load_fail('23505', format('help: the %s folder contradicts itself or the stored rows; nothing loaded', :'space'),
	'A key listed twice with different values in a file, or data that differs from what was loaded before (DELETE the old rows to replace them).',
	detail)) AS load_ignore
FROM (SELECT 'Rows not stored as in the files: '
             || string_agg(format('%s%s (%s in all)', file, ' line ' || line, n), ', ' ORDER BY file) || '.'
      FROM help_load_conflicts WHERE n > 0) AS c(detail)
WHERE detail IS NOT NULL \gset
COMMIT;
\echo :space: + :load_new_archs architectures, + :load_new_measurements measurements, + :load_new_devices devices, + :load_new_reference reference, + :load_new_splits splits, + :load_new_accuracy accuracies, + :load_new_predictors predictors
\endif
