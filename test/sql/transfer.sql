-- pg_regress: the transfer method, its intervals and probabilities, and the
-- choice of measurements, on one shared device (gold_6240, a CPU) with the
-- published NAS-Bench-201 predictor.  Figures print as booleans against
-- bounds, so that the output does not depend on the BLAS kernel's rounding.
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
CREATE TABLE tr_pred AS SELECT help_predictor_from_checkpoint(:'nb'::jsonb) AS p;
CREATE TABLE tr_lat (device text, arch_idx int, latency_ms float8);
\copy tr_lat FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/latency.csv" | grep -E "^(device|gold_6240),"' WITH (FORMAT csv, HEADER)
CREATE TABLE tr_cells (arch_idx int, arch_str text);
\copy tr_cells FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/architectures.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE tr_ref (position int, arch_idx int);
\copy tr_ref FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/reference_archs.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE tr_enc AS SELECT arch_idx, help_encode('nasbench201', arch_str) AS enc FROM tr_cells;
CREATE TABLE tr_hw AS
SELECT help_embed_device(r.position, l.latency_ms) AS hw FROM tr_ref r JOIN tr_lat l USING (arch_idx);

-- support: the 10 reference cells and 10 of the first 900 in md5 order;
-- evaluation: 2,000 cells from the rest of the space
CREATE TABLE tr_support AS
SELECT arch_idx FROM tr_ref
UNION ALL
(SELECT arch_idx FROM tr_lat WHERE arch_idx < 900 AND arch_idx NOT IN (SELECT arch_idx FROM tr_ref)
 ORDER BY md5(arch_idx::text) LIMIT 10);
CREATE TABLE tr_eval AS
SELECT arch_idx FROM tr_lat WHERE arch_idx >= 900 ORDER BY md5('eval' || arch_idx) LIMIT 2000;

CREATE FUNCTION tr_adapt(options jsonb, rows_desc bool DEFAULT false) RETURNS help_predictor
LANGUAGE sql AS $$
	SELECT help_adapt((SELECT p FROM tr_pred), (SELECT hw FROM tr_hw), e.enc, l.latency_ms, options)
	FROM (SELECT * FROM tr_support ORDER BY CASE WHEN rows_desc THEN -arch_idx ELSE arch_idx END) s
	JOIN tr_enc e USING (arch_idx) JOIN tr_lat l USING (arch_idx)
$$;
CREATE TABLE tr_adapted AS
SELECT 'transfer' AS method, tr_adapt('{"seed": 1}') AS p
UNION ALL SELECT 'help', tr_adapt('{"seed": 1, "method": "help"}');
SELECT method, help_predictor_info(p) #>> '{adaptation,method}' AS recorded, (p::text::jsonb) #>> '{adapted,method}' AS text_form
FROM tr_adapted ORDER BY method;

-- deterministic per seed and independent of row order; the seed matters
SELECT help_predictor_send(tr_adapt('{"seed": 1}', true)) = help_predictor_send(p) AS order_independent,
       help_predict_latency(tr_adapt('{"seed": 2}'), (SELECT enc FROM tr_enc WHERE arch_idx = 5000))
         <> help_predict_latency(p, (SELECT enc FROM tr_enc WHERE arch_idx = 5000)) AS seed_matters
FROM tr_adapted WHERE method = 'transfer';

-- scored with intervals at three levels, batched and per row
CREATE TABLE tr_scored AS
SELECT a.method, l.arch_idx, l.latency_ms AS measured,
       help_predict_batch_interval(a.p, e.enc, 0.5) OVER w AS i50,
       help_predict_batch_interval(a.p, e.enc) OVER w AS i90,
       help_predict_batch_interval(a.p, e.enc, 0.99) OVER w AS i99,
       help_predict_batch_probability(a.p, e.enc, 10.0) OVER w AS p10,
       help_predict_batch(a.p, e.enc) OVER w AS point
FROM tr_adapted a, tr_eval v JOIN tr_enc e USING (arch_idx) JOIN tr_lat l USING (arch_idx)
WINDOW w AS (PARTITION BY a.method);

-- intervals hold the point, nest by level and are positive
SELECT method,
       bool_and((i90).lower_ms <= (i90).latency_ms AND (i90).latency_ms <= (i90).upper_ms) AS ordered,
       bool_and((i99).lower_ms <= (i90).lower_ms AND (i90).lower_ms <= (i50).lower_ms
                AND (i50).upper_ms <= (i90).upper_ms AND (i90).upper_ms <= (i99).upper_ms) AS monotone_in_level,
       bool_and((i90).lower_ms > 0) AS positive,
       bool_and((i90).latency_ms = point) AS same_point
FROM tr_scored GROUP BY method ORDER BY method;

-- ranked well, and the 90 % interval holds about 90 % of the measurements
-- (bounds wide enough for a device adapted from 20 cells)
SELECT method,
       help_spearman((i90).latency_ms, measured) > 0.9 AS spearman_above_0_9,
       avg((measured BETWEEN (i90).lower_ms AND (i90).upper_ms)::int) BETWEEN 0.75 AND 0.99 AS coverage_near_0_9,
       avg((measured BETWEEN (i50).lower_ms AND (i50).upper_ms)::int)
         < avg((measured BETWEEN (i90).lower_ms AND (i90).upper_ms)::int) AS coverage_grows_with_level
FROM tr_scored GROUP BY method ORDER BY method;

