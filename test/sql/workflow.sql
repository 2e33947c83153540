-- pg_regress: the tables, the loaders and the latency-constrained NAS
-- workflow, on a small subset of the data (data/subset.sh: per space
-- the architectures with arch_idx < 300, the reference architectures and
-- the first 60 MetaD2A candidates, on a few devices).
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\setenv PGDATABASE :DBNAME
\! data/subset.sh "$HELP_DATA" test/results/wf_data 300

-- errors as SQLSTATE: message
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
	RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- the stored rows, fingerprinted
CREATE FUNCTION pg_temp.fingerprint() RETURNS text LANGUAGE sql AS $$
	SELECT md5(concat_ws('|',
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_devices t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_device_splits t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_architectures t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_measurements t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_reference_archs t),
		(SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_accuracy t),
		(SELECT string_agg(concat_ws(',', name, space, device, created_at, provenance, md5(help_predictor_send(predictor))), ',' ORDER BY name)
		 FROM help_predictors)))
$$;

-- the tables are the extension's, registered for pg_dump
SELECT c.relname, c.oid = ANY (e.extconfig) AS dumped_by_pg_dump
FROM pg_class c JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'help'
WHERE c.relkind = 'r' ORDER BY c.relname;

-- load the subset folder: each space's rows, its published checkpoint
\set data test/results/wf_data
\set ECHO none
\i data/load.sql
\set ECHO all
\set ON_ERROR_STOP 0
SELECT s.space,
       (SELECT count(*) FROM help_architectures t WHERE t.space = s.space) AS architectures,
       (SELECT count(*) FROM help_measurements t WHERE t.space = s.space) AS measurements,
       (SELECT count(DISTINCT device) FROM help_measurements t WHERE t.space = s.space) AS measured_devices,
       (SELECT count(*) FROM help_reference_archs t WHERE t.space = s.space) AS reference,
       (SELECT count(*) FROM help_device_splits t WHERE t.space = s.space) AS splits,
       (SELECT count(*) FROM help_accuracy t WHERE t.space = s.space) AS accuracies,
       (SELECT string_agg(name, ',') FROM help_predictors t WHERE t.space = s.space) AS predictors
FROM (VALUES ('nasbench201'), ('fbnet'), ('ofa')) s(space);
SELECT count(*) AS devices, count(*) FILTER (WHERE device IN ('gold_6226', 'fpga', 'eyeriss')) AS held_back_named
FROM help_devices;
-- the encodings are help_encode's, in each space's notation
SELECT space, min(arch) AS first_arch, bool_and(encoding = help_encode(space, arch)) AS encoded,
       min(cardinality(encoding)) AS length
FROM help_architectures WHERE arch_idx = 0 OR space = 'ofa' AND arch_idx = 1 GROUP BY space ORDER BY space;
SELECT arch FROM help_architectures WHERE space = 'ofa' AND arch_idx = 0;
-- the MetaD2A candidates: matched by cell string, with their accuracy and rank
SELECT count(*) AS candidates, min(accuracy) > 0 AND max(accuracy) < 100 AS percent,
       count(DISTINCT details -> 'rank') AS ranks
FROM help_accuracy WHERE space = 'nasbench201' AND dataset = 'cifar100' AND source = 'metad2a';
SELECT a.arch_idx, a.arch, round(c.accuracy::numeric, 2) AS accuracy
FROM help_accuracy c JOIN help_architectures a USING (space, arch_idx) WHERE (c.details ->> 'rank')::int = 1;

-- a second run changes nothing
CREATE TEMP TABLE fp AS SELECT pg_temp.fingerprint() AS before;
\set ECHO none
\i data/load.sql
\set ECHO all
\set ON_ERROR_STOP 0
SELECT before = pg_temp.fingerprint() AS second_load_changes_nothing FROM fp;

