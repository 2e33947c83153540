-- help: HELP latency prediction for neural architecture search, in PostgreSQL.
\echo Use "CREATE EXTENSION help" to load this file. \quit

-- The predictor type --------------------------------------------------------

CREATE TYPE help_predictor;

CREATE FUNCTION help_predictor_in(cstring) RETURNS help_predictor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION help_predictor_out(help_predictor) RETURNS cstring
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION help_predictor_recv(internal) RETURNS help_predictor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION help_predictor_send(help_predictor) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE help_predictor (
	INPUT     = help_predictor_in,
	OUTPUT    = help_predictor_out,
	RECEIVE   = help_predictor_recv,
	SEND      = help_predictor_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE   = extended
);
COMMENT ON TYPE help_predictor IS
	'A HELP latency predictor: weights, Meta-SGD inner learning rates, inference network, and (once adapted) one device''s support set';

-- Import and inspection -----------------------------------------------------

CREATE FUNCTION help_predictor_from_checkpoint(checkpoint jsonb) RETURNS help_predictor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predictor_from_checkpoint(jsonb) IS
	'Import a help_checkpoint.json (the HELP authors'' published weights)';

CREATE FUNCTION help_predictor_info(predictor help_predictor) RETURNS jsonb
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predictor_info(help_predictor) IS
	'Search space, network kind, layer sizes, parameter counts, adaptation and provenance of a predictor';

-- Encoders -------------------------------------------------------------------

CREATE FUNCTION help_encode(space text, arch text) RETURNS real[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_encode(text, text) IS
	'Encode an architecture given in its search space''s native notation';

-- Hardware embedding ---------------------------------------------------------

CREATE FUNCTION help_embed_device(latencies_ms float8[]) RETURNS real[]
	AS 'MODULE_PATHNAME', 'help_embed_device_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_embed_device(float8[]) IS
	'Hardware embedding from a device''s latencies on the 10 reference architectures, in reference order';

CREATE FUNCTION help_embed_device_transfn(internal, int, float8) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_embed_device_finalfn(internal) RETURNS real[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE help_embed_device("position" int, latency_ms float8) (
	SFUNC = help_embed_device_transfn,
	STYPE = internal,
	FINALFUNC = help_embed_device_finalfn
);
COMMENT ON AGGREGATE help_embed_device(int, float8) IS
	'Hardware embedding from (reference position 1..10, latency) rows in any order';

-- Adaptation -----------------------------------------------------------------

CREATE FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8, jsonb) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_adapt_finalfn(internal) RETURNS help_predictor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE help_adapt(predictor help_predictor, hw_embedding real[], arch real[], latency_ms float8) (
	SFUNC = help_adapt_transfn,
	STYPE = internal,
	FINALFUNC = help_adapt_finalfn
);
COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8) IS
	'Adapt a meta-trained predictor to a device from its support measurements (steps 2, mc_samples 10, seed 0)';

CREATE AGGREGATE help_adapt(predictor help_predictor, hw_embedding real[], arch real[], latency_ms float8, options jsonb) (
	SFUNC = help_adapt_transfn,
	STYPE = internal,
	FINALFUNC = help_adapt_finalfn
);
COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8, jsonb) IS
	'Adapt a meta-trained predictor to a device; options {"steps", "mc_samples", "seed", "latency_range"}';

-- Prediction -----------------------------------------------------------------

