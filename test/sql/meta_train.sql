-- pg_regress: help_meta_train on the NAS-Bench-201 data: a short run
-- beats the untrained predictor, the result does not depend on row order,
-- and a statement_timeout stops a long run promptly.
\set VERBOSITY terse
SET client_min_messages = warning;

CREATE TABLE mt_lat (device text, arch_idx int, latency_ms float8);
\copy mt_lat FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/latency.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE mt_cells (arch_idx int, arch_str text);
\copy mt_cells FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/architectures.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE mt_ref (position int, arch_idx int);
\copy mt_ref FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/reference_archs.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE mt_split (split text, device text);
\copy mt_split FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/splits.csv"' WITH (FORMAT csv, HEADER)

-- the meta-train devices and one validation device, on the meta-train and
-- query pools (arch_idx < 1900) and the reference architectures
CREATE TABLE mt_rows AS
SELECT l.device, l.arch_idx, help_encode('nasbench201', c.arch_str) AS enc, l.latency_ms
FROM mt_lat l JOIN mt_cells c USING (arch_idx) JOIN mt_split s USING (device)
WHERE (s.split = 'meta_train' OR l.device = 'titanx_32')
  AND (l.arch_idx < 1900 OR l.arch_idx IN (SELECT arch_idx FROM mt_ref));
SELECT count(DISTINCT device) AS devices, count(*) > 10000 AS enough_rows FROM mt_rows;

CREATE FUNCTION mt_options(episodes int, extra jsonb DEFAULT '{}') RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('space', 'nasbench201',
	                          'reference_archs', (SELECT jsonb_agg(arch_idx ORDER BY position) FROM mt_ref),
	                          'valid_devices', '["titanx_32"]'::jsonb,
	                          'episodes', episodes, 'validate_every', 30, 'seed', 7) || extra
$$;

-- section 7 on titanx_32 for any predictor: support 10 of the trimmed
-- meta-train pool, Spearman on the trimmed query pool
CREATE TABLE mt_trimmed AS
SELECT arch_idx, latency_ms, pool FROM (
    SELECT arch_idx, latency_ms, pool,
           row_number() OVER (PARTITION BY pool ORDER BY latency_ms, arch_idx) - 1 AS rn,
           count(*) OVER (PARTITION BY pool) AS n
    FROM (SELECT arch_idx, latency_ms, CASE WHEN arch_idx < 900 THEN 'train' ELSE 'query' END AS pool
          FROM mt_lat WHERE device = 'titanx_32' AND arch_idx < 1900) s) t
WHERE rn >= floor(0.1 * n) AND rn < floor(0.9 * n);
-- (method help: what is measured is the meta-trained network itself)
CREATE FUNCTION mt_spearman(p help_predictor) RETURNS float8 LANGUAGE sql AS $$
	WITH adapted AS (
		SELECT help_adapt(p, (SELECT help_embed_device(r.position, l.latency_ms)
		                      FROM mt_ref r JOIN mt_lat l USING (arch_idx) WHERE l.device = 'titanx_32'),
		                  help_encode('nasbench201', c.arch_str), t.latency_ms, '{"seed": 1, "method": "help"}') AS a
		FROM (SELECT * FROM mt_trimmed WHERE pool = 'train' ORDER BY md5(arch_idx::text) LIMIT 10) t
		JOIN mt_cells c USING (arch_idx))
	SELECT help_spearman(ms, latency_ms)
	FROM (SELECT help_predict_batch((SELECT a FROM adapted), c.arch_str) OVER () AS ms, t.latency_ms
	      FROM mt_trimmed t JOIN mt_cells c USING (arch_idx) WHERE t.pool = 'query') s
$$;