-- folders that contradict the stored rows or break a constraint are refused
-- whole (run in a separate psql: the loader stops on its first error)
\! rm -rf test/results/wf_bad && cp -r test/results/wf_data test/results/wf_bad && sed -i '2s/,[^,]*$/,99.5/' test/results/wf_bad/nasbench201/latency.csv
\! psql -X -q -v data=test/results/wf_bad -f data/load.sql < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //'
\! rm -rf test/results/wf_bad && cp -r test/results/wf_data test/results/wf_bad && printf 'new_device,0,0\n' >> test/results/wf_bad/nasbench201/latency.csv
\! psql -X -q -v data=test/results/wf_bad -f data/load.sql < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //'
\! rm -rf test/results/wf_bad && cp -r test/results/wf_data test/results/wf_bad && printf 'gold_6240,15624,3.5\n' >> test/results/wf_bad/nasbench201/latency.csv
\! psql -X -q -v data=test/results/wf_bad -f data/load.sql < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //'
\! rm -rf test/results/wf_bad && cp -r test/results/wf_data test/results/wf_bad && sed -i '1s/.*/device,arch,latency_ms/' test/results/wf_bad/nasbench201/latency.csv
\! psql -X -q -v data=test/results/wf_bad -f data/load.sql < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //'
-- (a changed checkpoint: nasbench201 loads, adding nothing; fbnet is refused)
\! rm -rf test/results/wf_bad && cp -r test/results/wf_data test/results/wf_bad && rm test/results/wf_bad/fbnet/help_checkpoint.json* && data/read.sh "$HELP_DATA/fbnet/help_checkpoint.json" | sed -e 's/"data"/"data" /' > test/results/wf_bad/fbnet/help_checkpoint.json
\! psql -X -q -v data=test/results/wf_bad -f data/load.sql < /dev/null 2>&1 | sed -e 's/^psql:[^ ]* //'
SELECT before = pg_temp.fingerprint() AS refused_loads_change_nothing FROM fp;

-- the tables reject impossible rows
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('gold_6240', 'nasbench201', 299, 0)$$) AS zero_latency;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('titanx_1', 'nasbench201', 1, -2)$$) AS negative_latency;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('titanx_1', 'nasbench201', 1, 'infinity')$$) AS infinite_latency;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('titanx_1', 'nasbench201', 1, 'NaN')$$) AS nan_latency;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('no_such_device', 'nasbench201', 1, 5)$$) AS unknown_device;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('titanx_1', 'nasbench201', 15624, 5)$$) AS unknown_architecture;
SELECT pg_temp.err($$INSERT INTO help_measurements VALUES ('gold_6240', 'nasbench201', 1, 5)$$) AS duplicate_measurement;
SELECT pg_temp.err($$INSERT INTO help_architectures (space, arch_idx, arch) VALUES ('nasbench201', 20000, '|conv~0|')$$) AS unencodable_architecture;
SELECT pg_temp.err($$INSERT INTO help_architectures (space, arch_idx, arch) VALUES ('darts', 1, 'x')$$) AS unknown_space;
SELECT pg_temp.err($$INSERT INTO help_reference_archs VALUES ('fbnet', 11, 1)$$) AS reference_position_11;
SELECT pg_temp.err($$INSERT INTO help_accuracy VALUES ('nasbench201', 1, 'cifar100', 'x', 101)$$) AS accuracy_over_100;
SELECT pg_temp.err($$INSERT INTO help_predictors (name, space, predictor) SELECT 'x', 'fbnet', predictor FROM help_predictors WHERE name = 'nasbench201/published'$$) AS predictor_of_other_space;
SELECT pg_temp.err($$INSERT INTO help_predictors (name, space, device, predictor) SELECT 'x', space, 'gold_6240', predictor FROM help_predictors WHERE name = 'nasbench201/published'$$) AS device_for_unadapted;
SELECT pg_temp.err($$INSERT INTO help_devices VALUES ('bad device')$$) AS bad_device_name;

-- step 1: a device's hardware embedding from its stored reference measurements
SELECT help_device_embedding('gold_6240', 'nasbench201')
     = help_embed_device(ARRAY(SELECT m.latency_ms FROM help_reference_archs r JOIN help_measurements m USING (space, arch_idx)
                               WHERE m.device = 'gold_6240' AND r.space = 'nasbench201' ORDER BY r.position)) AS embedding_from_reference;

-- step 2: adapt the published predictor to gold_6240 from 10 further
-- measurements and store it; the same as calling help_adapt on those rows
CREATE TEMP TABLE support AS
SELECT m.arch_idx FROM help_measurements m
WHERE m.device = 'gold_6240' AND m.space = 'nasbench201' AND m.arch_idx < 300
  AND m.arch_idx NOT IN (SELECT arch_idx FROM help_reference_archs WHERE space = 'nasbench201')