-- probabilities: in [0, 1], rising with the budget, one half at the point
-- prediction, as the per-row function says
SELECT bool_and(p10 BETWEEN 0 AND 1) AS in_unit_interval,
       bool_and(help_predict_probability(a.p, e.enc, 20.0) >= p10) AS rises_with_budget,
       bool_and(abs(help_predict_probability(a.p, e.enc, s.point) - 0.5) < 1e-6) AS half_at_the_point,
       bool_and(abs(help_predict_probability(a.p, e.enc, 10.0) - p10) < 1e-6) AS per_row_equals_window,
       bool_and(help_predict_probability(a.p, e.enc, 0) = 0) AS zero_budget
FROM tr_scored s JOIN tr_adapted a USING (method) JOIN tr_enc e USING (arch_idx)
WHERE s.arch_idx % 10 = 0;
SELECT bool_and(abs((help_predict_interval(a.p, e.enc)).upper_ms - (s.i90).upper_ms) < 1e-6 * (s.i90).upper_ms)
         AS per_row_interval_equals_window,
       bool_and((help_predict_interval(a.p, c.arch_str, 0.9)).lower_ms = (help_predict_interval(a.p, e.enc, 0.9)).lower_ms)
         AS text_equals_encoded
FROM tr_scored s JOIN tr_adapted a USING (method) JOIN tr_enc e USING (arch_idx) JOIN tr_cells c USING (arch_idx)
WHERE s.arch_idx % 50 = 0;

-- method help keeps HELP's point and still has an interval around it
SELECT help_predict_latency(h.p, e.enc) = help_predict_latency(tr_adapt('{"seed": 1, "method": "help"}'), e.enc) AS help_point_stable,
       (help_predict_interval(h.p, e.enc)).lower_ms < help_predict_latency(h.p, e.enc) AS help_has_interval
FROM tr_adapted h, tr_enc e WHERE h.method = 'help' AND e.arch_idx = 4242;

-- suggestions: n distinct architectures, none measured, the same twice,
-- with the adapted predictor and with the default prior
CREATE TABLE tr_suggested AS
SELECT k, help_suggest(p, e.arch_idx, e.enc, e.arch_idx IN (SELECT arch_idx FROM tr_support), 10) AS picks
FROM (SELECT 'adapted' AS k, p FROM tr_adapted WHERE method = 'transfer'
      UNION ALL SELECT 'default', NULL::help_predictor) a, tr_enc e
GROUP BY k;
SELECT k, cardinality(picks) AS n, (SELECT count(DISTINCT x) FROM unnest(picks) x) AS distinct_picks,
       NOT picks && ARRAY(SELECT arch_idx FROM tr_support) AS none_measured
FROM tr_suggested ORDER BY k;
SELECT s.picks = (SELECT help_suggest(p, e.arch_idx, e.enc, e.arch_idx IN (SELECT arch_idx FROM tr_support), 10)
                  FROM tr_adapted a, (SELECT * FROM tr_enc ORDER BY arch_idx DESC) e WHERE a.method = 'transfer')
       AS deterministic
FROM tr_suggested s WHERE k = 'adapted';

-- bad values: SQLSTATE and message
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.err($$SELECT tr_adapt('{"method": "nope"}')$$) AS method_unknown;
SELECT pg_temp.err($$SELECT tr_adapt('{"method": 1}')$$) AS method_not_a_string;
SELECT pg_temp.err($$SELECT help_predict_interval(p, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 1.5) FROM tr_adapted WHERE method = 'help'$$) AS level_above_one;
SELECT pg_temp.err($$SELECT help_predict_interval(p, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 0) FROM tr_adapted WHERE method = 'help'$$) AS level_zero;
SELECT pg_temp.err($$SELECT help_predict_interval(p, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 'NaN') FROM tr_adapted WHERE method = 'help'$$) AS level_nan;
SELECT pg_temp.err($$SELECT help_predict_interval(p, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', NULL) FROM tr_adapted WHERE method = 'help'$$) AS level_null;
SELECT pg_temp.err($$SELECT help_predict_batch_interval(p, enc, -1) OVER () FROM tr_adapted, tr_enc WHERE method = 'help' AND arch_idx < 3$$) AS window_level_negative;
SELECT pg_temp.err($$SELECT help_predict_probability(p, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 'NaN') FROM tr_adapted WHERE method = 'help'$$) AS budget_nan;
SELECT pg_temp.err($$SELECT help_predict_batch_probability(p, enc, NULL) OVER () FROM tr_adapted, tr_enc WHERE method = 'help' AND arch_idx < 3$$) AS window_budget_null;
SELECT pg_temp.err($$SELECT help_suggest(NULL, arch_idx, enc, false, -1) FROM tr_enc$$) AS suggest_negative_n;
SELECT pg_temp.err($$SELECT help_suggest(p, arch_idx, enc, false, 3) FROM tr_pred, tr_enc$$) AS suggest_not_adapted;
SELECT pg_temp.err($$SELECT help_adapt(p, hw, e.enc, 7.0) FROM tr_pred, tr_hw, tr_enc e WHERE arch_idx < 5$$) AS all_latencies_equal;
-- NULL predictor or architecture: NULL, as the strict functions give
SELECT help_predict_interval(NULL, '|none~0|+|none~0|none~1|+|none~0|none~1|none~2|') IS NULL AS null_predictor,
       help_predict_probability(p, NULL::text, 3) IS NULL AS null_arch
FROM tr_adapted WHERE method = 'help';
