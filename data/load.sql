-- Load a data folder in the shared format (see ../shared/data/help/README.md)
-- into the help_ tables: every search space folder it holds (nasbench201,
-- fbnet, ofa), each in one transaction.  Running it again changes nothing;
-- a folder that contradicts stored rows is refused.
--
--   psql -v data=../shared/data/help -f data/load.sql
--
-- psql variables: data (the folder; default ../shared/data/help, relative
-- to where psql runs), spaces (default 'nasbench201 fbnet ofa').  The role
-- must own the help_ tables: the foreign keys of help_measurements are
-- dropped and added back around its bulk insert (see load_space.sql).
\set ON_ERROR_STOP 1
\if :{?data}
\else
\set data ../shared/data/help
\endif
\if :{?spaces}
\else
\set spaces 'nasbench201 fbnet ofa'
\endif
\setenv HELP_LOAD_DIR :data
\set load_ok `test -d "$HELP_LOAD_DIR" && echo true || echo false`
\if :load_ok
\else
SELECT set_config('help_load.folder', :'data', false) IS NULL AS load_ignore \gset
DO $$ BEGIN
	RAISE EXCEPTION 'help: data folder "%" not found', current_setting('help_load.folder')
		USING ERRCODE = 'undefined_file', HINT = 'psql -v data=../shared/data/help -f data/load.sql (relative to where psql runs)';
END $$;
\endif
\set space nasbench201
\ir load_space.sql
\set space fbnet
\ir load_space.sql
\set space ofa
\ir load_space.sql
