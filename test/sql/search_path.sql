-- pg_regress: search_path safety (issue 15, defect 10).  Every SQL and
-- PL/pgSQL function of the extension pins its search_path, so objects an
-- unprivileged user plants in a schema the caller searches first are never
-- called, and the functions work with the extension's schema off the path.
\set VERBOSITY terse
\getenv data_dir HELP_DATA
\set f :data_dir '/nasbench201/help_checkpoint.json'
\set nb `data/read.sh :f`
SET client_min_messages = warning;

-- by construction: no SQL or PL/pgSQL function of the extension without
-- search_path = pg_catalog, <its schema>, pg_temp (the list must stay empty)
SELECT p.oid::regprocedure AS function_without_pinned_search_path, p.proconfig
FROM pg_proc p
JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'help'
JOIN pg_language l ON l.oid = p.prolang
WHERE l.lanname IN ('sql', 'plpgsql')
  AND coalesce(p.proconfig, '{}') <> ARRAY[format('search_path=pg_catalog, %s, pg_temp', e.extnamespace::regnamespace)]
ORDER BY 1::text;

-- the issue's case: the extension in its own schema, public writable by an
-- analyst (the default before PostgreSQL 15), a superuser whose search_path
-- puts public first
SELECT current_database() AS regress_db \gset
CREATE DATABASE help_search_path;
\c help_search_path
SET client_min_messages = warning;
CREATE SCHEMA helpx;
CREATE EXTENSION help SCHEMA helpx;
SET search_path = helpx;
\set cells_table sp_cells
\set cells_n 100
\i test/sql/include/synthetic_cells.sql
INSERT INTO help_devices VALUES ('dev1');
INSERT INTO help_architectures (space, arch_idx, arch) SELECT 'nasbench201', arch_idx, arch FROM sp_cells;
INSERT INTO help_measurements
SELECT 'dev1', 'nasbench201', arch_idx, 1.0 + length(replace(arch, 'none', '')) / 20.0 + arch_idx / 1000.0 FROM sp_cells;
INSERT INTO help_reference_archs SELECT 'nasbench201', arch_idx + 1, arch_idx FROM sp_cells WHERE arch_idx < 10;
INSERT INTO help_accuracy (space, arch_idx, dataset, source, accuracy)
SELECT 'nasbench201', arch_idx, 'cifar100', 'test', 50 + arch_idx / 4.0 FROM sp_cells WHERE arch_idx >= 10;
INSERT INTO help_predictors (name, space, predictor)
VALUES ('base', 'nasbench201', help_predictor_from_checkpoint(:'nb'::jsonb));

CREATE ROLE sp_analyst;
GRANT CREATE ON SCHEMA public TO sp_analyst;
SET ROLE sp_analyst;
CREATE FUNCTION public.help_stored_predictor(name text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'impostor public.help_stored_predictor ran as %', current_user; END $$;
CREATE FUNCTION public.help_stored_adapted_predictor(name text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'impostor public.help_stored_adapted_predictor ran as %', current_user; END $$;
CREATE FUNCTION public.help_score(predictor text, subset int[] DEFAULT NULL, level float8 DEFAULT 0.9)
RETURNS SETOF record LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'impostor public.help_score ran as %', current_user; END $$;
CREATE FUNCTION public.text_eq_impostor(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'impostor public.= ran as %', current_user; END $$;
CREATE OPERATOR public.= (LEFTARG = text, RIGHTARG = text, FUNCTION = public.text_eq_impostor);
RESET ROLE;

-- a superuser with public first, even before pg_catalog
SET search_path = public, pg_catalog, helpx;
SELECT stored_as, support_rows FROM helpx.help_adapt_device('base', 'dev1', 'adapted', '{10,20,30,40,50}');
SELECT count(*) AS scored, count(*) FILTER (WHERE latency_ms > 0) AS positive FROM helpx.help_score('adapted');
SELECT arch_idx IS NOT NULL AS found FROM helpx.help_nas('adapted', 100);
SELECT array_length(helpx.help_embed_device('dev1', 'nasbench201'), 1) AS embedding_length;
SELECT name, device FROM helpx.help_stored_predictor('base');
SELECT name, device FROM helpx.help_stored_adapted_predictor('adapted');
-- the extension's schema off the path
SET search_path = public;
SELECT count(*) AS scored FROM helpx.help_score('adapted');
SELECT arch_idx IS NOT NULL AS found FROM helpx.help_nas('adapted', 100);
SELECT stored_as FROM helpx.help_adapt_device('base', 'dev1', 'adapted_again', '{10,20,30,40}');

\c :regress_db
DROP DATABASE help_search_path;
DROP ROLE sp_analyst;