ORDER BY md5(m.arch_idx::text) LIMIT 10;
SELECT * FROM help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/gold_6240',
                                ARRAY(SELECT arch_idx FROM support), '{"seed": 1}');
SELECT name, space, device, provenance - 'support_arch_idx' AS provenance,
       jsonb_array_length(provenance -> 'support_arch_idx') AS support,
       help_predictor_info(predictor) #> '{adaptation,support_rows}' AS support_rows
FROM help_predictors WHERE device IS NOT NULL;
SELECT help_predictor_send(s.predictor) = help_predictor_send(d.p) AS same_as_help_adapt
FROM help_predictors s,
     (SELECT help_adapt(b.predictor, help_device_embedding('gold_6240', 'nasbench201'), a.encoding, m.latency_ms, '{"seed": 1}') AS p
      FROM help_predictors b, support u
      JOIN help_measurements m ON m.device = 'gold_6240' AND m.space = 'nasbench201' AND m.arch_idx = u.arch_idx
      JOIN help_architectures a ON a.space = m.space AND a.arch_idx = m.arch_idx
      WHERE b.name = 'nasbench201/published') d
WHERE s.name = 'nasbench201/gold_6240';

-- step 3: score the whole space: every architecture once, the same as
-- help_predict_latency (checked on a sample; batched scoring may differ in
-- the last bits), and ranked like the measurements
SELECT count(*) AS scored, count(DISTINCT s.arch_idx) AS distinct_archs,
       bool_and(s.arch = a.arch) AS arch_matches,
       bool_and(abs(s.latency_ms - help_predict_latency(p.predictor, a.encoding)) < 1e-5) FILTER (WHERE s.arch_idx % 7 = 0) AS same_as_predict,
       bool_and(abs(s.stddev_ms - help_predict_latency_stddev(p.predictor, a.encoding)) < 1e-5) FILTER (WHERE s.arch_idx % 7 = 0) AS same_as_stddev,
       bool_and(s.latency_ms > 0 AND s.stddev_ms >= 0) AS positive,
       help_spearman(s.latency_ms, m.latency_ms) > 0.8 AS spearman_above_0_8
FROM help_score('nasbench201/gold_6240') s
JOIN help_architectures a ON a.space = 'nasbench201' AND a.arch_idx = s.arch_idx
JOIN help_measurements m ON m.device = 'gold_6240' AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx,
     help_predictors p WHERE p.name = 'nasbench201/gold_6240';
SELECT (SELECT count(*) FROM help_architectures WHERE space = 'nasbench201') AS space_size;
SELECT arch_idx FROM help_score('nasbench201/gold_6240', '{7,3,5}') ORDER BY arch_idx;

-- step 4: latency-constrained NAS.  Over a grid of constraints from below
-- the fastest candidate to above the slowest, against a brute force over the
-- scored candidates: first with confidence 0 (the predicted latency meets
-- the constraint)
CREATE TEMP TABLE cand AS
SELECT s.*, c.accuracy
FROM help_score('nasbench201/gold_6240', ARRAY(SELECT arch_idx FROM help_accuracy WHERE space = 'nasbench201')) s
JOIN help_accuracy c ON c.space = 'nasbench201' AND c.arch_idx = s.arch_idx AND c.dataset = 'cifar100';
CREATE TEMP TABLE grid AS
SELECT lo - 1 + (hi - lo + 2) * g / 12.0 AS c FROM (SELECT min(latency_ms) AS lo, max(latency_ms) AS hi FROM cand) r, generate_series(0, 12) g;
CREATE TEMP TABLE nas AS
SELECT g.c, n.* FROM grid g LEFT JOIN LATERAL help_nas('nasbench201/gold_6240', g.c, confidence => 0) n ON true;
SELECT count(*) AS constraints,
       count(arch_idx) AS answered,
       bool_and(arch_idx IS NULL OR latency_ms <= c) AS constraint_holds,
       bool_and((arch_idx IS NOT NULL) = EXISTS (SELECT 1 FROM cand WHERE cand.latency_ms <= nas.c)) AS answered_iff_feasible,
       bool_and(NOT EXISTS (SELECT 1 FROM cand WHERE cand.latency_ms <= nas.c AND cand.accuracy > nas.accuracy)) AS none_more_accurate,
       bool_and(arch_idx IS NULL OR EXISTS (SELECT 1 FROM cand WHERE cand.arch_idx = nas.arch_idx AND abs(cand.latency_ms - nas.latency_ms) < 1e-5
                                                 AND cand.accuracy = nas.accuracy AND cand.arch = nas.arch)) AS candidate_as_scored,
       bool_and(arch_idx IS NULL OR measured_ms = (SELECT latency_ms FROM help_measurements m
                                                   WHERE m.device = 'gold_6240' AND m.space = 'nasbench201' AND m.arch_idx = nas.arch_idx)) AS measured_matches
