-- Load a data folder in the format of data/help (see data/help/README.md)
-- into the help_ tables: every search space folder it holds (nasbench201,
-- fbnet, ofa), each in one transaction.  Files may be gzip-compressed
-- (name.csv.gz) or not.  Running it again changes nothing; a folder that
-- contradicts stored rows is refused, and a bad row is reported with its
-- file and line.
--
--   psql -f data/load.sql                      (from the repository: data/help)
--   psql -v data=/path/to/folder -v spaces=nasbench201 -f data/load.sql
--
-- psql variables: data (the folder, relative to where psql runs; default
-- data/help, the dataset the repository ships), spaces (default
-- 'nasbench201 fbnet ofa': those of them the folder holds; a space named
-- explicitly must be there).  The role must own the help_ tables: the
-- foreign keys of help_measurements are dropped and added back around its
-- bulk insert (see load_space.sql).
\set ON_ERROR_STOP 1
\ir load_common.sql
-- (the bulk insert drops and re-adds help_measurements' foreign keys, which
-- only the tables' owner may do)
SELECT count(pg_temp.help_load_fail('42501', format('help: data/load.sql must run as the owner of the help_ tables (%s), not as %s', c.relowner::regrole, current_user),
                                    'A loader of whole folders changes the tables'' constraints; data/load_device.sql adds one device with INSERT privileges.')) AS load_ignore
FROM pg_class c WHERE c.oid = 'help_measurements'::regclass AND NOT pg_has_role(c.relowner, 'USAGE') \gset
-- (internal variables, so that including this file again in one session
-- starts from the caller's variables, not from the previous run's)
\if :{?data}
\set load_data :data
\else
\set load_data data/help
\endif
\if :{?spaces}
\set load_spaces :spaces
\set load_spaces_named true
\else
\set load_spaces 'nasbench201 fbnet ofa'
\set load_spaces_named false
\endif
\setenv HELP_LOAD_DIR :load_data
\set load_ok `test -d "$HELP_LOAD_DIR" && echo true || echo false`
SELECT count(pg_temp.help_load_fail('58P01', format('help: data folder "%s" not found', :'load_data'),
                                    'psql -v data=FOLDER -f data/load.sql; the folder is relative to where psql runs (the repository ships data/help).')) AS load_ignore
WHERE NOT :'load_ok'::boolean \gset

-- The spaces asked for: a misspelt one would otherwise load nothing and
-- succeed, and one named explicitly must have its folder.
SELECT coalesce(string_agg(w, ' ' ORDER BY w) FILTER (WHERE w NOT IN ('nasbench201', 'fbnet', 'ofa')), '') AS load_unknown_spaces,
       coalesce(string_agg(w, ' ' ORDER BY w), '') AS load_spaces_list
FROM regexp_split_to_table(:'load_spaces', E'[\\s,]+') w WHERE w <> '' \gset
SELECT count(pg_temp.help_load_fail('22023', CASE WHEN :'load_unknown_spaces' = '' THEN 'help: spaces names no search space'
                                                   ELSE format('help: unknown search space %s in spaces "%s"', :'load_unknown_spaces', :'load_spaces') END,
                                    'Search spaces are nasbench201, fbnet and ofa (e.g. psql -v spaces=nasbench201 -f data/load.sql).')) AS load_ignore
WHERE :'load_unknown_spaces' <> '' OR :'load_spaces_list' = '' \gset
\setenv HELP_LOAD_SPACES :load_spaces_list
\set load_missing `for s in $HELP_LOAD_SPACES; do [ -d "$HELP_LOAD_DIR/$s" ] || printf '%s ' "$s"; done`
-- (with the default spaces, the folder must hold at least one of them)
SELECT count(pg_temp.help_load_fail('58P01', format('help: data folder "%s" has no folder for %s', :'load_data', btrim(:'load_missing')),
                                    'A data folder holds one folder per search space, nasbench201/, fbnet/ or ofa/, as data/help does.')) AS load_ignore
WHERE :'load_missing' <> ''
  AND (:'load_spaces_named'::boolean OR btrim(:'load_missing') = :'load_spaces_list') \gset

\set space nasbench201
\ir load_space.sql
\set space fbnet
\ir load_space.sql
\set space ofa
\ir load_space.sql
\set QUIET :load_user_quiet
\set SHOW_CONTEXT :load_user_context
