-- the window functions over 500 cells, the predictor as a column
\set r random(0, :cells - 500)
SELECT count(x), count(y) FROM (
	SELECT help_predict_batch(p.predictor, a.encoding) OVER () AS x,
	       help_predict_batch_with_stddev(p.predictor, a.arch) OVER () AS y
	FROM help_predictors p, help_architectures a
	WHERE p.name = 'load/adapted' AND a.space = 'nasbench201' AND a.arch_idx BETWEEN :r AND :r + 499) s;
