-- pg_regress: the hardening of issue 15, one section per defect (memory
-- pressure is test/sql/memory.sql, cancellation test/sql/cancel.sql,
-- search_path test/sql/search_path.sql, fuzzing of the parsers
-- test/fuzz/).  Errors show as SQLSTATE: message.
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- the SQLSTATE alone, where the message depends on the machine
CREATE FUNCTION pg_temp.state(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE;
END $$;

\set cells_table hd_cells
\set cells_n 400
\i test/sql/include/synthetic_cells.sql
CREATE TABLE hd_base AS SELECT help_predictor_from_checkpoint(:'nb'::jsonb) AS p;
CREATE TABLE hd_text AS SELECT p::text AS t FROM hd_base;
CREATE TABLE hd_support AS
SELECT enc, 1.0 + arch_idx / 10.0 AS ms FROM hd_cells WHERE arch_idx IN (31, 207, 318, 77);
CREATE TABLE hd_adapted AS
SELECT help_adapt(b.p, help_embed_device(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]), s.enc, s.ms,
                  '{"seed": 3}') AS p
FROM hd_base b, hd_support s;

-- Defect 9: the text input is strict JSON; every other way to write the
-- same value, or an ambiguous one, is refused
SELECT label, pg_temp.err(format('SELECT %L::help_predictor', replace(t, old, new))) AS result
FROM hd_text, (VALUES
	('a duplicate key (un-adapting by appending "adapted")', '"model":{', '"adapted":null,"model":{'),
	('\u0000 in a string', '"source":"checkpoint"', '"source":"check\u0000point"'),
	('a single-quoted key', '"source":"checkpoint"', '''source'':"checkpoint"'),
	('a comment', '"episode":1699}', '"episode":1699 /* c */}'),
	('a trailing comma', '"episode":1699}', '"episode":1699,}'),
	('NaN', '"z_scale":0.01', '"z_scale":NaN'),
	('a leading zero', '"width":100', '"width":0100'),
	('an integer beyond int64', '"episode":1699', '"episode":9223372036854775808'),
	('invalid UTF-8 escape', '"source":"checkpoint"', '"source":"\udc00"')
) v(label, old, new)
ORDER BY label COLLATE "C";
-- ... and the same for the seed of an adapted predictor: 2^63 does not fit
SELECT pg_temp.err(format('SELECT %L::help_predictor',
                          regexp_replace(p::text, '"seed":3', '"seed":9223372036854775808'))) AS seed_2_63
FROM hd_adapted;

-- Defect 6: provenance nested 32 levels round-trips byte for byte, 33 levels
-- is refused on the way in (the text output silently dropped 40 levels)
CREATE TABLE hd_nested AS
SELECT n, replace(t, '"provenance":{"source":"checkpoint","format":"HELP published checkpoint, converted","episode":1699}',
                  '"provenance":' || repeat('{"a":', n - 1) || '{}' || repeat('}', n - 1)) AS t
FROM hd_text, (VALUES (32), (33), (40)) v(n);
SELECT n, pg_temp.err(format('SELECT %L::help_predictor', t)) AS result,
       CASE WHEN n = 32 THEN (SELECT t::help_predictor::text = t) END AS round_trip
FROM hd_nested ORDER BY n;
-- ... and a -0.0 weight reads back as -0.0 (it was printed "-0", read as +0.0)
CREATE TABLE hd_negzero AS
SELECT replace(t, '"data":[-0.03428467,', '"data":[-0.0,')::help_predictor AS p FROM hd_text;
SELECT p::text LIKE '%"data":[-0.0,%' AS printed_negative_zero,
       help_predictor_send(p::text::help_predictor) = help_predictor_send(p) AS round_trip
FROM hd_negzero;

-- Defect 5: binary input is as strict as the text input (with the detail
-- of each refusal).  A COPY BINARY
-- file of one predictor, then edited: its first value starts at byte 25
-- (19 bytes of header, 2 of field count, 4 of length), the seed at 28 of it.
\set VERBOSITY default
CREATE TABLE hd_bin (p help_predictor);
\copy (SELECT p FROM hd_adapted) TO 'test/results/hd_adapted.bin' WITH (FORMAT binary)
\copy (SELECT p FROM hd_base) TO 'test/results/hd_base.bin' WITH (FORMAT binary)
-- a seed of 2^63 or more (it printed negative, and pg_restore then dropped the table)
\! cp test/results/hd_adapted.bin test/results/hd_seed.bin && printf '\200' | dd of=test/results/hd_seed.bin bs=1 seek=53 conv=notrunc 2>/dev/null
\copy hd_bin FROM 'test/results/hd_seed.bin' WITH (FORMAT binary)
-- a 0xFF byte in a provenance string (the text form then carried invalid UTF-8)
\! cp test/results/hd_base.bin test/results/hd_utf8.bin && printf '\377' | dd of=test/results/hd_utf8.bin bs=1 seek=$(( $(grep -obUa 'converted' test/results/hd_base.bin | cut -d: -f1) + 1 )) conv=notrunc 2>/dev/null
\copy hd_bin FROM 'test/results/hd_utf8.bin' WITH (FORMAT binary)
-- Defect 13: sizes are checked before allocating.  A 69-byte value whose
-- header declares width 1024 and 100,000 support rows (160 MB were
-- allocated and zeroed before it was refused)
-- (file: signature, flags, extension; 1 field of 69 bytes: version 1, flags
-- adapted, space 0, kind 0, width 1024, in_dim 8, hw_dim 10, n_params 0,
-- n_infer 0, steps 2, mc_samples 10, n_support 100000, seed 0, z_scale 0,
-- meta_len 1, fingerprint 0, range 0 0, provenance NUL; trailer)
\! printf 'PGCOPY\n\377\r\n\0''\0\0\0\0''\0\0\0\0''\0\1''\0\0\0\105''\0\1''\0\1''\0''\0''\4\0''\0\10''\0\12''\0\0\0\0''\0\0\0\0''\0\2''\0\12''\0\1\206\240''\0\0\0\0\0\0\0\0''\0\0\0\0''\0\0\0\1''\0\0\0\0\0\0\0\0''\0\0\0\0\0\0\0\0''\0\0\0\0\0\0\0\0''\0''\377\377' > test/results/hd_short.bin && wc -c < test/results/hd_short.bin
\copy hd_bin FROM 'test/results/hd_short.bin' WITH (FORMAT binary)
\set VERBOSITY terse
SELECT count(*) AS accepted FROM hd_bin;
-- ... and JSON values are counted before json-c builds its tree (about 75
-- bytes a value): an OFA architecture of 10 million elements
SELECT pg_temp.err($$SELECT help_encode('ofa', '{"ks":[' || repeat('3,', 10000000) || '3]}')$$) AS ofa_10m_elements;

-- Defect 9: one text per architecture, and only encodings help_encode makes
SELECT label, pg_temp.err(q) AS result FROM (VALUES
	('cell with node index "00"', $$SELECT help_encode('nasbench201', '|nor_conv_3x3~00|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')$$),
	('fbnet index "007"', $$SELECT help_encode('fbnet', '{007,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}')$$),
	('fbnet index "-0"', $$SELECT help_encode('fbnet', '{-0,8,1,8,4,8,8,8,7,4,1,4,7,3,2,7,3,2,4,2,4,5}')$$),
	('all-ones cell encoding, predicted', $$SELECT help_predict_latency(p, array_fill(1::real, ARRAY[153])) FROM hd_adapted$$),
	('all-ones cell encoding, adapted', $$SELECT help_adapt(p, help_embed_device(ARRAY[3,1,2,5,4,10,6,7,8,9]::float8[]), array_fill(1::real, ARRAY[153]), 1.0 + g) FROM hd_base, generate_series(1, 2) g$$),
	('fbnet encoding with every layer of two kernels', $$SELECT help_meta_train('d', 0, array_fill(1::real, ARRAY[132]), 1.0, '{"space": "fbnet", "reference_archs": [0,1,2,3,4,5,6,7,8,9]}')$$),
	('ofa encoding of no resolution', $$SELECT help_meta_train('d', 0, (help_encode('ofa', '{"ks":[7,5,5,5,7,7,5,7,5,7,3,7,5,3,7,3,5,3,5,3],"e":[6,4,4,6,6,3,4,3,3,6,3,3,3,6,3,4,6,4,3,6],"d":[2,2,2,2,3],"r":204}'))[1:120] || array_fill(0::real, ARRAY[25]), 1.0, '{"space": "ofa", "reference_archs": [0,1,2,3,4,5,6,7,8,9]}')$$)
) v(label, q)
ORDER BY label COLLATE "C";
-- ... so a second spelling cannot get past UNIQUE (space, arch)
BEGIN;
INSERT INTO help_architectures (space, arch_idx, arch) VALUES
	('nasbench201', 0, '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|');
SELECT pg_temp.err($$INSERT INTO help_architectures (space, arch_idx, arch) VALUES
	('nasbench201', 1, '|nor_conv_3x3~00|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|')$$) AS second_spelling;
ROLLBACK;

-- Defect 11: provenance is written by the JSON writer, never concatenated:
-- device names with quotes are names (pix"el3 failed after training, and
-- x", "forged_device added a fake device)
CREATE TABLE hd_lat AS
SELECT d.device, c.arch_idx, c.enc,
       d.scale * (1.0 + length(replace(c.arch, 'none', '')) / 20.0 + c.arch_idx / 4000.0) AS latency_ms
FROM hd_cells c, (VALUES ('pix"el3', 1.0), ('x", "forged_device', 2.0), ('plain', 3.0)) d(device, scale)
WHERE c.arch_idx < 200;
SELECT help_predictor_info(p) #> '{provenance,train_devices}' AS train_devices,
       jsonb_typeof(help_predictor_info(p) #> '{provenance,options}') AS options,
       help_predictor_info(p) #> '{provenance,blas,threads}' AS blas_threads,
       help_predictor_info(p) #>> '{provenance,blas,kernel}' <> '' AS blas_kernel_recorded
FROM (SELECT help_meta_train(device, arch_idx, enc, latency_ms,
                             '{"space": "nasbench201", "reference_archs": [0,1,2,3,4,5,6,7,8,9],
                               "episodes": 0, "tasks_per_episode": 2, "support": 2, "query": 2}') AS p
      FROM hd_lat) s;

-- Defect 8 (input side): a latency is between 1e-6 and 1e7 ms everywhere it
-- enters (1.7e308 ms passed the table's CHECK and made help_score return
-- NaN and Infinity)
INSERT INTO help_devices VALUES ('hd_dev');
INSERT INTO help_architectures (space, arch_idx, arch) SELECT 'nasbench201', arch_idx, arch FROM hd_cells WHERE arch_idx < 3;
SELECT label, pg_temp.err(q) AS result FROM (VALUES
	('1 measurement of 1.7e308 ms', $$INSERT INTO help_measurements VALUES ('hd_dev', 'nasbench201', 0, 1.7e308)$$),
	('2 measurement of 5e-324 ms', $$INSERT INTO help_measurements VALUES ('hd_dev', 'nasbench201', 1, 5e-324)$$),
	('3 measurement of 1e7 ms', $$INSERT INTO help_measurements VALUES ('hd_dev', 'nasbench201', 2, 1e7)$$),
	('4 help_adapt at 1e300 ms', $$SELECT help_adapt(p, help_embed_device(ARRAY[3,1,2,5,4,10,6,7,8,9]::float8[]), enc, ms * 1e299) FROM hd_base, hd_support$$),
	('5 help_adapt at 5e-324 ms', $$SELECT help_adapt(p, help_embed_device(ARRAY[3,1,2,5,4,10,6,7,8,9]::float8[]), enc, ms * 5e-324) FROM hd_base, hd_support$$),
	('6 help_embed_device at 1e-9 ms', $$SELECT help_embed_device(ARRAY[3,1,2,5,4,10,6,7,8,1e-9]::float8[])$$),
	('7 help_embed_device aggregate at 2e7 ms', $$SELECT help_embed_device(p, CASE WHEN p = 4 THEN 2e7 ELSE p END) FROM generate_series(1, 10) p$$),
	('8 help_meta_train at 1e8 ms', $$SELECT help_meta_train('d', 0, enc, 1e8, '{"space": "nasbench201", "reference_archs": [0,1,2,3,4,5,6,7,8,9]}') FROM hd_support LIMIT 1$$)
) v(label, q)
ORDER BY label COLLATE "C";
DELETE FROM help_measurements WHERE device = 'hd_dev';
DELETE FROM help_architectures WHERE space = 'nasbench201' AND arch_idx < 3;
DELETE FROM help_devices WHERE device = 'hd_dev';

-- Defect 12: help.blas_threads is for superusers, at most one per core
SELECT context, max_val::int <= 64 AS at_most_64 FROM pg_settings WHERE name = 'help.blas_threads';
CREATE ROLE hd_analyst;
SET ROLE hd_analyst;
SELECT pg_temp.err('SET help.blas_threads = 1') AS analyst_sets_threads;
RESET ROLE;
DROP ROLE hd_analyst;
SELECT pg_temp.state('SET help.blas_threads = 65') AS sixty_five_threads;

-- Defect 14: adapted states larger than help.adapted_cache_size (64 MB by
-- default) are not kept, and a NOTICE says so and what to set; with a larger
-- setting a 200-draw state (94 MB) is kept between queries, so the next
-- query does not adapt it again.  (mc_samples 133 and more were never kept.)
CREATE TABLE hd_big AS
SELECT help_adapt(b.p, help_embed_device(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]), s.enc, s.ms,
                  '{"mc_samples": 200}') AS p
FROM hd_base b, hd_support s;
CREATE FUNCTION pg_temp.cache_entries_over_90_mb() RETURNS bigint LANGUAGE sql AS $$
	SELECT count(*) FROM pg_backend_memory_contexts
	WHERE name = 'help adapted cache entry' AND total_bytes > 90 * 1024 * 1024
$$;
SET client_min_messages = notice;
SELECT help_predict_latency(p, (SELECT enc FROM hd_cells WHERE arch_idx = 5)) > 0 AS predicted FROM hd_big;
SET client_min_messages = warning;
SELECT pg_temp.cache_entries_over_90_mb();
SET help.adapted_cache_size = '256MB';
SELECT help_predict_latency(p, (SELECT enc FROM hd_cells WHERE arch_idx = 5)) > 0 AS predicted FROM hd_big;
SELECT pg_temp.cache_entries_over_90_mb();
RESET help.adapted_cache_size;
