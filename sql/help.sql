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
COMMENT ON FUNCTION help_predictor_in(cstring) IS
	'Input function of help_predictor: its JSON text form (the checkpoint''s tensor layout), validated';
COMMENT ON FUNCTION help_predictor_out(help_predictor) IS
	'Output function of help_predictor: its JSON text form, which reads back bit for bit';
COMMENT ON FUNCTION help_predictor_recv(internal) IS
	'Binary input function of help_predictor (COPY BINARY, drivers), validated as strictly as the text form';
COMMENT ON FUNCTION help_predictor_send(help_predictor) IS
	'Binary output function of help_predictor';

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
COMMENT ON FUNCTION help_embed_device_transfn(internal, int, float8) IS
	'Internal: transition function of the help_embed_device aggregate (collects the reference latencies by position)';
COMMENT ON FUNCTION help_embed_device_finalfn(internal) IS
	'Internal: final function of the help_embed_device aggregate (the 10 positions, min-max scaled)';

CREATE AGGREGATE help_embed_device("position" int, latency_ms float8) (
	SFUNC = help_embed_device_transfn,
	STYPE = internal,
	FINALFUNC = help_embed_device_finalfn,
	PARALLEL = SAFE
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
COMMENT ON FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8) IS
	'Internal: transition function of the help_adapt aggregate (collects the support rows)';
COMMENT ON FUNCTION help_adapt_transfn(internal, help_predictor, real[], real[], float8, jsonb) IS
	'Internal: transition function of the help_adapt aggregate with options (collects the support rows)';
COMMENT ON FUNCTION help_adapt_finalfn(internal) IS
	'Internal: final function of the help_adapt aggregate (adapts and returns the adapted predictor)';

CREATE AGGREGATE help_adapt(predictor help_predictor, hw_embedding real[], arch real[], latency_ms float8) (
	SFUNC = help_adapt_transfn,
	STYPE = internal,
	FINALFUNC = help_adapt_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8) IS
	'Adapt a meta-trained predictor to a device from its support measurements (method transfer, steps 2, mc_samples 10, seed 0)';

CREATE AGGREGATE help_adapt(predictor help_predictor, hw_embedding real[], arch real[], latency_ms float8, options jsonb) (
	SFUNC = help_adapt_transfn,
	STYPE = internal,
	FINALFUNC = help_adapt_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE help_adapt(help_predictor, real[], real[], float8, jsonb) IS
	'Adapt a meta-trained predictor to a device; options {"method", "steps", "mc_samples", "seed", "latency_range"}';

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
	'Spread (sample standard deviation, ms) of HELP''s prediction across the modulator draws: not an error bar (see help_predict_interval)';

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

-- Intervals and probabilities ------------------------------------------------

CREATE TYPE help_interval AS (latency_ms float8, lower_ms float8, upper_ms float8, stddev_ms float8);
COMMENT ON TYPE help_interval IS
	'A predicted latency (ms) with the bounds of its prediction interval (ms) and the spread of HELP''s modulator draws (stddev_ms, not an error bar)';

CREATE FUNCTION help_predict_interval(predictor help_predictor, arch real[], level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_interval(help_predictor, real[], float8) IS
	'Predicted latency of an encoded architecture with its prediction interval at level (default 0.9: the measured latency lies inside for about 90% of architectures)';

CREATE FUNCTION help_predict_interval(predictor help_predictor, arch text, level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_interval(help_predictor, text, float8) IS
	'Predicted latency of an architecture in native notation with its prediction interval at level (default 0.9)';

CREATE FUNCTION help_predict_probability(predictor help_predictor, arch real[], max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_probability(help_predictor, real[], float8) IS
	'Probability that an encoded architecture''s latency on the predictor''s device is at most max_latency_ms';

CREATE FUNCTION help_predict_probability(predictor help_predictor, arch text, max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_probability(help_predictor, text, float8) IS
	'Probability that an architecture''s latency (native notation) on the predictor''s device is at most max_latency_ms';

CREATE FUNCTION help_predict_batch_interval(predictor help_predictor, arch real[], level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_interval(help_predictor, real[], float8) IS
	'Window function: help_predict_interval of every row of the partition, scored in batches';

CREATE FUNCTION help_predict_batch_interval(predictor help_predictor, arch text, level float8 DEFAULT 0.9) RETURNS help_interval
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_interval(help_predictor, text, float8) IS
	'Window function: help_predict_interval of architectures in native notation, scored in batches';

CREATE FUNCTION help_predict_batch_probability(predictor help_predictor, arch real[], max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_probability(help_predictor, real[], float8) IS
	'Window function: help_predict_probability of every row of the partition, scored in batches';

CREATE FUNCTION help_predict_batch_probability(predictor help_predictor, arch text, max_latency_ms float8) RETURNS float8
	AS 'MODULE_PATHNAME' LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_predict_batch_probability(help_predictor, text, float8) IS
	'Window function: help_predict_probability of architectures in native notation, scored in batches';

-- Which architectures to measure -------------------------------------------

CREATE FUNCTION help_suggest_transfn(internal, help_predictor, int, real[], boolean, int) RETURNS internal
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION help_suggest_finalfn(internal) RETURNS int[]
	AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION help_suggest_transfn(internal, help_predictor, int, real[], boolean, int) IS
	'Internal: transition function of the help_suggest aggregate (collects the measured and candidate architectures)';
COMMENT ON FUNCTION help_suggest_finalfn(internal) IS
	'Internal: final function of the help_suggest aggregate (chooses the n architectures to measure next)';

CREATE AGGREGATE help_suggest(predictor help_predictor, arch_idx int, arch real[], measured boolean, n int) (
	SFUNC = help_suggest_transfn,
	STYPE = internal,
	FINALFUNC = help_suggest_finalfn,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE help_suggest(help_predictor, int, real[], boolean, int) IS
	'The arch_idx of the n not-yet-measured architectures to measure next on the device of an adapted predictor (NULL: default prior), in the order chosen';

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
COMMENT ON FUNCTION help_meta_train_transfn(internal, text, int, real[], float8, jsonb) IS
	'Internal: transition function of the help_meta_train aggregate (collects each device''s measurements)';
COMMENT ON FUNCTION help_meta_train_finalfn(internal) IS
	'Internal: final function of the help_meta_train aggregate (meta-trains and returns the best predictor)';

CREATE AGGREGATE help_meta_train(device text, arch_idx int, arch real[], latency_ms float8, options jsonb) (
	SFUNC = help_meta_train_transfn,
	STYPE = internal,
	FINALFUNC = help_meta_train_finalfn
);
COMMENT ON AGGREGATE help_meta_train(text, int, real[], float8, jsonb) IS
	'Meta-train a predictor (docs/method.md, section 6) from many devices'' measurements; options {"space", "reference_archs", "valid_devices", "episodes", ...}';

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