FROM nas;
-- tighter constraints never give a more accurate answer
SELECT bool_and(a.accuracy <= b.accuracy) AS monotone
FROM nas a JOIN nas b ON a.c < b.c WHERE a.arch_idx IS NOT NULL;
-- then with the default confidence 0.9: every answer meets its constraint
-- with probability at least 0.9 (help_predict_probability, per row), no
-- candidate that does is more accurate, and the interval brackets the
-- prediction
CREATE TEMP TABLE cand_p AS
SELECT c.arch_idx, c.accuracy, g.c,
       help_predict_probability((SELECT predictor FROM help_predictors WHERE name = 'nasbench201/gold_6240'),
                                a.encoding, g.c) AS p
FROM cand c JOIN help_architectures a ON a.space = 'nasbench201' AND a.arch_idx = c.arch_idx, grid g;
CREATE TEMP TABLE nas90 AS
SELECT g.c, n.* FROM grid g LEFT JOIN LATERAL help_nas('nasbench201/gold_6240', g.c) n ON true;
SELECT count(arch_idx) AS answered,
       bool_and(arch_idx IS NULL OR p_meet >= 0.9) AS probability_holds,
       bool_and((arch_idx IS NOT NULL) = EXISTS (SELECT 1 FROM cand_p WHERE cand_p.c = nas90.c AND cand_p.p >= 0.9)) AS answered_iff_feasible,
       bool_and(NOT EXISTS (SELECT 1 FROM cand_p WHERE cand_p.c = nas90.c AND cand_p.p >= 0.9
                                                   AND cand_p.accuracy > nas90.accuracy)) AS none_more_accurate,
       bool_and(arch_idx IS NULL OR (lower_ms <= latency_ms AND latency_ms <= upper_ms)) AS interval_brackets
FROM nas90;
-- a higher confidence never gives a more accurate answer
SELECT bool_and(coalesce(h.accuracy, 0) <= coalesce(l.accuracy, 0)) AS confidence_monotone
FROM grid g
LEFT JOIN LATERAL help_nas('nasbench201/gold_6240', g.c, confidence => 0.5) l ON true
LEFT JOIN LATERAL help_nas('nasbench201/gold_6240', g.c, confidence => 0.95) h ON true;
-- the demo's query (demo/nas.sql), which is help_nas per constraint
SELECT c, arch_idx, round(accuracy::numeric, 2) AS accuracy, round(latency_ms::numeric, 2) AS predicted_ms,
       round(lower_ms::numeric, 2) AS lower_ms, round(upper_ms::numeric, 2) AS upper_ms,
       round(p_meet::numeric, 3) AS p_meet, round(measured_ms::numeric, 2) AS measured_ms
FROM unnest('{5,8,11,14}'::float8[]) c, help_nas('nasbench201/gold_6240', c) ORDER BY c;
\set predictor nasbench201/gold_6240
\set constraints {5,8,11,14}
\set ECHO none
\i demo/nas.sql
\set ECHO all
-- a dataset or source without candidates is an error (it is no answer to
-- a constraint); a constraint no candidate meets gives no row
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 100, 'imagenet')$$) AS no_imagenet_candidates;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 100, 'cifar100', 'nobody')$$) AS no_such_source;
SELECT count(*) AS below_every_candidate FROM help_nas('nasbench201/gold_6240', 0.5);
SELECT count(*) AS infinite_constraint FROM help_nas('nasbench201/gold_6240', 'infinity');

