-- The HELP-METHOD.md section 7 protocol on one device and seed: support =
-- 10 random architectures of the trimmed meta-train pool, query = the
-- trimmed query pool.  Needs bench/load.sql's tables and a predictor in
-- bench_predictor.  Returns Spearman and the time to adapt and predict.
CREATE FUNCTION bench_eval(dev text, seed int, train_pool int, query_pool int,
                           pool_range bool DEFAULT true)
RETURNS TABLE (spearman float8, ms float8) LANGUAGE plpgsql AS $$
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
    SELECT help_adapt((SELECT p FROM bench_predictor), hw, a.enc, s.latency_ms,
                      jsonb_strip_nulls(jsonb_build_object('seed', seed, 'latency_range', range))) INTO adapted
    FROM (SELECT * FROM pool_t WHERE pool = 'train'
          ORDER BY md5(seed || ':' || arch_idx) LIMIT 10) s
    JOIN bench_arch a USING (arch_idx);
    SELECT help_spearman(help_predict_latency(adapted, a.enc), q.latency_ms) INTO spearman
    FROM pool_t q JOIN bench_arch a USING (arch_idx) WHERE q.pool = 'query';
    ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
    RETURN NEXT;
END $$;
