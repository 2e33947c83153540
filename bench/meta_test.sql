-- The docs/method.md section 7 protocol on one device and seed: support =
-- 10 random architectures of the trimmed meta-train pool, query = the
-- trimmed query pool.  Needs bench/load.sql's tables and a predictor (the
-- argument, or else the one in bench_predictor).  Returns Spearman and the
-- time to adapt and predict.
CREATE FUNCTION bench_eval(dev text, seed int, train_pool int, query_pool int,
                           pool_range bool DEFAULT true, predictor help_predictor DEFAULT NULL)
RETURNS TABLE (spearman float8, ms float8, mape float8, within10 float8, coverage90 float8, width90 float8)
LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    adapted help_predictor;
    hw real[];
    range jsonb;
BEGIN
    SELECT help_embed_device(r.position, l.latency_ms) INTO hw
    FROM bench_reference r JOIN bench_latency l USING (arch_idx) WHERE l.device = dev;

    CREATE TEMP TABLE IF NOT EXISTS pool_t (arch_idx int, latency_ms float8, pool text);
    TRUNCATE pool_t;
    INSERT INTO pool_t
    SELECT arch_idx, latency_ms, pool FROM (
        SELECT arch_idx, latency_ms, pool,
               row_number() OVER (PARTITION BY pool ORDER BY latency_ms, arch_idx) - 1 AS rn,
               count(*) OVER (PARTITION BY pool) AS n
        FROM (SELECT arch_idx, latency_ms,
                     CASE WHEN arch_idx < train_pool THEN 'train' ELSE 'query' END AS pool
              FROM bench_latency
              WHERE device = dev AND arch_idx < train_pool + query_pool) s) t
    WHERE rn >= floor(0.1 * n) AND rn < floor(0.9 * n);

    -- section 1: normalize by the device's trimmed meta-train pool
    -- (otherwise help_adapt calibrates the support set itself)
    SELECT CASE WHEN pool_range THEN jsonb_build_array(min(latency_ms), max(latency_ms)) END
    INTO range FROM pool_t WHERE pool = 'train';

    t0 := clock_timestamp();
    SELECT help_adapt(coalesce(predictor, (SELECT p FROM bench_predictor)), hw, a.enc, s.latency_ms,
                      jsonb_strip_nulls(jsonb_build_object('seed', seed, 'latency_range', range))
                      || coalesce(nullif(current_setting('bench.adapt_options', true), ''), '{}')::jsonb) INTO adapted
    FROM (SELECT * FROM pool_t WHERE pool = 'train'
          ORDER BY md5(seed || ':' || arch_idx) LIMIT 10) s
    JOIN bench_arch a USING (arch_idx);
    SELECT help_spearman((i).latency_ms, latency_ms) INTO spearman
    FROM (SELECT help_predict_batch_interval(adapted, a.enc, 0.9) OVER () AS i, q.latency_ms
          FROM pool_t q JOIN bench_arch a USING (arch_idx) WHERE q.pool = 'query') s;
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    -- the absolute errors and the interval, from the same (cached) predictor
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs((i).latency_ms - latency_ms) / latency_ms) * 100,
           avg((abs((i).latency_ms - latency_ms) <= 0.1 * latency_ms)::int) * 100,
           avg((latency_ms BETWEEN (i).lower_ms AND (i).upper_ms)::int),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ((i).upper_ms - (i).lower_ms) / (i).latency_ms) * 100
    INTO mape, within10, coverage90, width90
    FROM (SELECT help_predict_batch_interval(adapted, a.enc, 0.9) OVER () AS i, q.latency_ms
          FROM pool_t q JOIN bench_arch a USING (arch_idx) WHERE q.pool = 'query') s;
    RETURN NEXT;
END $$;

-- Scoring a whole space: adapt to dev (seed 1), then time one query that
-- predicts every architecture, with the batched window function and with
-- the per-row function.  Returns the median of reps runs of each, in ms.
CREATE FUNCTION bench_score_all(dev text, train_pool int, reps int)
RETURNS TABLE (batch_ms float8, per_row_ms float8, n_archs bigint) LANGUAGE plpgsql AS $$
DECLARE
    adapted help_predictor;
    t0 timestamptz;
    batch_runs float8[] := '{}';
    row_runs float8[] := '{}';
    total float8;
BEGIN
    PERFORM bench_eval(dev, 1, train_pool, 1000);
    SELECT help_adapt((SELECT p FROM bench_predictor),
                      (SELECT help_embed_device(r.position, l.latency_ms)
                       FROM bench_reference r JOIN bench_latency l USING (arch_idx)
                       WHERE l.device = dev),
                      a.enc, s.latency_ms, '{"seed": 1}') INTO adapted
    FROM (SELECT * FROM pool_t WHERE pool = 'train' ORDER BY md5('1:' || arch_idx) LIMIT 10) s
    JOIN bench_arch a USING (arch_idx);
    SELECT count(*) INTO n_archs FROM bench_arch;
    FOR i IN 1..reps LOOP
        t0 := clock_timestamp();
        SELECT sum(ms) INTO total
        FROM (SELECT help_predict_batch(adapted, enc) OVER () AS ms FROM bench_arch) s;
        batch_runs := batch_runs || extract(epoch FROM clock_timestamp() - t0) * 1000;
        t0 := clock_timestamp();
        SELECT sum(help_predict_latency(adapted, enc)) INTO total FROM bench_arch;
        row_runs := row_runs || extract(epoch FROM clock_timestamp() - t0) * 1000;
    END LOOP;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO batch_ms FROM unnest(batch_runs) x;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO per_row_ms FROM unnest(row_runs) x;
    RETURN NEXT;
END $$;