-- one's own device: a CSV of the reference measurements and 5 others
-- (here titanx_32's, 10% slower), loaded, adapted with the default support
\! (echo arch_idx,latency_ms; awk -F, '$1 == "titanx_32" && ($2 < 5 || $2 == 11982 || $2 == 431 || $2 == 55 || $2 == 9 || $2 == 14451 || $2 == 8636 || $2 == 9881 || $2 == 13479 || $2 == 6196 || $2 == 1462) { print $2 "," $3 * 1.1 }' test/results/wf_data/nasbench201/latency.csv) > test/results/my_device.csv
\set device my_device
\set space nasbench201
\set csv test/results/my_device.csv
\set ECHO none
\i data/load_device.sql
\i data/load_device.sql
\set ECHO all
\set ON_ERROR_STOP 0
SELECT * FROM help_adapt_device('nasbench201/published', 'my_device', 'nasbench201/my_device', options => '{"seed": 2}');
SELECT provenance -> 'support_arch_idx' AS support FROM help_predictors WHERE name = 'nasbench201/my_device';
SELECT help_spearman(s.latency_ms, m.latency_ms) > 0.8 AS ranks_like_titanx_32
FROM help_score('nasbench201/my_device') s
JOIN help_measurements m ON m.device = 'titanx_32' AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx;

-- errors
SELECT pg_temp.err($$SELECT help_device_embedding('no_such_device', 'nasbench201')$$) AS embedding_unknown_device;
SELECT pg_temp.err($$SELECT help_device_embedding('gold_6240', 'darts')$$) AS embedding_unknown_space;
SELECT pg_temp.err($$SELECT help_device_embedding('titanx_32', 'fbnet')$$) AS embedding_without_reference;
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'no_such_device', 'x')$$) AS adapt_unknown_device;
SELECT pg_temp.err($$SELECT help_adapt_device('no_such_predictor', 'gold_6240', 'x')$$) AS adapt_no_predictor;
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'my_device', 'x', '{0,1,5}')$$) AS adapt_unmeasured_support;
-- adapting again under the same name replaces the adapted predictor (the
-- normal loop: measure more, adapt again), unless replace => false; a
-- meta-trained predictor's name is never taken over
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/gold_6240', '{1,2,3}', replace => false)$$) AS adapt_name_taken;
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/published', '{1,2,3}')$$) AS adapt_over_meta_trained;
SELECT stored_as, support_rows FROM help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/again', '{1,2,3}');
-- (a fixed creation time, which the NOTICE of the replacement names)
UPDATE help_predictors SET created_at = '2026-01-01 00:00+00' WHERE name = 'nasbench201/again';
SELECT stored_as, support_rows FROM help_adapt_device('nasbench201/published', 'gold_6240', 'nasbench201/again', '{1,2,3,4}');
SELECT count(*) AS one_row, min(jsonb_array_length(provenance -> 'support_arch_idx')) AS support_rows
FROM help_predictors WHERE name = 'nasbench201/again';
DELETE FROM help_predictors WHERE name = 'nasbench201/again';
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'gold_6240', 'x', '{1,2,3}', '{"stepz": 3}')$$) AS adapt_bad_option;
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'gold_6240', 'x', '{1}')$$) AS adapt_one_row;
SELECT pg_temp.err($$SELECT help_adapt_device('nasbench201/published', 'gold_6240', NULL)$$) AS adapt_null_name;
SELECT pg_temp.err($$SELECT * FROM help_meta_train_space('nasbench201', 'x')$$) AS meta_train_without_meta_train_devices;
SELECT pg_temp.err($$SELECT * FROM help_meta_train_space('darts', 'x')$$) AS meta_train_unknown_space;
SELECT pg_temp.err($$SELECT * FROM help_score('no_such_predictor')$$) AS score_no_predictor;
SELECT pg_temp.err($$SELECT * FROM help_score('nasbench201/published')$$) AS score_not_adapted;
SELECT pg_temp.err($$SELECT * FROM help_score('nasbench201/gold_6240', '{7,3,999999,5}')$$) AS score_unknown_arch;
SELECT pg_temp.err($$SELECT * FROM help_score('nasbench201/gold_6240', level => 1)$$) AS score_level_one;
SELECT pg_temp.err($$SELECT * FROM help_score('nasbench201/gold_6240', level => 'NaN')$$) AS score_level_nan;
SELECT pg_temp.err($$SELECT * FROM help_score('nasbench201/gold_6240', level => NULL)$$) AS score_level_null;
SELECT pg_temp.err($$SELECT * FROM help_nas('no_such_predictor', 10)$$) AS nas_no_predictor;
SELECT pg_temp.err($$SELECT * FROM help_nas('fbnet/published', 10)$$) AS nas_not_adapted;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 'NaN')$$) AS nas_nan_constraint;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', NULL)$$) AS nas_null_constraint;
SELECT pg_temp.err($$SELECT * FROM help_nas(NULL, 10)$$) AS nas_null_predictor;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 10, confidence => 1)$$) AS nas_confidence_one;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 10, confidence => -0.1)$$) AS nas_confidence_negative;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 10, confidence => 'NaN')$$) AS nas_confidence_nan;
SELECT pg_temp.err($$SELECT * FROM help_nas('nasbench201/gold_6240', 10, confidence => NULL)$$) AS nas_confidence_null;
SELECT count(*) AS predictors FROM help_predictors;