-- 0 episodes: the initial weights; 60 episodes: clearly better
CREATE TABLE mt_untrained AS
SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(0)) AS p FROM mt_rows;
CREATE TABLE mt_trained AS
SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(60)) AS p FROM mt_rows;
SELECT (i #>> '{provenance,best_episode}')::int IN (30, 60) AS best_episode_validated,
       i #> '{provenance,episodes_done}' AS episodes_done,
       i #> '{provenance,train_devices}' AS train_devices,
       (i #>> '{provenance,valid_spearman,titanx_32}')::float8 > 0.4 AS valid_spearman_above_0_4
FROM mt_trained, help_predictor_info(p) i;
SELECT mt_spearman(t.p) > 0.4 AS trained_above_0_4,
       mt_spearman(t.p) > mt_spearman(u.p) + 0.3 AS trained_beats_untrained_by_0_3
FROM mt_trained t, mt_untrained u;

-- three meta-train devices (NASFLAT's splits have four or five): every
-- episode takes them all, since tasks_per_episode defaults to min(8,
-- devices); asking for more tasks than devices is an error
SELECT i #> '{provenance,episodes_done}' AS episodes_done,
       jsonb_array_length(i #> '{provenance,train_devices}') AS train_devices
FROM (SELECT help_predictor_info(help_meta_train(device, arch_idx, enc, latency_ms, mt_options(3, '{"validate_every": 3}'))) AS i
      FROM mt_rows WHERE device IN ('1080ti_1', 'pixel3', 'silver_4114', 'titanx_32')) s;
SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(3, '{"tasks_per_episode": 4}')) IS NULL
FROM mt_rows WHERE device IN ('1080ti_1', 'pixel3', 'silver_4114', 'titanx_32');

-- the same rows and seed in another order: the same predictor, bit for bit
SELECT help_predictor_send(a.p) = help_predictor_send(b.p) AS order_independent
FROM (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(4, '{"validate_every": 2}')) AS p
      FROM (SELECT * FROM mt_rows ORDER BY device, arch_idx) s) a,
     (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(4, '{"validate_every": 2}')) AS p
      FROM (SELECT * FROM mt_rows ORDER BY latency_ms DESC) s) b;
-- ... and on two threads (the same weights; the options in the provenance differ)
SELECT a.p::text::jsonb - 'provenance' = b.p::text::jsonb - 'provenance' AS threads_same_weights
FROM (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(4, '{"validate_every": 2}')) AS p
      FROM mt_rows) a,
     (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(4, '{"validate_every": 2, "threads": 2}')) AS p
      FROM mt_rows) b;

-- a statement_timeout stops a long run within about a second
CREATE FUNCTION mt_cancel() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
BEGIN
	PERFORM help_meta_train(device, arch_idx, enc, latency_ms, mt_options(1000000)) FROM mt_rows;
	RETURN 'not stopped';
EXCEPTION WHEN query_canceled THEN
	RETURN CASE WHEN clock_timestamp() - t0 < interval '3 seconds'
	            THEN 'canceled promptly' ELSE 'canceled late' END;
END $$;
SET statement_timeout = '1s';
SELECT mt_cancel();
RESET statement_timeout;

-- valid_supports: each validation device's Spearman is the mean over that
-- many disjoint support sets (the weights are the same; only the score
-- differs); the pool must hold them all
SELECT a.p::text::jsonb - 'provenance' = b.p::text::jsonb - 'provenance' AS same_weights,
       help_predictor_info(a.p) #>> '{provenance,valid_spearman,titanx_32}'
         <> help_predictor_info(b.p) #>> '{provenance,valid_spearman,titanx_32}' AS other_score,
       help_predictor_info(b.p) #> '{provenance,options,valid_supports}' AS valid_supports
FROM (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(1, '{"validate_every": 1, "inner_lr_init": 0.05}')) AS p FROM mt_rows) a,
     (SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(1, '{"validate_every": 1, "inner_lr_init": 0.05, "valid_supports": 3}')) AS p
      FROM mt_rows) b;
SELECT help_meta_train(device, arch_idx, enc, latency_ms, mt_options(0, '{"valid_supports": 80}')) IS NULL
FROM mt_rows;
