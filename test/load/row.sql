-- per-row prediction of one cell, by encoding and by its text
\set r random(0, :cells - 1)
SELECT help_predict_latency(p.predictor, a.encoding), help_predict_latency_stddev(p.predictor, a.arch)
FROM help_predictors p, help_architectures a
WHERE p.name = 'load/adapted' AND a.space = 'nasbench201' AND a.arch_idx = :r;
