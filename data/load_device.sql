-- Load one's own device: a CSV of its measured latencies (gzip-compressed
-- or not), with the header
--   arch_idx,latency_ms   (arch_idx as in help_architectures of the space), or
--   arch,latency_ms       (the architecture in the space's native notation,
--                          as help_encode takes it: a NAS-Bench-201 cell
--                          string, FBNet op indices or names, OFA JSON)
-- The 10 reference architectures give its hardware embedding; about 10
-- others are enough to adapt from.  Running it again changes nothing; a file
-- that contradicts stored measurements is refused, and a bad row is
-- reported with its line.
--
--   psql -v device=my_cpu -v space=nasbench201 -v csv=my_cpu.csv -f data/load_device.sql
\set ON_ERROR_STOP 1
\ir load_common.sql
SELECT count(pg_temp.help_load_fail('22023', 'help: data/load_device.sql needs psql variables device, space and csv',
                                    'psql -v device=my_cpu -v space=nasbench201 -v csv=my_cpu.csv -f data/load_device.sql')) AS load_ignore
WHERE NOT (:{?device} AND :{?space} AND :{?csv}) \gset
SELECT count(pg_temp.help_load_fail('22023', format('help: unknown search space "%s"', :'space'), 'Search spaces are nasbench201, fbnet and ofa.')) AS load_ignore
WHERE :'space' NOT IN ('nasbench201', 'fbnet', 'ofa') \gset
SELECT count(pg_temp.help_load_fail('23514', format('help: device name "%s" is not letters, digits, "_", "." and "-"', :'device'),
                                    'Name it like the dataset''s devices, e.g. my_cpu or jetson_nano_1 (batch size after the last underscore).')) AS load_ignore
WHERE :'device' !~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$' \gset
SELECT count(pg_temp.help_load_fail('42501', format('help: role %s may not add devices and measurements', current_user),
                                    format('The owner of the help_ tables can allow it: GRANT INSERT ON help_devices, help_measurements TO %I;', current_user))) AS load_ignore
WHERE NOT (has_table_privilege('help_devices', 'INSERT') AND has_table_privilege('help_measurements', 'INSERT')) \gset
\set load_path :csv
\set load_hint 'The csv variable names the file, relative to where psql runs (it may be gzip-compressed: name.csv.gz).'
\ir locate.sql

-- Which key the file gives, from its header (CSV-quoted names allowed).
\set load_header `gzip -dcf -- "$HELP_LOAD_FILE" | head -n 1 | tr -d '\r"' | tr -d ' '`
SELECT :'load_header' = 'arch,latency_ms' AS load_by_arch \gset
SELECT count(pg_temp.help_load_fail('22P04', format('help: %s: header "%s" is neither arch_idx,latency_ms nor arch,latency_ms', :'load_file', :'load_header'),
                                    'The first line names the columns: arch_idx,latency_ms (index in help_architectures) or arch,latency_ms (native notation).')) AS load_ignore
WHERE :'load_header' NOT IN ('arch_idx,latency_ms', 'arch,latency_ms') \gset

BEGIN;
-- staged as read, each row numbered with its line (see load_space.sql)
CREATE TEMP TABLE "device CSV" (arch_idx int, arch text, latency_ms float8, line bigint GENERATED ALWAYS AS IDENTITY (START 2)) ON COMMIT DROP;
\if :load_by_arch
\set SHOW_CONTEXT :load_copy_context
\copy "device CSV" (arch, latency_ms) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER)
\set SHOW_CONTEXT never
-- An architecture in native notation is matched by its encoding, so that any
-- notation help_encode accepts finds it (FBNet op names or indices, OFA JSON
-- with keys in any order).  Where encodings coincide (OFA blocks beyond a
-- stage's depth are not encoded), the same text, then the lowest arch_idx.
SELECT pg_temp.help_load_check_encodings(:'space', '"device CSV"', :'load_file') AS load_ignore \gset
UPDATE "device CSV" s SET arch_idx = m.arch_idx
FROM (SELECT DISTINCT ON (d.line) d.line, a.arch_idx
      FROM "device CSV" d
      JOIN help_architectures a ON a.space = :'space' AND a.encoding = help_encode(:'space', d.arch)
      ORDER BY d.line, a.arch = d.arch DESC, a.arch_idx) m
WHERE m.line = s.line;
\else
\set SHOW_CONTEXT :load_copy_context
\copy "device CSV" (arch_idx, latency_ms) FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"' WITH (FORMAT csv, HEADER)
\set SHOW_CONTEXT never
\endif
SELECT count(pg_temp.help_load_fail(left(problem, 5), format('help: %s line %s: %s', :'load_file', line, substr(problem, 7)),
                                    CASE WHEN left(problem, 5) = '23503'
                                         THEN format('The architectures of space %s are in help_architectures (data/load.sql loads them); add one with INSERT INTO help_architectures (space, arch_idx, arch).', :'space')
                                         ELSE 'Correct or remove that line of the file.' END)) AS load_ignore
FROM (
	SELECT * FROM (
		SELECT s.line,
		       CASE WHEN :'load_by_arch'::boolean AND s.arch IS NULL THEN '23502 arch is empty'
		            WHEN :'load_by_arch'::boolean AND s.arch_idx IS NULL
		                 THEN format('23503 architecture %s is not in help_architectures (space %s)', s.arch, :'space')
		            WHEN s.arch_idx IS NULL THEN '23502 arch_idx is empty'
		            WHEN s.latency_ms IS NULL THEN '23502 latency_ms is empty'
		            WHEN NOT (s.latency_ms > 0 AND s.latency_ms < 'infinity')
		                 THEN format('23514 latency_ms %s is not a positive, finite number of milliseconds', s.latency_ms)
		            WHEN a.arch_idx IS NULL
		                 THEN format('23503 architecture %s is not in help_architectures (space %s)', s.arch_idx, :'space') END AS problem
		FROM "device CSV" s LEFT JOIN help_architectures a ON a.space = :'space' AND a.arch_idx = s.arch_idx
	) rows
	WHERE problem IS NOT NULL
	ORDER BY line
	LIMIT 1
) first_bad \gset

WITH ins AS (INSERT INTO help_devices (device) VALUES (:'device') ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_devices FROM ins \gset
WITH ins AS (
	INSERT INTO help_measurements (device, space, arch_idx, latency_ms)
	SELECT :'device', :'space', arch_idx, latency_ms FROM "device CSV"
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_measurements FROM ins \gset
SELECT count(pg_temp.help_load_fail('23505', format('help: %s line %s differs from another line of the file or from the stored measurement of %s; nothing loaded', :'load_file', line, :'device'),
                                    'An architecture listed twice with different latencies, or measured differently before (DELETE FROM help_measurements WHERE device = ... to replace them).',
                                    format('Rows that differ: %s.', n))) AS load_ignore
FROM (SELECT min(line) AS line, count(*) AS n FROM "device CSV" s
      WHERE NOT EXISTS (SELECT 1 FROM help_measurements t WHERE t.device = :'device' AND t.space = :'space'
                        AND t.arch_idx = s.arch_idx AND t.latency_ms = s.latency_ms)) c
WHERE n > 0 \gset
COMMIT;
\set QUIET :load_user_quiet
\set SHOW_CONTEXT :load_user_context
\echo :device (:space): + :load_new_measurements measurements, + :load_new_devices devices
