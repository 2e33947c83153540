-- Find one data file, compressed or not (included by the loaders).
-- In: psql variables load_path (the file's name without .gz), load_hint
-- (the error's hint when it is missing) and, for a file that may be absent,
-- load_optional = true.  Out: load_file (load_path if
-- it exists, else load_path.gz, else empty), the same in the environment
-- variable HELP_LOAD_FILE, and load_found.  A missing required file is an
-- error that names it (rather than COPY's "wrong number of fields" or
-- gzip's message).  The loaders then read it with
--   \copy ... FROM PROGRAM 'gzip -dcf -- "$HELP_LOAD_FILE"'
-- (gzip -dcf decompresses a .gz file and passes any other file through).
\setenv HELP_LOAD_PATH :load_path
\set load_file `if [ -f "$HELP_LOAD_PATH" ]; then printf %s "$HELP_LOAD_PATH"; elif [ -f "$HELP_LOAD_PATH.gz" ]; then printf %s "$HELP_LOAD_PATH.gz"; fi`
\setenv HELP_LOAD_FILE :load_file
\if :{?load_optional}
\else
\set load_optional false
\endif
SELECT :'load_file' <> '' AS load_found \gset
SELECT count(pg_temp.help_load_fail('58P01', format('help: file %s not found (nor %s.gz)', :'load_path', :'load_path'),
                                    :'load_hint')) AS load_ignore
WHERE NOT :'load_found'::boolean AND NOT :'load_optional'::boolean \gset
\unset load_optional
