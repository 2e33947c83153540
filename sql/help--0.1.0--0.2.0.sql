-- help 0.1.0 -> 0.2.0 (ALTER EXTENSION help UPDATE)
\echo Use "ALTER EXTENSION help UPDATE" to load this file. \quit

-- Adaptation that transfers, intervals and probabilities, the choice of
-- architectures to measure (issues 11 and 12), the product's view and
-- comments (issue 13), measuring this machine (issue 14), search_path pinned in every SQL and PL/pgSQL
-- function and latencies bounded (issue 15).  Every definition below is as
-- sql/help.sql and sql/help_tables.sql of 0.2.0 give it: test/sql/upgrade.sql
-- checks that an updated install's catalog equals a fresh one's.

-- Aggregates that were parallel safe but not labelled so (ALTER AGGREGATE
-- cannot change the label; the catalog is updated as CREATE AGGREGATE would
-- have set it).
UPDATE pg_catalog.pg_proc SET proparallel = 's'
WHERE oid IN ('help_embed_device(int, float8)'::regprocedure,
              'help_adapt(help_predictor, real[], real[], float8)'::regprocedure,
              'help_adapt(help_predictor, real[], real[], float8, jsonb)'::regprocedure);

-- Intervals and probabilities

CREATE TYPE help_interval AS (latency_ms float8, lower_ms float8, upper_ms float8, stddev_ms float8);

