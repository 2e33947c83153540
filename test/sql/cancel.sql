-- pg_regress: cancellation latency.  A statement_timeout stops a long
-- adaptation, a long batched prediction, a long meta-training validation
-- and a long measurement of this machine within a second of the timeout
-- (the core checks for interrupts per draw, per inner step, per layer, per
-- chunk and per block of the measured network).
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;

\set cells_table cx_cells
\set cells_n 400
\i test/sql/include/synthetic_cells.sql
-- three devices whose latencies depend on the operations, with noise
CREATE TABLE cx_lat AS
SELECT d.device, c.arch_idx,
       d.scale * (1.0 + length(replace(c.arch, 'none', '')) / 20.0
                  + ('x' || substr(md5(d.device || c.arch_idx), 1, 6))::bit(24)::int / 16777216.0)::float8 AS latency_ms
FROM cx_cells c, (VALUES ('cx_a', 1.0), ('cx_b', 2.0), ('cx_v', 3.0)) d(device, scale);

-- ms past a 1 s statement_timeout at which the query in q was stopped
CREATE FUNCTION cx_overshoot(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE q;
	RETURN 'not stopped';
EXCEPTION WHEN query_canceled THEN
	RETURN CASE WHEN clock_timestamp() - t0 < interval '2 seconds'
	            THEN 'stopped within 1 s of the timeout'
	            ELSE format('stopped %s s after the timeout',
	                        round(extract(epoch FROM clock_timestamp() - t0)::numeric - 1, 1)) END;
END $$;

CREATE TABLE cx_base AS SELECT help_predictor_from_checkpoint(:'nb'::jsonb) AS p;
CREATE TABLE cx_hw AS
SELECT help_embed_device(ARRAY(SELECT latency_ms FROM cx_lat WHERE device = 'cx_v' AND arch_idx < 10
                               ORDER BY arch_idx)) AS hw;
CREATE TABLE cx_adapted AS
SELECT help_adapt(b.p, h.hw, c.enc, l.latency_ms, '{"mc_samples": 1000}') AS p
FROM cx_base b, cx_hw h, cx_lat l JOIN cx_cells c USING (arch_idx)
WHERE l.device = 'cx_v' AND l.arch_idx BETWEEN 10 AND 11;

SET statement_timeout = '1s';
-- adaptation: 100 support rows, 1,000 draws of 100 steps (minutes of work)
SELECT cx_overshoot($$
	SELECT help_adapt(b.p, h.hw, c.enc, l.latency_ms, '{"mc_samples": 1000, "steps": 100}')
	FROM cx_base b, cx_hw h, cx_lat l JOIN cx_cells c USING (arch_idx)
	WHERE l.device = 'cx_v' AND l.arch_idx < 100$$) AS adaptation;
-- batched prediction with 1,000 draws over repeated cells
SELECT cx_overshoot($$
	SELECT count(x) FROM (SELECT help_predict_batch(a.p, c.enc) OVER () AS x
	                      FROM cx_adapted a, cx_cells c, generate_series(1, 100)) s$$) AS batched_prediction;
-- meta-training: one short episode, then a validation of 5 support sets,
-- 1,000 draws and 100 inner steps each
SELECT cx_overshoot($$
	SELECT help_meta_train(l.device, l.arch_idx, c.enc, l.latency_ms,
	                       '{"space": "nasbench201", "reference_archs": [0,1,2,3,4,5,6,7,8,9],
	                         "valid_devices": ["cx_v"], "train_pool": 200, "query_pool": 200,
	                         "episodes": 1, "tasks_per_episode": 1, "support": 10, "query": 10,
	                         "inner_steps": 100, "mc_samples": 1000, "valid_supports": 5,
	                         "second_order": false, "validate_every": 1}')
	FROM cx_lat l JOIN cx_cells c USING (arch_idx)$$) AS validation;
-- measuring this machine: 1,000 quiet passes over 64 images (an hour)
SELECT cx_overshoot($$
	SELECT help_measure_host('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|', 64, 1000)$$) AS measurement;
RESET statement_timeout;
