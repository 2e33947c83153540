-- Latency-constrained NAS: for each latency constraint, the most accurate
-- MetaD2A candidate whose latency predicted on the device meets it, with its
-- measured latency where the data holds it.
-- psql variables: predictor (an adapted predictor's name), constraints
-- (an array literal of milliseconds, e.g. {8,11,14}).
WITH candidates AS (
    SELECT arch_idx, accuracy
    FROM help_accuracy
    WHERE space = 'nasbench201' AND dataset = 'cifar100' AND source = 'metad2a'
), scored AS MATERIALIZED (
    SELECT s.arch_idx, s.arch, s.latency_ms, s.stddev_ms, c.accuracy
    FROM help_score(:'predictor', ARRAY(SELECT arch_idx FROM candidates)) s
    JOIN candidates c USING (arch_idx)
)
SELECT k.constraint_ms,
       round(best.accuracy::numeric, 2)   AS "accuracy %",
       round(best.latency_ms::numeric, 2) AS predicted_ms,
       round(best.stddev_ms::numeric, 2)  AS "± ms",
       round(m.latency_ms::numeric, 2)    AS measured_ms,
       best.arch_idx,
       best.arch
FROM unnest(:'constraints'::float8[]) AS k(constraint_ms)
LEFT JOIN LATERAL (
    SELECT * FROM scored
    WHERE latency_ms <= k.constraint_ms
    ORDER BY accuracy DESC, latency_ms, arch_idx
    LIMIT 1
) best ON true
LEFT JOIN help_predictors p ON p.name = :'predictor'
LEFT JOIN help_measurements m
       ON m.device = p.device AND m.space = p.space AND m.arch_idx = best.arch_idx
ORDER BY k.constraint_ms;
