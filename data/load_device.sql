-- Load one's own device: a CSV of its measured latencies, header
-- arch_idx,latency_ms (arch_idx as in help_architectures of the space; the
-- 10 reference architectures for its hardware embedding, plus about 10
-- others to adapt from).  Running it again changes nothing; a file that
-- contradicts stored measurements is refused.
--
--   psql -v device=my_cpu -v space=nasbench201 -v csv=my_cpu.csv -f data/load_device.sql
\set ON_ERROR_STOP 1
SELECT :{?device} AND :{?space} AND :{?csv} AS load_args_ok \gset
\if :load_args_ok
\else
DO $$ BEGIN
	RAISE EXCEPTION 'data/load_device.sql needs psql variables device, space and csv'
		USING ERRCODE = 'invalid_parameter_value',
		      HINT = 'psql -v device=my_cpu -v space=nasbench201 -v csv=my_cpu.csv -f data/load_device.sql';
END $$;
\endif
\setenv HELP_LOAD_CSV :csv
\set load_quiet :QUIET
\set QUIET on
BEGIN;
SELECT set_config('help_load.device', :'device', true) IS NULL AS load_ignore \gset
CREATE TEMP TABLE help_load_device (arch_idx int, latency_ms float8) ON COMMIT DROP;
\copy help_load_device FROM PROGRAM 'cat "$HELP_LOAD_CSV"' WITH (FORMAT csv, HEADER MATCH)
WITH ins AS (INSERT INTO help_devices (device) VALUES (:'device') ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_devices FROM ins \gset
WITH ins AS (
	INSERT INTO help_measurements (device, space, arch_idx, latency_ms)
	SELECT :'device', :'space', arch_idx, latency_ms FROM help_load_device
	ON CONFLICT DO NOTHING RETURNING 1)
SELECT count(*) AS load_new_measurements FROM ins \gset
SELECT count(*) > 0 AS load_bad FROM help_load_device s
WHERE NOT EXISTS (SELECT 1 FROM help_measurements t WHERE t.device = :'device' AND t.space = :'space'
                  AND t.arch_idx = s.arch_idx AND t.latency_ms = s.latency_ms) \gset
\if :load_bad
DO $$ BEGIN
	RAISE EXCEPTION 'help: the file contradicts itself or the stored measurements of %; nothing loaded', current_setting('help_load.device')
		USING ERRCODE = 'unique_violation',
		      HINT = 'An architecture listed twice with different latencies, or measured differently before (DELETE FROM help_measurements WHERE device = ... to replace them).';
END $$;
\endif
COMMIT;
\set QUIET :load_quiet
\echo :device (:space): + :load_new_measurements measurements, + :load_new_devices devices
