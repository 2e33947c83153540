-- pg_regress: out of memory is an ERROR, never a crash or a hang, and the
-- backend works afterwards (issue 15, defects 1, 2 and 15).  The sessions
-- of test/memory/pressure.sh run with their address space capped a few MB
-- above what they use; it prints what held.
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;

\set cells_table mp_cells
\set cells_n 400
\i test/sql/include/synthetic_cells.sql
CREATE TABLE mp_base AS SELECT help_predictor_from_checkpoint(:'nb'::jsonb) AS p;
CREATE TABLE mp_hw AS SELECT help_embed_device(ARRAY[3, 1, 2, 5, 4, 10, 6, 7, 8, 9]::float8[]) AS hw;
CREATE TABLE mp_support AS
SELECT enc, 1.0 + arch_idx / 10.0 AS ms FROM mp_cells WHERE arch_idx IN (31, 207, 318);
CREATE TABLE mp_adapted AS
SELECT help_adapt(b.p, h.hw, s.enc, s.ms) AS p FROM mp_base b, mp_hw h, mp_support s;
CREATE TABLE mp_text AS SELECT p::text AS t FROM mp_base;

\setenv PGDATABASE :DBNAME
\! test/memory/pressure.sh
-- the server is still up and this session still works
SELECT count(*) AS cells FROM mp_cells;