CREATE FUNCTION help_predict_interval(predictor help_predictor, arch real[], level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_interval(predictor help_predictor, arch text, level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_probability(predictor help_predictor, arch real[], max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_probability(predictor help_predictor, arch text, max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_batch_interval(predictor help_predictor, arch real[], level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_batch_interval(predictor help_predictor, arch text, level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_batch_probability(predictor help_predictor, arch real[], max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_predict_batch_probability(predictor help_predictor, arch text, max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;

-- Which architectures to measure

CREATE FUNCTION help_suggest_transfn(internal, help_predictor, int, real[], boolean, int) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION help_suggest_finalfn(internal) RETURNS int[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE help_suggest(predictor help_predictor, arch_idx int, arch real[], measured boolean, n int) (
	SFUNC = help_suggest_transfn,
	STYPE = internal,
	FINALFUNC = help_suggest_finalfn,
	PARALLEL = SAFE
);

-- help_adapt_device, help_score and help_nas have new parameters: replaced.
DROP FUNCTION help_adapt_device(text, text, text, int[], jsonb);
DROP FUNCTION help_score(text, int[]);
DROP FUNCTION help_nas(text, float8, text, text);

-- Workflow functions: search_path pinned, parallel labels; help_device_embedding
-- is now help_embed_device(device, space), the old name a wrapper

CREATE OR REPLACE FUNCTION help_stored_predictor(name text) RETURNS help_predictors
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
DECLARE
	r help_predictors;
BEGIN
	SELECT * INTO r FROM help_predictors p WHERE p.name = help_stored_predictor.name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'help: no stored predictor named "%"', name
			USING ERRCODE = 'undefined_object',
			      HINT = 'See SELECT name, space, device FROM help_predictors; data/load.sql imports the published checkpoints.';
	END IF;
	RETURN r;
END $$;

CREATE OR REPLACE FUNCTION help_stored_adapted_predictor(name text) RETURNS help_predictors
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
DECLARE
	r help_predictors := help_stored_predictor(name);
BEGIN
	IF r.device IS NULL THEN
		RAISE EXCEPTION 'help: predictor "%" is not adapted to a device', name
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Adapt it first: SELECT * FROM help_adapt_device(predictor, device, new_name);';
	END IF;
	RETURN r;
END $$;

CREATE FUNCTION help_embed_device(device text, space text) RETURNS real[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
DECLARE
	missing int[];
	result real[];
BEGIN
	IF space NOT IN ('nasbench201', 'fbnet', 'ofa') THEN
		RAISE EXCEPTION 'help: unknown search space "%"', space
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Spaces: nasbench201, fbnet, ofa.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_devices d WHERE d.device = help_embed_device.device) THEN
		RAISE EXCEPTION 'help: unknown device "%"', device
			USING ERRCODE = 'undefined_object',
			      HINT = 'Load its measurements first (data/load_device.sql), or INSERT INTO help_devices.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_reference_archs r WHERE r.space = help_embed_device.space) THEN
		RAISE EXCEPTION 'help: no reference architectures stored for space %', space
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Load the space with data/load.sql.';
	END IF;
	SELECT array_agg(r.position ORDER BY r.position) INTO missing
	FROM help_reference_archs r
	WHERE r.space = help_embed_device.space
	  AND NOT EXISTS (SELECT 1 FROM help_measurements m
	                  WHERE m.device = help_embed_device.device AND m.space = r.space AND m.arch_idx = r.arch_idx);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'help: device "%" lacks measurements of % of the 10 % reference architectures', device, cardinality(missing), space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = format('Missing reference positions: %s.', array_to_string(missing, ', ')),
			      HINT = format('Measure them: SELECT position, arch_idx, arch FROM help_reference_archs JOIN help_architectures USING (space, arch_idx) WHERE space = %L;', space);
	END IF;
	SELECT help_embed_device(r.position, m.latency_ms) INTO result
	FROM help_reference_archs r
	JOIN help_measurements m ON m.space = r.space AND m.arch_idx = r.arch_idx
	WHERE r.space = help_embed_device.space AND m.device = help_embed_device.device;
	RETURN result;
END $$;

CREATE OR REPLACE FUNCTION help_device_embedding(device text, space text) RETURNS real[]
LANGUAGE sql STABLE STRICT PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp
AS $$ SELECT help_embed_device(device, space) $$;

CREATE FUNCTION help_adapt_device(base text, device text, name text, support int[] DEFAULT NULL, options jsonb DEFAULT NULL,
                                  replace boolean DEFAULT true,
                                  OUT stored_as text, OUT space text, OUT support_rows int)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
#variable_conflict use_variable
DECLARE
	b help_predictors;
	old help_predictors;
	hw real[];
	measured int;
	missing int[];
	chosen int[];
	default_cap constant int := 100;
BEGIN
	IF base IS NULL OR device IS NULL OR name IS NULL OR replace IS NULL THEN
		RAISE EXCEPTION 'help: base predictor, device, name and replace must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	b := help_stored_predictor(base);
	space := b.space;
	hw := help_embed_device(device, space);

	-- Adaptations under one name take turns (until the transaction ends):
	-- two that both found no predictor there, or both saw one that the other
	-- then replaced, would both insert, and one would fail on the key.
	PERFORM pg_advisory_xact_lock(hashtextextended('help_adapt_device ' || name, 0));

	-- an existing name: an adapted predictor is replaced (unless replace is
	-- false); a meta-trained one never is, since it cannot be recomputed
	SELECT * INTO old FROM help_predictors p WHERE p.name = help_adapt_device.name FOR UPDATE;
	IF FOUND THEN
		IF old.device IS NULL THEN
			RAISE EXCEPTION 'help: "%" is the name of a meta-trained predictor; it is not replaced by an adapted one', name
				USING ERRCODE = 'duplicate_object',
				      HINT = 'Store the adapted predictor under another name, e.g. ' || quote_literal(space || '/' || device) || '.';
		ELSIF NOT replace THEN
			RAISE EXCEPTION 'help: a predictor named "%" is already stored (adapted to %)', name, old.device
				USING ERRCODE = 'duplicate_object',
				      HINT = 'Pass replace => true to replace it, or choose another name.';
		END IF;
	END IF;

	IF support IS NOT NULL THEN
		SELECT array_agg(s.i ORDER BY s.i) INTO missing
		FROM unnest(support) s(i)
		WHERE NOT EXISTS (SELECT 1 FROM help_measurements m
		                  WHERE m.device = help_adapt_device.device AND m.space = b.space AND m.arch_idx = s.i);
		IF missing IS NOT NULL THEN
			RAISE EXCEPTION 'help: device "%" has no % measurement of % of the requested support architectures', device, space, cardinality(missing)
				USING ERRCODE = 'object_not_in_prerequisite_state',
				      DETAIL = format('Unmeasured arch_idx: %s.', array_to_string(missing[1:20], ', '));
		END IF;
		chosen := support;
	ELSE
		-- the default support: every stored measurement of the device in the
		-- space (the reference ones too: they span the device's range), or,
		-- for a device measured on more than default_cap architectures (a
		-- dataset device), its reference measurements and others in md5
		-- order up to default_cap: adapting on thousands adds little and
		-- makes the stored predictor megabytes long
		SELECT count(*) INTO measured FROM help_measurements m
		WHERE m.device = help_adapt_device.device AND m.space = b.space;
		IF measured > default_cap THEN
			SELECT array_agg(arch_idx) INTO chosen FROM (
				SELECT m.arch_idx FROM help_measurements m
				LEFT JOIN help_reference_archs r ON r.space = m.space AND r.arch_idx = m.arch_idx
				WHERE m.device = help_adapt_device.device AND m.space = b.space
				ORDER BY r.position IS NULL, md5(m.arch_idx::text), m.arch_idx
				LIMIT default_cap) c;
			RAISE NOTICE 'help: device "%" has % % measurements; adapting on % of them (its reference architectures, then others in md5 order of arch_idx)', device, measured, space, default_cap
				USING HINT = 'Pass support => ARRAY[...] to choose them.';
		END IF;
	END IF;

	IF old.name IS NOT NULL THEN
		DELETE FROM help_predictors p WHERE p.name = help_adapt_device.name;
		RAISE NOTICE 'help: replacing the stored predictor "%" (adapted to %, created %)', name, old.device, old.created_at;
	END IF;
	INSERT INTO help_predictors (name, space, device, predictor, provenance)
	SELECT name, b.space, device,
	       help_adapt(b.predictor, hw, a.encoding, m.latency_ms, options),
	       jsonb_build_object('base', base, 'device', device, 'support_arch_idx', array_agg(m.arch_idx ORDER BY m.arch_idx),
	                          'options', options, 'embedding', 'reference measurements', 'function', 'help_adapt_device')
	FROM help_measurements m
	JOIN help_architectures a ON a.space = m.space AND a.arch_idx = m.arch_idx
	WHERE m.device = help_adapt_device.device AND m.space = b.space
	  AND (chosen IS NULL OR m.arch_idx = ANY (chosen))
	HAVING count(*) >= 2
	RETURNING help_predictors.name, jsonb_array_length(provenance -> 'support_arch_idx') INTO stored_as, support_rows;
	IF support_rows IS NULL THEN
		RAISE EXCEPTION 'help: device "%" has fewer than 2 % measurements to adapt from', device, space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'The 10 reference measurements and about 10 further ones are enough.';
	END IF;
END $$;

CREATE OR REPLACE FUNCTION help_meta_train_space(space text, name text, options jsonb DEFAULT '{}',
                                      OUT stored_as text, OUT train_devices int, OUT valid_devices int,
                                      OUT best_episode int, OUT valid_spearman float8)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
#variable_conflict use_variable
DECLARE
	opts jsonb;
	p help_predictor;
	info jsonb;
BEGIN
	IF space IS NULL OR name IS NULL THEN
		RAISE EXCEPTION 'help: space and name must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF space NOT IN ('nasbench201', 'fbnet', 'ofa') THEN
		RAISE EXCEPTION 'help: unknown search space "%"', space
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Search spaces are nasbench201, fbnet and ofa.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_device_splits s JOIN help_measurements m USING (space, device)
	               WHERE s.space = help_meta_train_space.space AND s.split = 'meta_train') THEN
		RAISE EXCEPTION 'help: no measurements of meta_train devices stored for space %', space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'help_device_splits names the meta_train devices; data/load.sql loads them with their measurements.';
	END IF;
	IF (SELECT count(*) FROM help_reference_archs r WHERE r.space = help_meta_train_space.space) <> 10 THEN
		RAISE EXCEPTION 'help: the 10 reference architectures of space % are not stored', space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Load the space first: psql -v data=... -f data/load.sql';
	END IF;
	-- defaults from the tables; the caller's options win
	opts := jsonb_build_object(
	            'space', space,
	            'reference_archs', (SELECT jsonb_agg(r.arch_idx ORDER BY r.position)
	                                FROM help_reference_archs r WHERE r.space = help_meta_train_space.space),
	            'valid_devices', (SELECT coalesce(jsonb_agg(s.device ORDER BY s.device), '[]')
	                              FROM help_device_splits s
	                              WHERE s.space = help_meta_train_space.space AND s.split = 'meta_valid'
	                                AND EXISTS (SELECT 1 FROM help_measurements m
	                                            WHERE m.device = s.device AND m.space = s.space)))
	        || coalesce(options, '{}');
	SELECT help_meta_train(m.device, m.arch_idx, a.encoding, m.latency_ms, opts) INTO p
	FROM help_measurements m
	JOIN help_architectures a ON a.space = m.space AND a.arch_idx = m.arch_idx
	JOIN help_device_splits s ON s.space = m.space AND s.device = m.device
	WHERE m.space = help_meta_train_space.space
	  AND (s.split = 'meta_train' OR m.device IN (SELECT jsonb_array_elements_text(opts -> 'valid_devices')));
	info := help_predictor_info(p) -> 'provenance';
	INSERT INTO help_predictors (name, space, predictor, provenance)
	VALUES (name, space, p, jsonb_build_object('function', 'help_meta_train_space') || info);
	stored_as := name;
	train_devices := jsonb_array_length(info -> 'train_devices');
	valid_devices := jsonb_array_length(opts -> 'valid_devices');
	best_episode := (info ->> 'best_episode')::int;
	valid_spearman := (info ->> 'valid_spearman_mean')::float8;
END $$;

CREATE FUNCTION help_score(predictor text, subset int[] DEFAULT NULL, level float8 DEFAULT 0.9)
RETURNS TABLE (arch_idx int, arch text, latency_ms float8, stddev_ms float8, lower_ms float8, upper_ms float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p help_predictors;
	unknown int[];
BEGIN
	IF predictor IS NULL THEN
		RAISE EXCEPTION 'help: the predictor name must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF level IS NULL OR level = 'NaN' OR level <= 0 OR level >= 1 THEN
		RAISE EXCEPTION 'help: the interval''s level must be between 0 and 1 (exclusive), not %', coalesce(level::text, 'NULL')
			USING ERRCODE = CASE WHEN level IS NULL THEN 'null_value_not_allowed' ELSE 'invalid_parameter_value' END;
	END IF;
	p := help_stored_adapted_predictor(predictor);
	IF subset IS NOT NULL THEN
		SELECT array_agg(DISTINCT s.i ORDER BY s.i) INTO unknown
		FROM unnest(subset) s(i)
		WHERE s.i IS NULL OR NOT EXISTS (SELECT 1 FROM help_architectures a WHERE a.space = p.space AND a.arch_idx = s.i);
		IF unknown IS NOT NULL THEN
			RAISE EXCEPTION 'help: % of the requested arch_idx are not architectures of space %', cardinality(unknown), p.space
				USING ERRCODE = 'invalid_parameter_value',
				      DETAIL = format('Unknown arch_idx: %s.', array_to_string(unknown[1:20], ', ', 'NULL'));
		END IF;
	END IF;
	-- The predictor enters as a parameter, not as a column: a window
	-- function's input rows are stored, and a 1 MB predictor in each of them
	-- would be copied once per architecture.
	RETURN QUERY
	SELECT s.arch_idx, s.arch, (s.i).latency_ms, (s.i).stddev_ms, (s.i).lower_ms, (s.i).upper_ms
	FROM (SELECT a.arch_idx, a.arch,
	             help_predict_batch_interval(p.predictor, a.encoding, level) OVER () AS i
	      FROM help_architectures a
	      WHERE a.space = p.space AND (subset IS NULL OR a.arch_idx = ANY (subset))) s;
END $$;

CREATE FUNCTION help_nas(predictor text, max_latency_ms float8, dataset text DEFAULT 'cifar100', source text DEFAULT NULL,
                         confidence float8 DEFAULT 0.9)
RETURNS TABLE (arch_idx int, arch text, accuracy float8, latency_ms float8, stddev_ms float8, measured_ms float8,
               lower_ms float8, upper_ms float8, p_meet float8)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p help_predictors;
	available text;
BEGIN
	IF predictor IS NULL THEN
		RAISE EXCEPTION 'help: the predictor name must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF max_latency_ms IS NULL OR max_latency_ms = 'NaN' THEN
		RAISE EXCEPTION 'help: the latency constraint must be a number of milliseconds, not %', coalesce(max_latency_ms::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF confidence IS NULL OR confidence = 'NaN' OR confidence < 0 OR confidence >= 1 THEN
		RAISE EXCEPTION 'help: confidence must be at least 0 and below 1, not %', coalesce(confidence::text, 'NULL')
			USING ERRCODE = CASE WHEN confidence IS NULL THEN 'null_value_not_allowed' ELSE 'invalid_parameter_value' END,
			      HINT = '0.9 picks among the candidates that meet the budget with probability 0.9 or more; 0 compares the predicted latency with the budget.';
	END IF;
	p := help_stored_adapted_predictor(predictor);
	IF NOT EXISTS (SELECT 1 FROM help_accuracy c
	               WHERE c.space = p.space AND c.dataset = help_nas.dataset
	                 AND (help_nas.source IS NULL OR c.source = help_nas.source)) THEN
		SELECT string_agg(DISTINCT format('%s/%s', c.dataset, c.source), ', ') INTO available
		FROM help_accuracy c WHERE c.space = p.space;
		RAISE EXCEPTION 'help: no candidates in help_accuracy for space %, dataset "%"%', p.space, dataset,
		                CASE WHEN source IS NULL THEN '' ELSE format(', source "%s"', source) END
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = coalesce('Stored dataset/source pairs of this space: ' || available || '.',
			                      'help_accuracy holds no candidates of this space; data/load.sql loads the MetaD2A ones.');
	END IF;
	RETURN QUERY
	WITH candidates AS (
		SELECT c.arch_idx, max(c.accuracy) AS accuracy
		FROM help_accuracy c
		WHERE c.space = p.space AND c.dataset = help_nas.dataset
		  AND (help_nas.source IS NULL OR c.source = help_nas.source)
		GROUP BY c.arch_idx
	), scored AS MATERIALIZED (
		SELECT a.arch_idx, a.arch, c.accuracy,
		       help_predict_batch_interval(p.predictor, a.encoding, 0.9) OVER () AS i,
		       help_predict_batch_probability(p.predictor, a.encoding, max_latency_ms) OVER () AS p_meet
		FROM candidates c JOIN help_architectures a ON a.space = p.space AND a.arch_idx = c.arch_idx
	)
	SELECT s.arch_idx, s.arch, s.accuracy, (s.i).latency_ms, (s.i).stddev_ms, m.latency_ms,
	       (s.i).lower_ms, (s.i).upper_ms, s.p_meet
	FROM scored s
	LEFT JOIN help_measurements m ON m.device = p.device AND m.space = p.space AND m.arch_idx = s.arch_idx
	WHERE CASE WHEN confidence = 0 THEN (s.i).latency_ms <= max_latency_ms ELSE s.p_meet >= confidence END
	ORDER BY s.accuracy DESC, (s.i).latency_ms, s.arch_idx
	LIMIT 1;
END $$;

CREATE FUNCTION help_suggest_measurements(space text, n int, predictor text DEFAULT NULL)
RETURNS TABLE (arch_idx int, arch text)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, @extschema@, pg_temp AS $$
#variable_conflict use_column
DECLARE
	p help_predictors;
	picks int[];
BEGIN
	IF space IS NULL OR n IS NULL THEN
		RAISE EXCEPTION 'help: space and n must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF space NOT IN ('nasbench201', 'fbnet', 'ofa') THEN
		RAISE EXCEPTION 'help: unknown search space "%"', space
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Spaces: nasbench201, fbnet, ofa.';
	END IF;
	IF n < 1 OR n > 10000 THEN
		RAISE EXCEPTION 'help: n must be between 1 and 10000, not %', n
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF predictor IS NOT NULL THEN
		p := help_stored_adapted_predictor(predictor);
		IF p.space <> space THEN
			RAISE EXCEPTION 'help: predictor "%" is a % predictor, not %', predictor, p.space, space
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_architectures a WHERE a.space = help_suggest_measurements.space) THEN
		RAISE EXCEPTION 'help: no architectures stored for space %', space
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Load the space with data/load.sql.';
	END IF;
	-- measured: the reference architectures (a device's first 10
	-- measurements) and everything the predictor's device has measured
	SELECT help_suggest(p.predictor, a.arch_idx, a.encoding,
	                    EXISTS (SELECT 1 FROM help_reference_archs r
	                            WHERE r.space = a.space AND r.arch_idx = a.arch_idx)
	                    OR EXISTS (SELECT 1 FROM help_measurements m
	                               WHERE m.device = p.device AND m.space = a.space AND m.arch_idx = a.arch_idx),
	                    n)
	INTO picks
	FROM help_architectures a WHERE a.space = help_suggest_measurements.space;
	RETURN QUERY
	SELECT a.arch_idx, a.arch
	FROM unnest(picks) WITH ORDINALITY s(arch_idx, k)
	JOIN help_architectures a ON a.space = help_suggest_measurements.space AND a.arch_idx = s.arch_idx
	ORDER BY s.k;
END $$;

-- Measuring this machine -------------------------------------------------------

-- VOLATILE: every call measures anew; PARALLEL UNSAFE: a measurement in a
-- parallel worker would run beside the other workers and time them too.
CREATE FUNCTION help_measure_host(arch text, batch int DEFAULT 1, runs int DEFAULT 20) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION help_measure_host(text, int, int) IS
	'Latency (ms) of NAS-Bench-201''s network for a cell string on this machine, at batch images (1..64), one thread: the median of runs (1..1000) quiet forward passes, by thread CPU time';

CREATE FUNCTION help_measure_host_detail(arch text, batch int DEFAULT 1, runs int DEFAULT 20,
                                         OUT latency_ms float8, OUT min_ms float8, OUT max_ms float8,
                                         OUT quiet_runs int, OUT timed_runs int, OUT warmup_runs int,
                                         OUT quiet boolean)
	AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION help_measure_host_detail(text, int, int) IS
	'help_measure_host''s measurement with its spread: latency_ms (the median of the quiet passes), the fastest and slowest timed pass, how many passes were quiet, timed and warm-up, and whether runs quiet passes were found';

CREATE FUNCTION help_host_cpu() RETURNS text
	AS 'MODULE_PATHNAME' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_host_cpu() IS
	'The CPU of the machine the database runs on (model name, family and model, number of CPUs, from the server''s /proc/cpuinfo), for the description of a device measured with help_measure_host';

-- The stored predictors, one readable line each

CREATE VIEW help_predictor_list AS
SELECT p.name, p.space, p.device, p.created_at,
       CASE
       WHEN i -> 'adapted' = 'true' THEN
           format('adapted to %s from %s: %s support rows, %s draws, seed %s',
                  p.device, coalesce(p.provenance ->> 'base', 'a meta-trained predictor'),
                  i #>> '{adaptation,support_rows}', i #>> '{adaptation,mc_samples}', i #>> '{adaptation,seed}')
       WHEN i #>> '{provenance,source}' = 'checkpoint' THEN
           'published checkpoint' || coalesce(', episode ' || (i #>> '{provenance,episode}'), '')
       WHEN i #>> '{provenance,source}' = 'help_meta_train' THEN
           format('meta-trained on %s devices, %s episodes, best %s (mean valid Spearman %s)',
                  jsonb_array_length(i #> '{provenance,train_devices}'), i #>> '{provenance,episodes_done}',
                  i #>> '{provenance,best_episode}', i #>> '{provenance,valid_spearman_mean}')
       ELSE coalesce(i #>> '{provenance,source}', 'unknown origin')
       END AS summary,
       pg_size_pretty((i ->> 'size_bytes')::bigint) AS size
FROM help_predictors p
CROSS JOIN LATERAL help_predictor_info(p.predictor) i;

-- Measured latencies lie between 1e-6 and 1e7 ms.  Stored rows outside
-- that range stop the update with their count, so that nothing is changed
-- until they are corrected.
ALTER TABLE help_measurements DROP CONSTRAINT help_measurements_latency_positive_finite;
ALTER TABLE help_measurements ADD CONSTRAINT help_measurements_latency_in_range
	CHECK (latency_ms >= 1e-6 AND latency_ms <= 1e7) NOT VALID;
DO $$
BEGIN
	ALTER TABLE @extschema@.help_measurements VALIDATE CONSTRAINT help_measurements_latency_in_range;
EXCEPTION WHEN check_violation THEN
	RAISE EXCEPTION 'help: % stored measurements lie outside 1e-6 .. 1e7 ms',
		(SELECT count(*) FROM @extschema@.help_measurements WHERE NOT (latency_ms >= 1e-6 AND latency_ms <= 1e7))
		USING ERRCODE = 'check_violation',
		      HINT = 'Correct or delete them (SELECT * FROM help_measurements WHERE NOT (latency_ms >= 1e-6 AND latency_ms <= 1e7)), then run ALTER EXTENSION help UPDATE again.';
END $$;

-- Comments: every object's and column's, as 0.2.0 has them (those that did
-- not change are set again to the same text).

COMMENT ON FUNCTION help_predictor_in(cstring) IS
	'Input function of help_predictor: its JSON text form (the checkpoint''s tensor layout), validated';

COMMENT ON FUNCTION help_predictor_out(help_predictor) IS
	'Output function of help_predictor: its JSON text form, which reads back bit for bit';

COMMENT ON FUNCTION help_predictor_recv(internal) IS
	'Binary input function of help_predictor (COPY BINARY, drivers), validated as strictly as the text form';

COMMENT ON FUNCTION help_predictor_send(help_predictor) IS
	'Binary output function of help_predictor';

COMMENT ON TYPE help_predictor IS
	'A HELP latency predictor: weights, Meta-SGD inner learning rates, inference network, and (once adapted) one device''s support set';

COMMENT ON FUNCTION help_predictor_from_checkpoint(jsonb) IS
	'Import a help_checkpoint.json (the HELP authors'' published weights)';

COMMENT ON FUNCTION help_predictor_info(help_predictor) IS
	'Search space, network kind, layer sizes, parameter counts, adaptation and provenance of a predictor';

COMMENT ON FUNCTION help_encode(text, text) IS
	'Encode an architecture given in its search space''s native notation';

COMMENT ON FUNCTION help_embed_device(float8[]) IS
	'Hardware embedding from a device''s latencies on the 10 reference architectures, in reference order';

COMMENT ON FUNCTION help_embed_device_transfn(internal, int, float8) IS
	'Internal: transition function of the help_embed_device aggregate (collects the reference latencies by position)';

COMMENT ON FUNCTION help_embed_device_finalfn(internal) IS
	'Internal: final function of the help_embed_device aggregate (the 10 positions, min-max scaled)';

COMMENT ON AGGREGATE help_embed_device(int, float8) IS
	'Hardware embedding from (reference position 1..10, latency) rows in any order';

COMMENT ON FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8) IS
	'Internal: transition function of the help_adapt aggregate (collects the support rows)';

COMMENT ON FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8, jsonb) IS
	'Internal: transition function of the help_adapt aggregate with options (collects the support rows)';

COMMENT ON FUNCTION help_adapt_finalfn(internal) IS
	'Internal: final function of the help_adapt aggregate (adapts and returns the adapted predictor)';

COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8) IS
	'Adapt a meta-trained predictor to a device from its support measurements (method transfer, steps 2, mc_samples 10, seed 0)';

COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8, jsonb) IS
	'Adapt a meta-trained predictor to a device; options {"method", "steps", "mc_samples", "seed", "latency_range"}';

COMMENT ON FUNCTION help_predict_latency(help_predictor, real[]) IS
	'Predicted latency (ms) of an encoded architecture on the device the predictor is adapted to';

COMMENT ON FUNCTION help_predict_latency(help_predictor, text) IS
	'Predicted latency (ms) of an architecture in native notation';

COMMENT ON FUNCTION help_predict_latency_stddev(help_predictor, real[]) IS
	'Spread (sample standard deviation, ms) of HELP''s prediction across the modulator draws: not an error bar (see help_predict_interval)';

COMMENT ON FUNCTION help_predict_latency_stddev(help_predictor, text) IS
	'Spread (ms) of the prediction of an architecture in native notation';

COMMENT ON FUNCTION help_predict_batch(help_predictor, real[]) IS
	'Window function: help_predict_latency for every row of the partition, scored in batches (one predictor per partition)';

COMMENT ON FUNCTION help_predict_batch(help_predictor, text) IS
	'Window function: help_predict_latency of architectures in native notation, scored in batches';

COMMENT ON FUNCTION help_predict_batch_stddev(help_predictor, real[]) IS
	'Window function: help_predict_latency_stddev for every row of the partition, scored in batches';

COMMENT ON FUNCTION help_predict_batch_stddev(help_predictor, text) IS
	'Window function: help_predict_latency_stddev of architectures in native notation, scored in batches';

COMMENT ON TYPE help_prediction IS
	'A predicted latency and its spread across the modulator draws, both in ms';

COMMENT ON FUNCTION help_predict_batch_with_stddev(help_predictor, real[]) IS
	'Window function: latency and spread (ms) of every row of the partition from one batched scoring';

COMMENT ON FUNCTION help_predict_batch_with_stddev(help_predictor, text) IS
	'Window function: latency and spread (ms) of architectures in native notation from one batched scoring';

COMMENT ON TYPE help_interval IS
	'A predicted latency (ms) with the bounds of its prediction interval (ms) and the spread of HELP''s modulator draws (stddev_ms, not an error bar)';

COMMENT ON FUNCTION help_predict_interval(help_predictor, real[], float8) IS
	'Predicted latency of an encoded architecture with its prediction interval at level (default 0.9: the measured latency lies inside for about 90% of architectures)';

COMMENT ON FUNCTION help_predict_interval(help_predictor, text, float8) IS
	'Predicted latency of an architecture in native notation with its prediction interval at level (default 0.9)';

COMMENT ON FUNCTION help_predict_probability(help_predictor, real[], float8) IS
	'Probability that an encoded architecture''s latency on the predictor''s device is at most max_latency_ms';

COMMENT ON FUNCTION help_predict_probability(help_predictor, text, float8) IS
	'Probability that an architecture''s latency (native notation) on the predictor''s device is at most max_latency_ms';

COMMENT ON FUNCTION help_predict_batch_interval(help_predictor, real[], float8) IS
	'Window function: help_predict_interval of every row of the partition, scored in batches';

COMMENT ON FUNCTION help_predict_batch_interval(help_predictor, text, float8) IS
	'Window function: help_predict_interval of architectures in native notation, scored in batches';

COMMENT ON FUNCTION help_predict_batch_probability(help_predictor, real[], float8) IS
	'Window function: help_predict_probability of every row of the partition, scored in batches';

COMMENT ON FUNCTION help_predict_batch_probability(help_predictor, text, float8) IS
	'Window function: help_predict_probability of architectures in native notation, scored in batches';

COMMENT ON FUNCTION help_suggest_transfn(internal, help_predictor, int, real[], boolean, int) IS
	'Internal: transition function of the help_suggest aggregate (collects the measured and candidate architectures)';

COMMENT ON FUNCTION help_suggest_finalfn(internal) IS
	'Internal: final function of the help_suggest aggregate (chooses the n architectures to measure next)';

COMMENT ON AGGREGATE help_suggest(help_predictor, int, real[], boolean, int) IS
	'The arch_idx of the n not-yet-measured architectures to measure next on the device of an adapted predictor (NULL: default prior), in the order chosen';

COMMENT ON FUNCTION help_rank_transfn(internal, float8, float8) IS
	'Internal: transition function of help_spearman and help_kendall (collects the pairs)';

COMMENT ON FUNCTION help_rank_combinefn(internal, internal) IS
	'Internal: combine function of help_spearman and help_kendall (merges partial states of a parallel plan)';

COMMENT ON FUNCTION help_rank_serialfn(internal) IS
	'Internal: serialization function of help_spearman and help_kendall (state to bytea for parallel workers)';

COMMENT ON FUNCTION help_rank_deserialfn(bytea, internal) IS
	'Internal: deserialization function of help_spearman and help_kendall';

COMMENT ON FUNCTION help_spearman_finalfn(internal) IS
	'Internal: final function of help_spearman (Spearman''s rho with average ranks for ties)';

COMMENT ON FUNCTION help_kendall_finalfn(internal) IS
	'Internal: final function of help_kendall (Kendall''s tau-b)';

COMMENT ON AGGREGATE help_spearman(float8, float8) IS
	'Spearman rank correlation (average ranks for ties); NULL when undefined';

COMMENT ON AGGREGATE help_kendall(float8, float8) IS
	'Kendall rank correlation tau-b; NULL when undefined';

COMMENT ON FUNCTION help_meta_train_transfn(internal, text, int, real[], float8, jsonb) IS
	'Internal: transition function of the help_meta_train aggregate (collects each device''s measurements)';

COMMENT ON FUNCTION help_meta_train_finalfn(internal) IS
	'Internal: final function of the help_meta_train aggregate (meta-trains and returns the best predictor)';

COMMENT ON AGGREGATE help_meta_train(text, int, real[], float8, jsonb) IS
	'Meta-train a predictor (docs/method.md, section 6) from many devices'' measurements; options {"space", "reference_archs", "valid_devices", "episodes", ...}';

COMMENT ON TABLE help_devices IS
	'Hardware devices (e.g. gold_6240, titanx_32: batch size after the last underscore where there is one)';

COMMENT ON COLUMN help_devices.device IS
	'Device name: letters, digits, _ . -; the batch size after the last underscore where there is one (titanx_32)';

COMMENT ON COLUMN help_devices.description IS
	'Free text about the device (optional)';

COMMENT ON TABLE help_device_splits IS
	'The HELP paper''s meta_train / meta_valid / meta_test device split, per search space';

COMMENT ON COLUMN help_device_splits.space IS
	'Search space: nasbench201, fbnet or ofa';

COMMENT ON COLUMN help_device_splits.device IS
	'The device (help_devices)';

COMMENT ON COLUMN help_device_splits.split IS
	'meta_train (meta-trained on), meta_valid (model selection) or meta_test (held back, unseen)';

COMMENT ON TABLE help_architectures IS
	'Architectures of a search space: index, native notation (cell string, fbnet op indices, ofa JSON) and its help_encode encoding';

COMMENT ON COLUMN help_architectures.space IS
	'Search space: nasbench201, fbnet or ofa';

COMMENT ON COLUMN help_architectures.arch_idx IS
	'Index of the architecture in its space (NAS-Bench-201: its NAS-Bench-201 index)';

COMMENT ON COLUMN help_architectures.arch IS
	'The architecture in the space''s native notation: NAS-Bench-201 cell string, FBNet op indices, OFA JSON';

COMMENT ON COLUMN help_architectures.encoding IS
	'help_encode(space, arch), computed on insert';

COMMENT ON TABLE help_measurements IS
	'Measured inference latency (ms) of an architecture on a device; one measurement per device and architecture';

COMMENT ON COLUMN help_measurements.device IS
	'The device measured (help_devices)';

COMMENT ON COLUMN help_measurements.space IS
	'Search space of the architecture';

COMMENT ON COLUMN help_measurements.arch_idx IS
	'The architecture measured (help_architectures)';

COMMENT ON COLUMN help_measurements.latency_ms IS
	'Measured inference latency in milliseconds (positive, finite)';

COMMENT ON TABLE help_reference_archs IS
	'The 10 reference architectures of a search space, in order: a device''s latencies on them form its hardware embedding';

COMMENT ON COLUMN help_reference_archs.space IS
	'Search space';

COMMENT ON COLUMN help_reference_archs.position IS
	'Position 1..10 in the hardware embedding';

COMMENT ON COLUMN help_reference_archs.arch_idx IS
	'The reference architecture at that position (help_architectures)';

COMMENT ON TABLE help_predictors IS
	'Stored predictors by name: meta-trained ones (device NULL) and ones adapted to a device';

COMMENT ON COLUMN help_predictors.name IS
	'Name the workflow functions take (e.g. nasbench201/published, nasbench201/gold_6240)';

COMMENT ON COLUMN help_predictors.space IS
	'Search space of the predictor (must match the predictor''s own)';

COMMENT ON COLUMN help_predictors.device IS
	'The device it is adapted to; NULL for a meta-trained predictor';

COMMENT ON COLUMN help_predictors.predictor IS
	'The predictor value (help_predictor_info describes it; help_predictor_list lists them readably)';

COMMENT ON COLUMN help_predictors.created_at IS
	'When it was stored';

COMMENT ON COLUMN help_predictors.provenance IS
	'Where it comes from: checkpoint file and md5, or base predictor, device, support arch_idx and options';

COMMENT ON TABLE help_accuracy IS
	'Test accuracy (%) of an architecture on a dataset, by source (e.g. metad2a: the MetaD2A candidates); the NAS candidates';

COMMENT ON COLUMN help_accuracy.space IS
	'Search space';

COMMENT ON COLUMN help_accuracy.arch_idx IS
	'The architecture (help_architectures)';

COMMENT ON COLUMN help_accuracy.dataset IS
	'Dataset the accuracy is measured on (e.g. cifar100)';

COMMENT ON COLUMN help_accuracy.source IS
	'Where the row comes from (e.g. metad2a: the MetaD2A candidates)';

COMMENT ON COLUMN help_accuracy.accuracy IS
	'Test accuracy in percent';

COMMENT ON COLUMN help_accuracy.details IS
	'Anything else the source gives (MetaD2A: rank and score)';

COMMENT ON VIEW help_predictor_list IS
	'The stored predictors, one short line each: name, space, device (adapted ones), created_at, where it comes from, size';

COMMENT ON COLUMN help_predictor_list.name IS
	'Name of the stored predictor';

COMMENT ON COLUMN help_predictor_list.space IS
	'Its search space';

COMMENT ON COLUMN help_predictor_list.device IS
	'The device it is adapted to; NULL for a meta-trained one';

COMMENT ON COLUMN help_predictor_list.created_at IS
	'When it was stored';

COMMENT ON COLUMN help_predictor_list.summary IS
	'Where it comes from: published checkpoint, meta-training, or adaptation (base, support rows, draws, seed)';

COMMENT ON COLUMN help_predictor_list.size IS
	'Size of the stored value';

COMMENT ON FUNCTION help_stored_predictor(text) IS
	'The help_predictors row of that name; error 42704 when there is none';

COMMENT ON FUNCTION help_stored_adapted_predictor(text) IS
	'The help_predictors row of that name, which must be adapted to a device (42704 unknown, 55000 not adapted)';

COMMENT ON FUNCTION help_embed_device(text, text) IS
	'Hardware embedding of a stored device from its stored measurements of the space''s 10 reference architectures';

COMMENT ON FUNCTION help_device_embedding(text, text) IS
	'Deprecated name of help_embed_device(device, space)';

COMMENT ON FUNCTION help_adapt_device(text, text, text, int[], jsonb, boolean) IS
	'Adapt stored predictor base to a stored device (embedding from its reference measurements; support: the listed arch_idx, default its measurements in the space, at most 100) and store it as name, replacing an adapted predictor of that name unless replace is false; options go to help_adapt';

COMMENT ON FUNCTION help_meta_train_space(text, text, jsonb) IS
	'Meta-train a predictor with help_meta_train on the stored measurements of the space''s meta_train devices (model selection on its meta_valid devices), store it as name; options go to help_meta_train';

COMMENT ON FUNCTION help_score(text, int[], float8) IS
	'Predicted latency (ms) of every architecture of the stored predictor''s space (or of arch_idx in subset) on its device, with the prediction interval at level (default 0.9) and the spread of HELP''s draws (stddev_ms)';

COMMENT ON FUNCTION help_nas(text, float8, text, text, float8) IS
	'Latency-constrained NAS: the most accurate candidate (help_accuracy rows of the dataset, optionally of one source) whose probability of a latency at most max_latency_ms on the stored predictor''s device is at least confidence (default 0.9; 0: whose predicted latency meets it), with its 90% interval and measured latency when stored; no row when none qualifies';

COMMENT ON FUNCTION help_suggest_measurements(text, int, text) IS
	'The n architectures of a space to measure next on a device, beyond the reference ones and what the device has measured; predictor: a stored predictor adapted to the device (best after adapting on the reference measurements), NULL for the default prior';
