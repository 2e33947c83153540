-- Every misuse gives an ERROR with a specific SQLSTATE (pgTAP, run with pg_prove).
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only true
\pset pager off
-- HELP_DATA: the data folder (the Makefile exports it; default data/help)
\getenv data_dir HELP_DATA
\set ckpt_file :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :ckpt_file`

BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS help;
SELECT plan(85);

CREATE TEMP TABLE ck AS SELECT :'nb'::jsonb AS j;
CREATE TEMP TABLE base AS SELECT help_predictor_from_checkpoint(j) AS p FROM ck;
CREATE TEMP TABLE cell AS SELECT help_encode('nasbench201',
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|') AS e;
CREATE TEMP TABLE hw AS SELECT help_embed_device(ARRAY[1,2,3,4,5,6,7,8,9,10]::float8[]) AS h;
CREATE TEMP TABLE cells3 AS
SELECT help_encode('nasbench201', c) AS e, ms FROM (VALUES
    ('|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|', 9.1::float8),
    ('|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|', 4.2),
    ('|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|', 2.0)) v(c, ms);
CREATE TEMP TABLE adapted AS SELECT help_adapt(p, h, e, ms) AS p FROM base, hw, cells3;

-- encoders
SELECT throws_ok($$SELECT help_encode('darts', '|nor_conv_3x3~0|')$$, '22023', NULL, 'unknown search space');
SELECT throws_ok($$SELECT help_encode('nasbench201', 'abc')$$, '22P02', NULL, 'malformed cell string');
SELECT throws_ok($$SELECT help_encode('nasbench201', '|conv~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')$$, '22023', NULL, 'unknown cell op');
SELECT throws_ok($$SELECT help_encode('nasbench201', '|nor_conv_3x3~1|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')$$, '22023', NULL, 'wrong edge index');
SELECT throws_ok($$SELECT help_encode('nasbench201', '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|')$$, '22P02', NULL, 'truncated cell string');
SELECT throws_ok($$SELECT help_encode('nasbench201', '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|x')$$, '22P02', NULL, 'text after the cell');
SELECT throws_ok($$SELECT help_encode('nasbench201', '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~x|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')$$, '22P02', NULL, 'non-numeric edge index');
SELECT throws_ok($$SELECT help_encode('fbnet', '{1,2,3}')$$, '2202E', NULL, 'fbnet wrong length');
SELECT throws_ok($$SELECT help_encode('fbnet', '{9,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}')$$, '22003', NULL, 'fbnet op index out of range');
SELECT throws_ok($$SELECT help_encode('fbnet', '{k7_e6,skip,k3_e1_g2,skip,k5_e1,skip,skip,skip,k5_e6,k5_e1,k3_e1_g2,k5_e1,k5_e6,k3_e6,k3_e3,k5_e6,k3_e6,k3_e3,k5_e1,k3_e3,k5_e1,k5_e1_g2}')$$, '22023', NULL, 'fbnet unknown op name');
SELECT throws_ok($$SELECT help_encode('fbnet', 'k5_e6')$$, '22P02', NULL, 'fbnet not an array literal');
SELECT throws_ok($$SELECT help_encode('fbnet', '{1,,2}')$$, '22P02', NULL, 'fbnet empty element');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[4,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":204}')$$, '22003', NULL, 'ofa kernel size 4');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[5,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":204}')$$, '22003', NULL, 'ofa expand ratio 5');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,5,3],"r":204}')$$, '22003', NULL, 'ofa depth 5');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":130}')$$, '22003', NULL, 'ofa resolution 130');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":204}')$$, '2202E', NULL, 'ofa 19 kernel sizes');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[3,5')$$, '22P02', NULL, 'ofa truncated JSON');
SELECT throws_ok($$SELECT help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3]}')$$, '22023', NULL, 'ofa without resolution');

-- the predictor type and checkpoint import
SELECT throws_ok($$SELECT 'not json'::help_predictor$$, '22P02', NULL, 'predictor text that is not JSON');
SELECT throws_ok($$SELECT '{}'::help_predictor$$, '22023', NULL, 'predictor JSON without its fields');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(j #- '{model,meta_learner.fc5.bias}') FROM ck$$, '22023', NULL, 'checkpoint missing a tensor');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{model,meta_learner.fc6.bias}', j->'model'->'meta_learner.fc5.bias')) FROM ck$$, '22023', NULL, 'checkpoint with an extra tensor');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{model,meta_learner.fc5.bias,shape}', '[2]')) FROM ck$$, '2202E', NULL, 'checkpoint tensor of the wrong shape');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{task_lr,meta_learner.fc5.bias,data}', '[]')) FROM ck$$, '2202E', NULL, 'checkpoint tensor with too little data');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{model,meta_learner.fc5.bias,data}', '[1e999]')) FROM ck$$, '22003', NULL, 'checkpoint weight out of range for real');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{model,meta_learner.fc5.bias,data}', '["x"]')) FROM ck$$, '22023', NULL, 'checkpoint weight that is not a number');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(jsonb_set(j, '{search_space}', '"darts"')) FROM ck$$, '22023', NULL, 'checkpoint of an unknown search space');
SELECT throws_ok($$SELECT help_predictor_from_checkpoint(j - 'inference_network') FROM ck$$, '22023', NULL, 'checkpoint without the inference network');
SELECT throws_ok($$SELECT replace(p::text, '"width":100', '"width":99')::help_predictor FROM base$$, '2202E', NULL, 'predictor text with inconsistent width');
SELECT throws_ok($$SELECT replace(p::text, '"nasbench201"', '"fbnet"')::help_predictor FROM base$$, '22023', NULL, 'predictor text whose kind does not match its space');

-- hardware embedding
SELECT throws_ok($$SELECT help_embed_device(ARRAY[1,2,3,4,5,6,7,8,9]::float8[])$$, '2202E', NULL, 'nine reference latencies');
SELECT throws_ok($$SELECT help_embed_device(ARRAY[1,2,3,4,5,6,7,8,9,-1]::float8[])$$, '22000', NULL, 'negative latency');
SELECT throws_ok($$SELECT help_embed_device(ARRAY[2,2,2,2,2,2,2,2,2,2]::float8[])$$, '22000', NULL, 'all-equal latencies');
SELECT throws_ok($$SELECT help_embed_device(p, 1.0) FROM (VALUES (1),(1),(2),(3),(4),(5),(6),(7),(8),(9)) v(p)$$, '21000', NULL, 'duplicated reference position');
SELECT throws_ok($$SELECT help_embed_device(p, p::float8) FROM generate_series(1, 11) p$$, '2202E', NULL, 'reference position 11');
SELECT throws_ok($$SELECT help_embed_device(p, p::float8) FROM generate_series(1, 9) p$$, '22023', NULL, 'missing reference position');

-- adaptation and prediction
SELECT throws_ok($$SELECT help_adapt(p, h, e, 1.0) FROM base, hw, cell$$, '22023', NULL, 'a single support row');
SELECT throws_ok($$SELECT help_adapt(p, h[1:9], e, 1.0 + g) FROM base, hw, cell, generate_series(1, 3) g$$, '2202E', NULL, 'embedding of the wrong size');
SELECT throws_ok($$SELECT help_adapt(p, h, e[1:100], 1.0 + g) FROM base, hw, cell, generate_series(1, 3) g$$, '2202E', NULL, 'encoding of the wrong size');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 0.0) FROM base, hw, cell, generate_series(1, 3) g$$, '22000', NULL, 'zero latency');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 1.0 + g, '{"stepz": 3}') FROM base, hw, cell, generate_series(1, 3) g$$, '22023', NULL, 'unknown adaptation option');
SELECT throws_ok($$SELECT help_predict_latency(p, e) FROM base, cell$$, '55000', NULL, 'predicting with a predictor that is not adapted');
SELECT throws_ok($$SELECT help_predict_batch(p, e) OVER () FROM base, cell$$, '55000', NULL, 'batch prediction with a predictor that is not adapted');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 'NaN') FROM base, hw, cells3$$, '22000', NULL, 'NaN latency');
SELECT throws_ok($$SELECT help_adapt(p, h, e, -ms) FROM base, hw, cells3$$, '22000', NULL, 'negative latency');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 5.0) FROM base, hw, cells3$$, '22000', NULL, 'all support latencies equal');
SELECT throws_ok($$SELECT help_adapt(p, h, help_encode('fbnet', '{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}'), 1.0 + g) FROM base, hw, generate_series(1, 3) g$$, '2202E', NULL, 'encoding of another search space');
SELECT throws_ok($$SELECT help_adapt(p, h || ARRAY[2]::real[], e, ms) FROM base, hw, cells3$$, '2202E', NULL, 'embedding of 11 values');
SELECT throws_ok($$SELECT help_adapt(p, array_fill(2::real, ARRAY[10]), e, ms) FROM base, cells3$$, '22003', NULL, 'embedding value outside [0, 1]');
SELECT throws_ok($$SELECT help_adapt(p, CASE WHEN ms > 3 THEN h ELSE array_fill(0.5::real, ARRAY[10]) END, e, ms) FROM base, hw, cells3$$, '22023', NULL, 'two embeddings in one group');
SELECT throws_ok($$SELECT help_adapt(p, h, NULL::real[], ms) FROM base, hw, cells3$$, '22004', NULL, 'NULL architecture');
SELECT throws_ok($$SELECT help_adapt(p, h, e, ms, '{"mc_samples": 0}') FROM base, hw, cells3$$, '22003', NULL, 'zero modulator draws');
SELECT throws_ok($$SELECT help_adapt(p, h, e, ms, '{"seed": "one"}') FROM base, hw, cells3$$, '22023', NULL, 'seed that is not an integer');
SELECT throws_ok($$SELECT help_predict_latency(p, e[1:152]) FROM adapted, cell$$, '2202E', NULL, 'predicting an encoding of the wrong size');
SELECT throws_ok($$SELECT help_predict_latency(p, '|nor_conv_3x3~0|') FROM adapted$$, '22P02', NULL, 'predicting a malformed cell string');
SELECT throws_ok($$SELECT help_predict_batch(p, e[1:152]) OVER () FROM adapted, cell$$, '2202E', NULL, 'batch prediction of an encoding of the wrong size');
SELECT throws_ok($$SELECT help_predict_latency_stddev(p, help_encode('fbnet', '{7,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}')) FROM adapted$$, '2202E', NULL, 'stddev of an encoding of another space');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 1.0 + g, '{"latency_range": [5, 2]}') FROM base, hw, cell, generate_series(1, 3) g$$, '22003', NULL, 'latency_range with min above max');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 1.0 + g, '{"latency_range": [1]}') FROM base, hw, cell, generate_series(1, 3) g$$, '2202E', NULL, 'latency_range with one value');
SELECT throws_ok($$SELECT help_adapt(p, h, e, 1.0 + g, '{"latency_range": "fast"}') FROM base, hw, cell, generate_series(1, 3) g$$, '22023', NULL, 'latency_range that is not an array');

-- meta-training options and data
CREATE TEMP TABLE mto AS SELECT '{"space": "nasbench201", "reference_archs": [100,101,102,103,104,105,106,107,108,109]}'::jsonb AS o;
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"epochs": 5}') FROM cell, mto$$, '22023', NULL, 'unknown meta-training option');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o - 'space') FROM cell, mto$$, '22023', NULL, 'meta-training without a space');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"space": "darts"}') FROM cell, mto$$, '22023', NULL, 'meta-training an unknown space');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"reference_archs": [1,2,3]}') FROM cell, mto$$, '2202E', NULL, 'three reference architectures');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"reference_archs": [1,1,2,3,4,5,6,7,8,9]}') FROM cell, mto$$, '22023', NULL, 'a reference architecture twice');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"episodes": -1}') FROM cell, mto$$, '22003', NULL, 'negative episodes');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"second_order": "yes"}') FROM cell, mto$$, '22023', NULL, 'second_order that is not a boolean');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"valid_supports": 0}') FROM cell, mto$$, '22003', NULL, 'zero validation support sets');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, NULL) FROM cell$$, '22004', NULL, 'NULL meta-training options');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e[1:100], 1.0, o) FROM cell, mto$$, '2202E', NULL, 'meta-training encoding of the wrong size');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 0.0, o) FROM cell, mto$$, '22000', NULL, 'meta-training zero latency');
SELECT throws_ok($$SELECT help_meta_train('d', -1, e, 1.0, o) FROM cell, mto$$, '22023', NULL, 'negative arch_idx');
SELECT throws_ok($$SELECT help_meta_train('d', 0, c.e, ms, o) FROM cells3 c, mto$$, '22023', NULL, 'two encodings for one arch_idx');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, g, o) FROM cell, mto, generate_series(1, 2) g$$, '22000', NULL, 'two measurements of one architecture on one device');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o) FROM cell, mto$$, '22000', 'device "d" has no measurement of reference architecture 1 (arch_idx 100)', 'a device without its reference measurements');
SELECT throws_ok($$SELECT help_meta_train('d', 0, e, 1.0, o || '{"valid_devices": ["v"]}') FROM cell, mto$$, '22023', 'validation device "v" has no rows', 'a validation device without rows');

-- settings: the OpenBLAS kernel is reported and read only
SELECT ok(current_setting('help.blas_kernel') NOT IN ('', 'not loaded'),
          'help.blas_kernel names the OpenBLAS kernel');
SELECT throws_ok($$SET help.blas_kernel = 'Prescott'$$, '55P02', NULL, 'help.blas_kernel is read only');
SELECT throws_ok($$SET help.blas_threads = 0$$, '22023', NULL, 'help.blas_threads below 1');

-- measuring this machine
SELECT throws_ok($$SELECT help_measure_host('|nor_conv_3x3~0|')$$, '22P02', NULL, 'help_measure_host: truncated cell');
SELECT throws_ok($$SELECT help_measure_host('|conv_5x5~0|+|none~0|none~1|+|none~0|none~1|none~2|')$$, '22023', NULL, 'help_measure_host: unknown operation');
SELECT throws_ok($$SELECT help_measure_host('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 65)$$, '22023', NULL, 'help_measure_host: batch above 64');
SELECT throws_ok($$SELECT help_measure_host('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 1, -1)$$, '22023', NULL, 'help_measure_host: negative runs');
SELECT throws_ok($$SELECT * FROM help_measure_host_detail('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|', 1, 1001)$$, '22023', NULL, 'help_measure_host_detail: runs above 1000');

SELECT * FROM finish();
ROLLBACK;
