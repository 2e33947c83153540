-- Measure the machine the database runs on as a NAS-Bench-201 device
-- (help_measure_host), store it, and adapt a predictor to it:
--   1. measure the space's 10 reference cells (the hardware embedding);
--   2. adapt the base predictor to them alone;
--   3. ask that predictor which n cells to measure next
--      (help_suggest_measurements), and measure them;
--   4. adapt the base predictor again, on every measurement of the device.
-- The measurements go to help_measurements as the device `device`, whose
-- description says what was measured: CPU, OpenBLAS kernel, batch, runs and
-- date.  Running it again measures anew (the reference cells, and n more
-- suggested cells) and adapts on everything measured so far.
--
--   psql [-v device=host] [-v n=10] [-v batch=1] [-v runs=20]
--        [-v base=nasbench201/published] [-v predictor=nasbench201/DEVICE]
--        -f data/measure_host.sql
--
-- Needs the NAS-Bench-201 space and its published predictor loaded
-- (psql -v spaces=nasbench201 -f data/load.sql) and a role that may add
-- devices and measurements and store predictors.  About 1 s per cell on a
-- busy 2-core machine (help_measure_host's runs, spread out in time).
\set ON_ERROR_STOP 1
\ir load_common.sql
\if :{?device}
\else
\set device host
\endif
\if :{?n}
\else
\set n 10
\endif
\if :{?batch}
\else
\set batch 1
\endif
\if :{?runs}
\else
\set runs 20
\endif
\if :{?base}
\else
\set base nasbench201/published
\endif
\if :{?predictor}
\else
\set predictor nasbench201/:device
\endif

SELECT count(pg_temp.help_load_fail('23514', format('help: device name "%s" is not letters, digits, "_", "." and "-"', :'device'),
                                    'Name it like the dataset''s devices, e.g. host or my_server_1 (batch size after the last underscore).')) AS load_ignore
WHERE :'device' !~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$' \gset
SELECT count(pg_temp.help_load_fail('22023', format('help: n must be a number of cells between 0 and 1000, not "%s"', :'n'),
                                    'n is how many cells to measure beyond the 10 reference ones (10 is enough to adapt from).')) AS load_ignore
WHERE :'n' !~ '^([0-9]{1,3}|1000)$' \gset
SELECT count(pg_temp.help_load_fail('22023', format('help: batch must be 1 to 64 images and runs 1 to 1000 passes, not "%s" and "%s"', :'batch', :'runs'),
                                    'The defaults are batch 1 and 20 runs.')) AS load_ignore
WHERE :'batch' !~ '^([1-9]|[1-5][0-9]|6[0-4])$' OR :'runs' !~ '^([1-9][0-9]{0,2}|1000)$' \gset
SELECT count(pg_temp.help_load_fail('42501', format('help: role %s may not add devices and measurements and store predictors', current_user),
                                    format('The owner of the help_ tables can allow it: GRANT INSERT, UPDATE ON help_devices, help_measurements TO %I; GRANT INSERT, UPDATE, DELETE ON help_predictors TO %I;', current_user, current_user))) AS load_ignore
WHERE NOT (has_table_privilege('help_devices', 'INSERT, UPDATE') AND has_table_privilege('help_measurements', 'INSERT, UPDATE')
           AND has_table_privilege('help_predictors', 'INSERT, DELETE')) \gset
SELECT count(pg_temp.help_load_fail('55000', 'help: the NAS-Bench-201 space is not loaded (its architectures and 10 reference architectures)',
                                    'Load it first: psql -v spaces=nasbench201 -f data/load.sql')) AS load_ignore
WHERE (SELECT count(*) FROM help_reference_archs WHERE space = 'nasbench201') <> 10 \gset
SELECT count(pg_temp.help_load_fail('42704', format('help: no stored predictor named "%s" to adapt', :'base'),
                                    'data/load.sql stores nasbench201/published; or name another with -v base=...')) AS load_ignore
WHERE NOT EXISTS (SELECT 1 FROM help_predictors WHERE name = :'base' AND space = 'nasbench201' AND device IS NULL) \gset

-- A device measured by something else (a dataset device, one's own CSV) is
-- not overwritten with this machine's latencies: its description would lie.
SELECT count(pg_temp.help_load_fail('42710', format('help: device "%s" exists and was not measured by help_measure_host', :'device'),
                                    'Name this machine another way: psql -v device=... -f data/measure_host.sql',
                                    format('Its description: %s.', coalesce(description, '(none)')))) AS load_ignore
FROM help_devices
WHERE device = :'device' AND (description IS NULL OR description NOT LIKE 'this machine, measured by help_measure_host%') \gset

-- Measure the cells and store them, one step: how many, how long, their
-- range, how many found all their runs quiet.
SET client_min_messages = warning;
DROP TABLE IF EXISTS pg_temp.host_step;
CREATE TEMP TABLE host_step (step text, cells int, seconds float8, lo float8, hi float8, quiet bigint);
CREATE OR REPLACE FUNCTION pg_temp.help_host_measure(step text, dev text, cells int[], batch int, runs int)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	-- LATERAL: (f()).* would call the measuring function once per column
	WITH m AS (
		SELECT a.arch_idx, d.latency_ms, d.quiet
		FROM unnest(cells) c(arch_idx)
		JOIN help_architectures a ON a.space = 'nasbench201' AND a.arch_idx = c.arch_idx
		CROSS JOIN LATERAL help_measure_host_detail(a.arch, batch, runs) d),
	stored AS (
		INSERT INTO help_measurements AS h (device, space, arch_idx, latency_ms)
		SELECT dev, 'nasbench201', arch_idx, latency_ms FROM m
		ON CONFLICT (device, space, arch_idx) DO UPDATE SET latency_ms = EXCLUDED.latency_ms
		RETURNING h.latency_ms)
	INSERT INTO host_step
	SELECT step, count(*), extract(epoch FROM clock_timestamp() - t0), min(latency_ms), max(latency_ms),
	       (SELECT count(*) FROM m WHERE quiet)
	FROM stored;
END $$;

BEGIN;
-- the description: what was measured, how and when (help_host_cpu reads the
-- server's /proc/cpuinfo: the psql client may run elsewhere)
SELECT help_host_cpu() AS host_cpu \gset
INSERT INTO help_devices (device, description)
VALUES (:'device', format('this machine, measured by help_measure_host: %s; OpenBLAS %s, one thread; batch %s, median of %s quiet runs; %s',
                          :'host_cpu', current_setting('help.blas_kernel'), :batch, :runs,
                          to_char(now(), 'YYYY-MM-DD HH24:MI TZ')))
ON CONFLICT (device) DO UPDATE SET description = EXCLUDED.description;

-- 1. the reference cells
SELECT pg_temp.help_host_measure('reference', :'device',
                                 ARRAY(SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201'),
                                 :batch, :runs) AS load_ignore \gset
-- 2. adapted on them alone, 3. asked which cells to measure next, measured
SELECT :n > 0 AS host_suggest \gset
\if :host_suggest
SELECT stored_as AS load_ignore
FROM help_adapt_device(:'base', :'device', :'predictor',
                       ARRAY(SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201')) \gset
SELECT pg_temp.help_host_measure('suggested', :'device',
                                 ARRAY(SELECT arch_idx FROM help_suggest_measurements('nasbench201', :n, :'predictor')),
                                 :batch, :runs) AS load_ignore \gset
\endif
-- 4. adapted on everything measured (help_adapt_device's default support)
SELECT stored_as, support_rows FROM help_adapt_device(:'base', :'device', :'predictor') \gset
COMMIT;

SELECT format('%s: %s', device, description) FROM help_devices WHERE device = :'device' \g (format=unaligned tuples_only)
SELECT format('  %s cells: %s measured in %s s, %s to %s ms (%s of them with %s quiet runs)',
              step, cells, round(seconds::numeric, 1), round(lo::numeric, 2), round(hi::numeric, 2), quiet, :runs)
FROM host_step ORDER BY step = 'suggested' \g (format=unaligned tuples_only)
SELECT format('  adapted %s to it on its %s measurements: stored as %s', :'base', :'support_rows', :'stored_as') \g (format=unaligned tuples_only)
DROP TABLE host_step;
RESET client_min_messages;
\set SHOW_CONTEXT :load_user_context
\set QUIET :load_user_quiet
