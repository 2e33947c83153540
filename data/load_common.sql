-- What every loader needs first (included by load.sql and load_device.sql):
-- pg_temp.help_load_fail, which raises a loader's error, and the check that
-- the extension is there.
--
-- A loader checks a condition with
--   SELECT count(pg_temp.help_load_fail(sqlstate, message, hint [, detail])) AS load_ignore
--   [FROM ...] WHERE condition \gset
-- which always returns one row (an aggregate: \gset needs a row) and
-- raises for the first row that meets the condition; unlike a DO block it
-- can use psql variables in the message.
\set ON_ERROR_STOP 1
-- The loaders' own errors need no "PL/pgSQL function pg_temp_3.help_load_fail
-- line 6 at RAISE" context: it is shown only around the \copy commands,
-- where COPY's context names the file's line; the user's setting is restored
-- when the loader ends (load_user_context).
\set load_user_context :SHOW_CONTEXT
\set load_copy_context errors
\set SHOW_CONTEXT never
-- and no "CREATE FUNCTION", "BEGIN"... between the loader's own lines
\set load_user_quiet :QUIET
\set QUIET on
CREATE OR REPLACE FUNCTION pg_temp.help_load_fail(code text, message text, hint text, detail text DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF detail IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, HINT = hint;
	END IF;
	RAISE EXCEPTION USING ERRCODE = code, MESSAGE = message, HINT = hint, DETAIL = detail;
END $$;

-- Refuse the first architecture of a staged table (columns arch, line)
-- that help_encode cannot encode, naming its file and line.  All rows are
-- encoded at once first (one subtransaction); only when that fails are
-- they tried one by one to find the line.
CREATE OR REPLACE FUNCTION pg_temp.help_load_check_encodings(space text, staged regclass, file text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	r record;
	hint text;
BEGIN
	BEGIN
		EXECUTE format('SELECT count(help_encode($1, arch)) FROM %s', staged) USING space;
		RETURN true;
	EXCEPTION WHEN others THEN
		NULL;
	END;
	FOR r IN EXECUTE format('SELECT arch, line FROM %s ORDER BY line', staged) LOOP
		BEGIN
			PERFORM help_encode(space, r.arch);
		EXCEPTION WHEN others THEN
			GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
			RAISE EXCEPTION USING ERRCODE = SQLSTATE, MESSAGE = format('help: %s line %s: %s', file, r.line, SQLERRM),
			      HINT = coalesce(nullif(hint, ''), 'Correct or remove that line of the file.');
		END;
	END LOOP;
	RETURN true;
END $$;

-- Without the extension the loader would fail on its first INSERT with
-- "relation help_devices does not exist"; say what to do instead.
SELECT count(pg_temp.help_load_fail('55000', format('help: the help extension is not installed in database "%s"', current_database()),
                                    'Run CREATE EXTENSION help; in this database first (as a superuser), then load.')) AS load_ignore
WHERE NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'help') \gset
SELECT count(pg_temp.help_load_fail('55000', format('help: the help extension is in schema "%s", which is not on search_path', extnamespace::regnamespace),
                                    'Put that schema on search_path, e.g. PGOPTIONS=''-c search_path=public,SCHEMA'' psql ...')) AS load_ignore
FROM pg_extension WHERE extname = 'help' AND to_regclass('help_measurements') IS NULL \gset
