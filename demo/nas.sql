-- Latency-constrained NAS: for each latency constraint, the most accurate
-- MetaD2A candidate that meets it on the device with probability at least
-- :confidence (help_nas), with its 90% prediction interval and its measured
-- latency where the data holds it.
-- psql variables: predictor (an adapted predictor's name), constraints
-- (an array literal of milliseconds, e.g. {8,11,14}), confidence (default
-- 0.9; 0 keeps the candidates whose predicted latency meets the constraint).
\if :{?confidence}
\else
\set confidence 0.9
\endif
SELECT k.constraint_ms,
       round(n.accuracy::numeric, 2)   AS "accuracy %",
       round(n.latency_ms::numeric, 2) AS predicted_ms,
       '[' || round(n.lower_ms::numeric, 2) || ', ' || round(n.upper_ms::numeric, 2) || ']' AS "90% interval",
       round(n.p_meet::numeric, 3)     AS "P(meets)",
       round(n.measured_ms::numeric, 2) AS measured_ms,
       n.arch_idx,
       n.arch
FROM unnest(:'constraints'::float8[]) AS k(constraint_ms)
LEFT JOIN LATERAL help_nas(:'predictor', k.constraint_ms, 'cifar100', 'metad2a', :'confidence') n ON true
ORDER BY k.constraint_ms;
