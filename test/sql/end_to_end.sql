-- pg_regress: import, round-trips, encoders, embedding, adaptation,
-- prediction and rank correlation against the shipped data (data/help, or
-- HELP_DATA; data/read.sh reads a file compressed or not).
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
\set f :data_dir '/fbnet/help_checkpoint.json'
\set fb `data/read.sh :f`
\set f :data_dir '/ofa/help_checkpoint.json'
\set of `data/read.sh :f`

-- the three published checkpoints import, with their parameter counts
CREATE TABLE preds AS
SELECT 'nasbench201' AS space, help_predictor_from_checkpoint(:'nb'::jsonb) AS p
UNION ALL SELECT 'fbnet', help_predictor_from_checkpoint(:'fb'::jsonb)
UNION ALL SELECT 'ofa', help_predictor_from_checkpoint(:'of'::jsonb);
SELECT space, i->>'kind' AS kind, i->'parameters' AS parameters, i->'layers'->'architecture' AS arch_layers,
       i->'provenance'->>'episode' AS episode
FROM preds, help_predictor_info(p) i ORDER BY space;

-- the weights are the checkpoint's: first and last fc5 weight, read back through ::text
SELECT space,
       ((p::text::jsonb) #>> '{model,meta_learner.fc5.weight,data,0}')::real
         = ((CASE space WHEN 'nasbench201' THEN :'nb' WHEN 'fbnet' THEN :'fb' ELSE :'of' END)::jsonb
            #>> '{model,meta_learner.fc5.weight,data,0}')::real AS first_weight_matches,
       ((p::text::jsonb) #>> '{task_lr,meta_learner.fc5.weight,data,199}')::real
         = ((CASE space WHEN 'nasbench201' THEN :'nb' WHEN 'fbnet' THEN :'fb' ELSE :'of' END)::jsonb
            #>> '{task_lr,meta_learner.fc5.weight,data,199}')::real AS last_inner_lr_matches
FROM preds ORDER BY space;

-- text round-trip is bit-exact (compared through the binary form)
SELECT space, help_predictor_send(p::text::help_predictor) = help_predictor_send(p) AS text_roundtrip
FROM preds ORDER BY space;

-- binary round-trip through COPY BINARY
\copy preds TO 'test/results/preds.bin' WITH (FORMAT binary)
CREATE TABLE preds2 (LIKE preds);
\copy preds2 FROM 'test/results/preds.bin' WITH (FORMAT binary)
SELECT a.space, help_predictor_send(a.p) = help_predictor_send(b.p) AS binary_roundtrip
FROM preds a JOIN preds2 b USING (space) ORDER BY space;

-- a truncated or corrupted binary value is rejected
\! head -c 300000 test/results/preds.bin > test/results/truncated.bin
\copy preds2 FROM 'test/results/truncated.bin' WITH (FORMAT binary)
\! cp test/results/preds.bin test/results/corrupt.bin && printf '\377\377\377\377' | dd of=test/results/corrupt.bin bs=1 seek=200000 conv=notrunc 2>/dev/null
\copy preds2 FROM 'test/results/corrupt.bin' WITH (FORMAT binary)

-- encoders: hand-computed positions of the ones
SELECT array_positions(help_encode('nasbench201',
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|'), 1) AS nb201_ones;
SELECT array_positions(help_encode('nasbench201',
  '|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|'), 1) AS nb201_none_ones;
SELECT array_positions(help_encode('fbnet', '{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}'), 1) AS fbnet_ones;
SELECT help_encode('fbnet', '{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}')
     = help_encode('fbnet', '{k5_e6,skip,k3_e1_g2,skip,k5_e1,skip,skip,skip,k5_e6,k5_e1,k3_e1_g2,k5_e1,k5_e6,k3_e6,k3_e3,k5_e6,k3_e6,k3_e3,k5_e1,k3_e3,k5_e1,k5_e1_g2}') AS fbnet_names_equal_indices;
SELECT array_positions(help_encode('ofa',
  '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":204,"wid":null}'), 1) AS ofa_ones;

-- hardware embedding: array and aggregate agree, whatever the row order
SELECT help_embed_device(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]) AS embedding;
SELECT help_embed_device(pos::int, lat) = help_embed_device(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]) AS agg_equals_array
FROM (SELECT * FROM unnest(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]) WITH ORDINALITY u(lat, pos) ORDER BY lat DESC) s;

-- a meta_valid device of the data: load what the end-to-end check needs
CREATE TABLE lat (device text, arch_idx int, latency_ms float8);
\set f :data_dir '/nasbench201/latency.csv'
\copy lat FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/latency.csv" | grep -E "^(device|titanx_32),"' WITH (FORMAT csv, HEADER)
CREATE TABLE cells (arch_idx int, arch_str text);
\copy cells FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/architectures.csv"' WITH (FORMAT csv, HEADER)
CREATE TABLE ref (position int, arch_idx int);
\copy ref FROM PROGRAM 'data/read.sh "$HELP_DATA/nasbench201/reference_archs.csv"' WITH (FORMAT csv, HEADER)
SELECT count(*) AS cells, count(DISTINCT arch_idx) FROM cells;

CREATE TABLE dev AS
SELECT help_embed_device(r.position, l.latency_ms) AS hw
FROM ref r JOIN lat l USING (arch_idx) WHERE l.device = 'titanx_32';

-- support: 10 cells of the trimmed meta-train pool; query: the trimmed query pool
CREATE TABLE trimmed AS
SELECT arch_idx, latency_ms, pool FROM (
    SELECT arch_idx, latency_ms, pool,
           row_number() OVER (PARTITION BY pool ORDER BY latency_ms, arch_idx) - 1 AS rn,
           count(*) OVER (PARTITION BY pool) AS n
    FROM (SELECT arch_idx, latency_ms, CASE WHEN arch_idx < 900 THEN 'train' ELSE 'query' END AS pool
          FROM lat WHERE device = 'titanx_32' AND arch_idx < 1900) s) t
WHERE rn >= floor(0.1 * n) AND rn < floor(0.9 * n);
CREATE TABLE support AS
SELECT t.arch_idx, t.latency_ms, help_encode('nasbench201', c.arch_str) AS enc
FROM trimmed t JOIN cells c USING (arch_idx)
WHERE pool = 'train' ORDER BY md5('1:' || arch_idx) LIMIT 10;

CREATE TABLE adapted AS
SELECT help_adapt(p, hw, enc, latency_ms, '{"seed": 1}') AS p
FROM preds, dev, support WHERE space = 'nasbench201';
SELECT i->'adapted' AS adapted, i->'adaptation'->'support_rows' AS rows, i->'provenance'->>'source' AS source
FROM adapted, help_predictor_info(p) i;

-- same rows and seed, any order: the same predictor, bit for bit
SELECT help_predictor_send(a.p) = help_predictor_send(b.p) AS order_independent
FROM adapted a,
     (SELECT help_adapt(p, hw, enc, latency_ms, '{"seed": 1}') AS p
      FROM (SELECT * FROM support ORDER BY latency_ms DESC) s, preds, dev
      WHERE space = 'nasbench201') b;
-- another seed gives other draws
SELECT help_predictor_send(a.p) <> help_predictor_send(b.p) AS seed_matters
FROM adapted a,
     (SELECT help_adapt(p, hw, enc, latency_ms, '{"seed": 2}') AS p
      FROM support, preds, dev WHERE space = 'nasbench201') b;

-- end to end: Spearman on the trimmed query pool of titanx_32 exceeds 0.9
SELECT count(*) AS query_cells,
       help_spearman(help_predict_latency(a.p, c.arch_str), t.latency_ms) > 0.9 AS spearman_above_0_9
FROM trimmed t JOIN cells c USING (arch_idx), adapted a WHERE t.pool = 'query';
-- predictions are in milliseconds near the measured range, with a spread
SELECT min(help_predict_latency(a.p, c.arch_str)) BETWEEN 0.5 * min(t.latency_ms) AND 2 * max(t.latency_ms) AS ms_scale,
       bool_and(help_predict_latency_stddev(a.p, c.arch_str) >= 0) AS stddev_nonnegative,
       bool_and(help_predict_latency(a.p, c.arch_str) = help_predict_latency(a.p, help_encode('nasbench201', c.arch_str))) AS text_equals_encoded
FROM trimmed t JOIN cells c USING (arch_idx), adapted a WHERE t.pool = 'query';
-- batched window function: the per-row predictions, for text and encodings, NULLs stay NULL
SELECT count(*) AS rows,
       max(abs(b - r) / r) < 1e-6 AS batch_equals_per_row,
       max(abs(bs - rs) / r) < 1e-6 AS batch_stddev_equals_per_row,
       bool_and(bt = b) AS text_equals_encoded
FROM (SELECT help_predict_latency(a.p, c.arch_str) AS r,
             help_predict_latency_stddev(a.p, c.arch_str) AS rs,
             help_predict_batch(a.p, help_encode('nasbench201', c.arch_str)) OVER () AS b,
             help_predict_batch_stddev(a.p, help_encode('nasbench201', c.arch_str)) OVER () AS bs,
             help_predict_batch(a.p, c.arch_str) OVER () AS bt
      FROM trimmed t JOIN cells c USING (arch_idx), adapted a WHERE t.pool = 'query') s;
SELECT bool_and((w).latency_ms = b AND (w).stddev_ms = bs) AS with_stddev_equals_both
FROM (SELECT help_predict_batch_with_stddev(a.p, c.arch_str) OVER () AS w,
             help_predict_batch(a.p, c.arch_str) OVER () AS b,
             help_predict_batch_stddev(a.p, c.arch_str) OVER () AS bs
      FROM cells c, adapted a WHERE c.arch_idx < 300) s;
SELECT count(*) AS rows, count(ms) AS predicted
FROM (SELECT help_predict_batch(a.p, CASE WHEN c.arch_idx % 2 = 0 THEN c.arch_str END) OVER () AS ms
      FROM cells c, adapted a WHERE c.arch_idx < 10) s;
-- a partition of several batches (1,024 rows each) streams through: every
-- batch's rows, NULLs among them, get the per-row predictions, in any order
SELECT count(*) AS rows, count(ms) AS predicted,
       max(abs(ms - help_predict_latency(p, arch_str)) / ms) < 1e-6 AS batches_equal_per_row
FROM (SELECT a.p, c.arch_str,
             help_predict_batch(a.p, CASE WHEN c.arch_idx % 7 <> 3 THEN c.arch_str END)
                 OVER (ORDER BY c.arch_idx DESC) AS ms
      FROM cells c, adapted a WHERE c.arch_idx < 2500) s;
-- one predictor per partition: two seeds side by side, each partition its own
SELECT seed, count(*) AS rows, max(abs(ms / help_predict_latency(p, arch_str) - 1)) < 1e-6 AS per_partition
FROM (SELECT s.seed, s.p, c.arch_str,
             help_predict_batch(s.p, c.arch_str) OVER (PARTITION BY s.seed) AS ms
      FROM cells c,
           (SELECT g AS seed, help_adapt(p, hw, enc, latency_ms, jsonb_build_object('seed', g)) AS p
            FROM preds, dev, support, generate_series(1, 2) g
            WHERE space = 'nasbench201' GROUP BY g) s
      WHERE c.arch_idx < 20) q
GROUP BY seed ORDER BY seed;
-- ... and two predictors in one partition are an error, not a mix-up
SELECT help_predict_batch(s.p, c.arch_str) OVER ()
FROM cells c,
     (SELECT help_adapt(p, hw, enc, latency_ms, jsonb_build_object('seed', g)) AS p
      FROM preds, dev, support, generate_series(1, 2) g
      WHERE space = 'nasbench201' GROUP BY g) s
WHERE c.arch_idx < 2;

-- latency_range: section 1 normalization, recorded in the predictor and its text form
CREATE TABLE ranged AS
SELECT help_adapt(p, hw, enc, latency_ms,
                  jsonb_build_object('seed', 1, 'latency_range',
                                     (SELECT jsonb_build_array(min(latency_ms), max(latency_ms))
                                      FROM trimmed WHERE pool = 'train'))) AS p
FROM preds, dev, support WHERE space = 'nasbench201';
SELECT jsonb_array_length(i->'adaptation'->'latency_range') AS range_values,
       help_predictor_send(r.p::text::help_predictor) = help_predictor_send(r.p) AS text_roundtrip,
       help_predictor_send(r.p) <> help_predictor_send(a.p) AS differs_from_calibrated
FROM ranged r, adapted a, help_predictor_info(r.p) i;
SELECT help_spearman(ms, latency_ms) > 0.9 AS ranged_spearman_above_0_9
FROM (SELECT help_predict_batch(r.p, c.arch_str) OVER () AS ms, t.latency_ms
      FROM trimmed t JOIN cells c USING (arch_idx), ranged r WHERE t.pool = 'query') s;

-- rank correlation: hand-computed values, ties, NULLs, and a parallel plan
SELECT help_spearman(x, y), help_kendall(x, y)
FROM (VALUES (1, 2), (2, 1), (3, 4), (4, 3), (5, 5)) v(x, y);
SELECT round(help_spearman(x, y)::numeric, 12) AS rho_ties, round(help_kendall(x, y)::numeric, 12) AS tau_b_ties
FROM (VALUES (1, 1), (1, 2), (2, 3), (3, 3), (NULL, 7)) v(x, y);
SELECT help_spearman(x, 1.0) AS constant_is_null FROM generate_series(1, 5) x;
CREATE TABLE big AS SELECT g AS x, (g * 7919) % 10007 AS y FROM generate_series(1, 100000) g;
ANALYZE big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT help_spearman(x, y), help_kendall(x, y) FROM big;
CREATE TABLE par AS SELECT help_spearman(x, y) AS s, help_kendall(x, y) AS k FROM big;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
SET max_parallel_workers_per_gather = 0;
SELECT p.s = q.s AS spearman_same, p.k = q.k AS kendall_same
FROM par p, (SELECT help_spearman(x, y) AS s, help_kendall(x, y) AS k FROM big) q;