-- the stored predictors, one readable line each (SELECT * FROM
-- help_predictors prints about 3 MB a row): published, adapted, and a
-- meta-trained one (0 episodes on the subset: its initial weights)
SET client_min_messages = warning;
INSERT INTO help_predictors (name, space, predictor, provenance)
SELECT 'nasbench201/untrained', 'nasbench201',
       help_meta_train(m.device, m.arch_idx, a.encoding, m.latency_ms,
                       jsonb_build_object('space', 'nasbench201', 'episodes', 0, 'tasks_per_episode', 1, 'train_pool', 200, 'query_pool', 50, 'query', 100,
                                          'valid_devices', '["titanx_32"]'::jsonb,
                                          'reference_archs', (SELECT jsonb_agg(arch_idx ORDER BY position)
                                                              FROM help_reference_archs WHERE space = 'nasbench201'))),
       '{"function": "help_meta_train"}'
FROM help_measurements m JOIN help_architectures a USING (space, arch_idx)
WHERE m.space = 'nasbench201' AND m.device IN ('gold_6240', 'titanx_32');
RESET client_min_messages;
SELECT name, space, device, created_at <= now() AS created, summary, size FROM help_predictor_list ORDER BY name;
SELECT max(octet_length(l::text)) < 300 AS short_lines FROM help_predictor_list l;

-- pg_dump keeps the rows: dumped (only the gold_6240 predictor is kept, to
-- keep the dump small) and restored into a fresh database, the same rows and
-- the same predictions, seen through a view restored with them
DELETE FROM help_predictors WHERE name <> 'nasbench201/gold_6240';
CREATE TABLE wf_saved AS SELECT arch_idx, latency_ms, stddev_ms FROM help_score('nasbench201/gold_6240');
CREATE VIEW wf_rows AS
SELECT (SELECT count(*) FROM help_measurements) AS measurements,
       md5((SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_devices t)
        || (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_device_splits t)
        || (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_architectures t)
        || (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_measurements t)
        || (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_reference_archs t)
        || (SELECT string_agg(t::text, ',' ORDER BY t::text) FROM help_accuracy t)
        || (SELECT string_agg(concat_ws(',', name, space, device, provenance), ',' ORDER BY name) FROM help_predictors)) AS rows,
       (SELECT count(*) FROM help_score('nasbench201/gold_6240') s JOIN wf_saved w USING (arch_idx)
        WHERE s.latency_ms = w.latency_ms AND s.stddev_ms = w.stddev_ms) AS same_predictions;
SELECT * FROM wf_rows;
\! pg_dump < /dev/null > test/results/wf_dump.sql
-- the extension's tables are dumped with their rows (the generated encoding
-- is left out and recomputed on restore)
\! grep '^COPY public.help_' test/results/wf_dump.sql | sed -e 's/ FROM stdin;//'
\! (dropdb --if-exists help_workflow_restore 2> /dev/null; createdb help_workflow_restore && psql -X -q -v ON_ERROR_STOP=1 -d help_workflow_restore -f test/results/wf_dump.sql > test/results/wf_restore.log 2>&1 && psql -X -d help_workflow_restore -c 'SELECT * FROM wf_rows'; dropdb help_workflow_restore) < /dev/null