CREATE FUNCTION help_predict_latency(predictor help_predictor, arch real[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_latency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_latency(help_predictor, real[]) IS
	'Predicted latency (ms) of an encoded architecture on the device the predictor is adapted to';

CREATE FUNCTION help_predict_latency(predictor help_predictor, arch text) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_latency_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_latency(help_predictor, text) IS
	'Predicted latency (ms) of an architecture in native notation';

CREATE FUNCTION help_predict_latency_stddev(predictor help_predictor, arch real[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_latency_stddev' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_latency_stddev(help_predictor, real[]) IS
	'Spread (sample standard deviation, ms) of the prediction across the modulator draws';

CREATE FUNCTION help_predict_latency_stddev(predictor help_predictor, arch text) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_latency_stddev_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_latency_stddev(help_predictor, text) IS
	'Spread (ms) of the prediction of an architecture in native notation';

-- Batched prediction: window functions that score a partition at once ------

CREATE FUNCTION help_predict_batch(predictor help_predictor, arch real[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_batch' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch(help_predictor, real[]) IS
	'Window function: help_predict_latency for every row of the partition, scored in batches (one predictor per partition)';

CREATE FUNCTION help_predict_batch(predictor help_predictor, arch text) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_batch' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch(help_predictor, text) IS
	'Window function: help_predict_latency of architectures in native notation, scored in batches';

CREATE FUNCTION help_predict_batch_stddev(predictor help_predictor, arch real[]) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_batch_stddev' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_stddev(help_predictor, real[]) IS
	'Window function: help_predict_latency_stddev for every row of the partition, scored in batches';

CREATE FUNCTION help_predict_batch_stddev(predictor help_predictor, arch text) RETURNS float8
	AS 'MODULE_PATHNAME', 'help_predict_batch_stddev' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_stddev(help_predictor, text) IS
	'Window function: help_predict_latency_stddev of architectures in native notation, scored in batches';

CREATE TYPE help_prediction AS (latency_ms float8, stddev_ms float8);
COMMENT ON TYPE help_prediction IS
	'A predicted latency and its spread across the modulator draws, both in ms';

CREATE FUNCTION help_predict_batch_with_stddev(predictor help_predictor, arch real[]) RETURNS help_prediction
	AS 'MODULE_PATHNAME', 'help_predict_batch_with_stddev' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_with_stddev(help_predictor, real[]) IS
	'Window function: latency and spread (ms) of every row of the partition from one batched scoring';

CREATE FUNCTION help_predict_batch_with_stddev(predictor help_predictor, arch text) RETURNS help_prediction
	AS 'MODULE_PATHNAME', 'help_predict_batch_with_stddev' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_with_stddev(help_predictor, text) IS
	'Window function: latency and spread (ms) of architectures in native notation from one batched scoring';

-- Rank correlation -----------------------------------------------------------

CREATE FUNCTION help_rank_transfn(internal, float8, float8) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_rank_combinefn(internal, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_rank_serialfn(internal) RETURNS bytea
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION help_rank_deserialfn(bytea, internal) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION help_spearman_finalfn(internal) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_kendall_finalfn(internal) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE help_spearman(x float8, y float8) (
	SFUNC = help_rank_transfn,
	STYPE = internal,
	FINALFUNC = help_spearman_finalfn,
	FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = help_rank_combinefn,
	SERIALFUNC = help_rank_serialfn,
	DESERIALFUNC = help_rank_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE help_spearman(float8, float8) IS
	'Spearman rank correlation (average ranks for ties); NULL when undefined';

CREATE AGGREGATE help_kendall(x float8, y float8) (
	SFUNC = help_rank_transfn,
	STYPE = internal,
	FINALFUNC = help_kendall_finalfn,
	FINALFUNC_MODIFY = READ_WRITE,
	COMBINEFUNC = help_rank_combinefn,
	SERIALFUNC = help_rank_serialfn,
	DESERIALFUNC = help_rank_deserialfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE help_kendall(float8, float8) IS
	'Kendall rank correlation tau-b; NULL when undefined';

-- Meta-training ----------------------------------------------------------------

CREATE FUNCTION help_meta_train_transfn(internal, text, int, real[], float8, jsonb) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_meta_train_finalfn(internal) RETURNS help_predictor
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE help_meta_train(device text, arch_idx int, arch real[], latency_ms float8, options jsonb) (
	SFUNC = help_meta_train_transfn,
	STYPE = internal,
	FINALFUNC = help_meta_train_finalfn
);
COMMENT ON AGGREGATE help_meta_train(text, int, real[], float8, jsonb) IS
	'Meta-train a predictor (HELP-METHOD.md section 6) from many devices'' measurements; options {"space", "reference_archs", "valid_devices", "episodes", ...}';

-- ============================================================================
-- Tables and the latency-constrained NAS workflow (appended to help.sql by
-- the Makefile to make the installed script).
--
-- Devices, architectures, measurements, reference architectures, predictors
-- and accuracies live in ordinary tables, created by CREATE EXTENSION and
-- registered with pg_extension_config_dump so that pg_dump keeps their rows.
-- data/load.sql fills them from a folder in the shared format; the functions
-- below make each step of the workflow one short statement.
-- ============================================================================

-- Tables ---------------------------------------------------------------------

CREATE TABLE help_devices (
	device      text PRIMARY KEY
	            CONSTRAINT help_devices_name_valid CHECK (device ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'),
	description text
);
COMMENT ON TABLE help_devices IS
	'Hardware devices (e.g. gold_6240, titanx_32: batch size after the last underscore where there is one)';

CREATE TABLE help_device_splits (
	space  text NOT NULL CONSTRAINT help_device_splits_space_known CHECK (space IN ('nasbench201', 'fbnet', 'ofa')),
	device text NOT NULL REFERENCES help_devices,
	split  text NOT NULL CONSTRAINT help_device_splits_split_known CHECK (split IN ('meta_train', 'meta_valid', 'meta_test')),
	PRIMARY KEY (space, device)
);
COMMENT ON TABLE help_device_splits IS
	'The HELP paper''s meta_train / meta_valid / meta_test device split, per search space';

CREATE TABLE help_architectures (
	space    text NOT NULL CONSTRAINT help_architectures_space_known CHECK (space IN ('nasbench201', 'fbnet', 'ofa')),
	arch_idx int  NOT NULL CONSTRAINT help_architectures_arch_idx_nonnegative CHECK (arch_idx >= 0),
	arch     text NOT NULL,
	encoding real[] NOT NULL GENERATED ALWAYS AS (help_encode(space, arch)) STORED,
	PRIMARY KEY (space, arch_idx),
	CONSTRAINT help_architectures_arch_unique UNIQUE (space, arch)
);
COMMENT ON TABLE help_architectures IS
	'Architectures of a search space: index, native notation (cell string, fbnet op indices, ofa JSON) and its help_encode encoding';
COMMENT ON COLUMN help_architectures.encoding IS
	'help_encode(space, arch), computed on insert';

CREATE TABLE help_measurements (
	device     text NOT NULL REFERENCES help_devices,
	space      text NOT NULL,
	arch_idx   int  NOT NULL,
	latency_ms float8 NOT NULL
	           CONSTRAINT help_measurements_latency_positive_finite CHECK (latency_ms > 0 AND latency_ms < 'infinity'),
	PRIMARY KEY (device, space, arch_idx),
	FOREIGN KEY (space, arch_idx) REFERENCES help_architectures
);
COMMENT ON TABLE help_measurements IS
	'Measured inference latency (ms) of an architecture on a device; one measurement per device and architecture';

CREATE TABLE help_reference_archs (
	space    text NOT NULL,
	position int  NOT NULL CONSTRAINT help_reference_archs_position_1_to_10 CHECK (position BETWEEN 1 AND 10),
	arch_idx int  NOT NULL,
	PRIMARY KEY (space, position),
	CONSTRAINT help_reference_archs_arch_once UNIQUE (space, arch_idx),
	FOREIGN KEY (space, arch_idx) REFERENCES help_architectures
);
COMMENT ON TABLE help_reference_archs IS
	'The 10 reference architectures of a search space, in order: a device''s latencies on them form its hardware embedding';

CREATE TABLE help_predictors (
	name       text PRIMARY KEY CONSTRAINT help_predictors_name_nonempty CHECK (name <> ''),
	space      text NOT NULL,
	device     text REFERENCES help_devices,
	predictor  help_predictor NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	provenance jsonb NOT NULL DEFAULT '{}',
	CONSTRAINT help_predictors_space_matches CHECK (space = help_predictor_info(predictor) ->> 'space'),
	CONSTRAINT help_predictors_device_iff_adapted
		CHECK ((device IS NOT NULL) = (help_predictor_info(predictor) -> 'adapted')::boolean)
);
COMMENT ON TABLE help_predictors IS
	'Stored predictors by name: meta-trained ones (device NULL) and ones adapted to a device';

CREATE TABLE help_accuracy (
	space    text NOT NULL,
	arch_idx int  NOT NULL,
	dataset  text NOT NULL CONSTRAINT help_accuracy_dataset_nonempty CHECK (dataset <> ''),
	source   text NOT NULL CONSTRAINT help_accuracy_source_nonempty CHECK (source <> ''),
	accuracy float8 NOT NULL CONSTRAINT help_accuracy_percent CHECK (accuracy >= 0 AND accuracy <= 100),
	details  jsonb NOT NULL DEFAULT '{}',
	PRIMARY KEY (space, dataset, source, arch_idx),
	FOREIGN KEY (space, arch_idx) REFERENCES help_architectures
);
COMMENT ON TABLE help_accuracy IS
	'Test accuracy (%) of an architecture on a dataset, by source (e.g. metad2a: the MetaD2A candidates); the NAS candidates';

CREATE INDEX help_accuracy_arch ON help_accuracy (space, arch_idx);

SELECT pg_catalog.pg_extension_config_dump('help_devices', '');
SELECT pg_catalog.pg_extension_config_dump('help_device_splits', '');
SELECT pg_catalog.pg_extension_config_dump('help_architectures', '');
SELECT pg_catalog.pg_extension_config_dump('help_measurements', '');
SELECT pg_catalog.pg_extension_config_dump('help_reference_archs', '');
SELECT pg_catalog.pg_extension_config_dump('help_predictors', '');
SELECT pg_catalog.pg_extension_config_dump('help_accuracy', '');

-- Workflow -------------------------------------------------------------------

-- A stored predictor by name (42704 when there is none).
CREATE FUNCTION help_stored_predictor(name text) RETURNS help_predictors
LANGUAGE plpgsql STABLE STRICT AS $$
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
COMMENT ON FUNCTION help_stored_predictor(text) IS
	'The help_predictors row of that name; error 42704 when there is none';

-- A stored predictor that is adapted to a device (55000 when it is not).
CREATE FUNCTION help_stored_adapted_predictor(name text) RETURNS help_predictors
LANGUAGE plpgsql STABLE STRICT AS $$
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
COMMENT ON FUNCTION help_stored_adapted_predictor(text) IS
	'The help_predictors row of that name, which must be adapted to a device (42704 unknown, 55000 not adapted)';

-- Hardware embedding of a stored device from its reference measurements.
CREATE FUNCTION help_device_embedding(device text, space text) RETURNS real[]
LANGUAGE plpgsql STABLE STRICT AS $$
DECLARE
	missing int[];
	result real[];
BEGIN
	IF space NOT IN ('nasbench201', 'fbnet', 'ofa') THEN
		RAISE EXCEPTION 'help: unknown search space "%"', space
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Spaces: nasbench201, fbnet, ofa.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_devices d WHERE d.device = help_device_embedding.device) THEN
		RAISE EXCEPTION 'help: unknown device "%"', device
			USING ERRCODE = 'undefined_object',
			      HINT = 'Load its measurements first (data/load_device.sql), or INSERT INTO help_devices.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM help_reference_archs r WHERE r.space = help_device_embedding.space) THEN
		RAISE EXCEPTION 'help: no reference architectures stored for space %', space
			USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'Load the space with data/load.sql.';
	END IF;
	SELECT array_agg(r.position ORDER BY r.position) INTO missing
	FROM help_reference_archs r
	WHERE r.space = help_device_embedding.space
	  AND NOT EXISTS (SELECT 1 FROM help_measurements m
	                  WHERE m.device = help_device_embedding.device AND m.space = r.space AND m.arch_idx = r.arch_idx);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION 'help: device "%" lacks measurements of % of the 10 % reference architectures', device, cardinality(missing), space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = format('Missing reference positions: %s.', array_to_string(missing, ', ')),
			      HINT = format('Measure them: SELECT position, arch_idx, arch FROM help_reference_archs JOIN help_architectures USING (space, arch_idx) WHERE space = %L;', space);
	END IF;
	SELECT help_embed_device(r.position, m.latency_ms) INTO result
	FROM help_reference_archs r
	JOIN help_measurements m ON m.space = r.space AND m.arch_idx = r.arch_idx
	WHERE r.space = help_device_embedding.space AND m.device = help_device_embedding.device;
	RETURN result;
END $$;
COMMENT ON FUNCTION help_device_embedding(text, text) IS
	'Hardware embedding of a stored device from its measurements of the space''s 10 reference architectures';

-- Adapt a stored predictor to a stored device and store the result.
CREATE FUNCTION help_adapt_device(base text, device text, name text, support int[] DEFAULT NULL, options jsonb DEFAULT NULL,
                                  OUT stored_as text, OUT space text, OUT support_rows int)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_variable
DECLARE
	b help_predictors;
	hw real[];
	n int;
	missing int[];
BEGIN
	IF base IS NULL OR device IS NULL OR name IS NULL THEN
		RAISE EXCEPTION 'help: base predictor, device and name must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	b := help_stored_predictor(base);
	space := b.space;
	hw := help_device_embedding(device, space);
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
	END IF;
	-- the support set: the listed measurements, or else every stored
	-- measurement of the device in the space (the reference ones too: they
	-- are measurements like any other, and they span the device's range)
	INSERT INTO help_predictors (name, space, device, predictor, provenance)
	SELECT name, b.space, device,
	       help_adapt(b.predictor, hw, a.encoding, m.latency_ms, options),
	       jsonb_build_object('base', base, 'device', device, 'support_arch_idx', array_agg(m.arch_idx ORDER BY m.arch_idx),
	                          'options', options, 'embedding', 'reference measurements', 'function', 'help_adapt_device')
	FROM help_measurements m
	JOIN help_architectures a ON a.space = m.space AND a.arch_idx = m.arch_idx
	WHERE m.device = help_adapt_device.device AND m.space = b.space
	  AND (support IS NULL OR m.arch_idx = ANY (support))
	HAVING count(*) >= 2
	RETURNING help_predictors.name, jsonb_array_length(provenance -> 'support_arch_idx') INTO stored_as, support_rows;
	IF support_rows IS NULL THEN
		RAISE EXCEPTION 'help: device "%" has fewer than 2 % measurements to adapt from', device, space
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'The 10 reference measurements and about 10 further ones are enough.';
	END IF;
END $$;
COMMENT ON FUNCTION help_adapt_device(text, text, text, int[], jsonb) IS
	'Adapt stored predictor base to a stored device (embedding from its reference measurements; support: the listed arch_idx, default all its measurements in the space), store it as name; options go to help_adapt';

-- Meta-train a predictor on the stored measurements of a space's meta_train
-- devices, selecting on its meta_valid devices, and store it.
CREATE FUNCTION help_meta_train_space(space text, name text, options jsonb DEFAULT '{}',
                                      OUT stored_as text, OUT train_devices int, OUT valid_devices int,
                                      OUT best_episode int, OUT valid_spearman float8)
LANGUAGE plpgsql VOLATILE AS $$
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
COMMENT ON FUNCTION help_meta_train_space(text, text, jsonb) IS
	'Meta-train a predictor with help_meta_train on the stored measurements of the space''s meta_train devices (model selection on its meta_valid devices), store it as name; options go to help_meta_train';

-- Predicted latency of every architecture of the predictor's space (or of
-- the listed ones) on the predictor's device.  The one place where scoring
-- happens: help_nas and the demo query go through it.
CREATE FUNCTION help_score(predictor text, subset int[] DEFAULT NULL)
RETURNS TABLE (arch_idx int, arch text, latency_ms float8, stddev_ms float8)
LANGUAGE sql STABLE AS $$
	-- The predictor enters as a parameter (scalar subqueries), not as a
	-- column: a window function's input rows are stored, and a 1 MB
	-- predictor in each of them would be copied once per architecture.
	WITH stored AS MATERIALIZED (
		SELECT * FROM help_stored_adapted_predictor(help_score.predictor))
	SELECT arch_idx, arch, (s.p).latency_ms, (s.p).stddev_ms
	FROM (SELECT a.arch_idx, a.arch,
	             help_predict_batch_with_stddev((SELECT predictor FROM stored), a.encoding) OVER () AS p
	      FROM help_architectures a
	      WHERE a.space = (SELECT space FROM stored)
	        AND (help_score.subset IS NULL OR a.arch_idx = ANY (help_score.subset))) s
$$;
COMMENT ON FUNCTION help_score(text, int[]) IS
	'Predicted latency and its spread (ms) of every architecture of the predictor''s space (or of arch_idx in subset) on the predictor''s device';

-- Latency-constrained NAS: the most accurate candidate whose predicted
-- latency meets the constraint (no row when none does).
CREATE FUNCTION help_nas(predictor text, max_latency_ms float8, dataset text DEFAULT 'cifar100', source text DEFAULT NULL)
RETURNS TABLE (arch_idx int, arch text, accuracy float8, latency_ms float8, stddev_ms float8, measured_ms float8)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
DECLARE
	p help_predictors;
BEGIN
	IF predictor IS NULL THEN
		RAISE EXCEPTION 'help: the predictor name must not be NULL'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF max_latency_ms IS NULL OR max_latency_ms = 'NaN' THEN
		RAISE EXCEPTION 'help: the latency constraint must be a number of milliseconds, not %', coalesce(max_latency_ms::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	p := help_stored_adapted_predictor(predictor);
	RETURN QUERY
	SELECT s.arch_idx, s.arch, c.accuracy, s.latency_ms, s.stddev_ms, m.latency_ms
	FROM help_score(p.name, ARRAY(SELECT c.arch_idx FROM help_accuracy c
	                              WHERE c.space = p.space AND c.dataset = help_nas.dataset
	                                AND (help_nas.source IS NULL OR c.source = help_nas.source))) s
	JOIN help_accuracy c ON c.space = p.space AND c.arch_idx = s.arch_idx AND c.dataset = help_nas.dataset
	                    AND (help_nas.source IS NULL OR c.source = help_nas.source)
	LEFT JOIN help_measurements m ON m.device = p.device AND m.space = p.space AND m.arch_idx = s.arch_idx
	WHERE s.latency_ms <= help_nas.max_latency_ms
	ORDER BY c.accuracy DESC, s.latency_ms, s.arch_idx
	LIMIT 1;
END $$;
COMMENT ON FUNCTION help_nas(text, float8, text, text) IS
	'Latency-constrained NAS: the most accurate candidate (help_accuracy rows of the dataset, optionally of one source) whose latency predicted by the adapted predictor is at most max_latency_ms, with its measured latency when stored; no row when none meets it';
