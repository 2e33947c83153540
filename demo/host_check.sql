-- make demo DEVICE=host, after the NAS query: how right was the prediction
-- on this machine?  Measures (help_measure_host) and stores as the device's
-- measurements:
--   1. each budget's pick (demo/nas.sql's), which must meet its budget;
--   2. :candidates MetaD2A candidates (md5 order), predicted against measured;
--   3. :sample random NAS-Bench-201 cells (md5 order, none measured before),
--      with :sample_runs runs each: Spearman, median error, interval coverage.
-- psql variables: predictor, device, constraints, confidence (as
-- demo/nas.sql), runs (for 1 and 2), candidates, sample, sample_runs.
\set ON_ERROR_STOP 1
\set QUIET on
\if :{?confidence}
\else
\set confidence 0.9
\endif
SET client_min_messages = warning;

-- Measure cells (arch_idx) not measured yet, store them; returns the seconds taken.
CREATE OR REPLACE FUNCTION pg_temp.demo_measure(dev text, cells int[], runs int) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	INSERT INTO help_measurements (device, space, arch_idx, latency_ms)
	SELECT dev, 'nasbench201', a.arch_idx, help_measure_host(a.arch, 1, runs)
	FROM help_architectures a
	WHERE a.space = 'nasbench201' AND a.arch_idx = ANY (cells)
	  AND NOT EXISTS (SELECT 1 FROM help_measurements m
	                  WHERE m.device = dev AND m.space = 'nasbench201' AND m.arch_idx = a.arch_idx);
	RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;

-- 1. the picks
CREATE TEMP TABLE demo_picks AS
SELECT k.constraint_ms, n.*
FROM unnest(:'constraints'::float8[]) k(constraint_ms),
     help_nas(:'predictor', k.constraint_ms, 'cifar100', 'metad2a', :'confidence') n;
SELECT round(pg_temp.demo_measure(:'device', ARRAY(SELECT arch_idx FROM demo_picks), :runs)::numeric, 1) AS seconds \gset
\echo '== the picks, measured on this machine (help_measure_host,' :runs 'runs):' in :seconds s
SELECT p.constraint_ms, round(p.accuracy::numeric, 2) AS "accuracy %", round(p.latency_ms::numeric, 2) AS predicted_ms,
       '[' || round(p.lower_ms::numeric, 2) || ', ' || round(p.upper_ms::numeric, 2) || ']' AS "90% interval",
       round(m.latency_ms::numeric, 2) AS measured_ms,
       CASE WHEN m.latency_ms <= p.constraint_ms THEN 'yes' ELSE 'NO' END AS "meets budget",
       p.arch_idx
FROM demo_picks p JOIN help_measurements m ON m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = p.arch_idx
ORDER BY p.constraint_ms
\g (footer=off)

-- 2. a sample of the candidates
CREATE TEMP TABLE demo_cands AS
SELECT c.arch_idx, c.accuracy FROM help_accuracy c
WHERE c.space = 'nasbench201' AND c.dataset = 'cifar100' AND c.source = 'metad2a'
  AND NOT EXISTS (SELECT 1 FROM help_measurements m WHERE m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = c.arch_idx)
ORDER BY md5(c.arch_idx::text) LIMIT :candidates;
SELECT round(pg_temp.demo_measure(:'device', ARRAY(SELECT arch_idx FROM demo_cands), :runs)::numeric, 1) AS seconds \gset
\echo '== a sample of' :candidates 'other candidates, measured in' :seconds 's:'
CREATE TEMP TABLE demo_cand_scores AS
SELECT c.arch_idx, c.accuracy, s.latency_ms, s.lower_ms, s.upper_ms, m.latency_ms AS measured_ms
FROM demo_cands c
JOIN help_score(:'predictor', ARRAY(SELECT arch_idx FROM demo_cands)) s USING (arch_idx)
JOIN help_measurements m ON m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = c.arch_idx;
SELECT arch_idx, round(accuracy::numeric, 2) AS "accuracy %", round(latency_ms::numeric, 2) AS predicted_ms,
       '[' || round(lower_ms::numeric, 2) || ', ' || round(upper_ms::numeric, 2) || ']' AS "90% interval",
       round(measured_ms::numeric, 2) AS measured_ms,
       round((100 * (latency_ms - measured_ms) / measured_ms)::numeric, 1) AS "error %"
FROM demo_cand_scores ORDER BY latency_ms
\g (footer=off)
SELECT format('   Spearman %s, median error %s %%, %s of %s inside their 90%% interval',
              round(help_spearman(latency_ms, measured_ms)::numeric, 3),
              round((100 * percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(latency_ms - measured_ms) / measured_ms))::numeric, 1),
              count(*) FILTER (WHERE measured_ms BETWEEN lower_ms AND upper_ms), count(*))
FROM demo_cand_scores \g (format=unaligned tuples_only)

-- 3. random cells
CREATE TEMP TABLE demo_sample AS
SELECT a.arch_idx FROM help_architectures a
WHERE a.space = 'nasbench201'
  AND NOT EXISTS (SELECT 1 FROM help_measurements m WHERE m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = a.arch_idx)
ORDER BY md5('demo:' || a.arch_idx) LIMIT :sample;
SELECT round(pg_temp.demo_measure(:'device', ARRAY(SELECT arch_idx FROM demo_sample), :sample_runs)::numeric, 1) AS seconds \gset
SELECT format('== %s random cells, measured in %s s (%s runs each): Spearman %s, median error %s %%, %s %% inside their 90%% interval',
              count(*), :'seconds', :sample_runs,
              round(help_spearman(s.latency_ms, m.latency_ms)::numeric, 3),
              round((100 * percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(s.latency_ms - m.latency_ms) / m.latency_ms))::numeric, 1),
              round(100 * avg((m.latency_ms BETWEEN s.lower_ms AND s.upper_ms)::int), 1))
FROM help_score(:'predictor', ARRAY(SELECT arch_idx FROM demo_sample)) s
JOIN help_measurements m ON m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx
\g (format=unaligned tuples_only)
RESET client_min_messages;
