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
