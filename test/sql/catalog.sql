-- pg_regress: every object of the extension says what it is (COMMENT ON),
-- internal support functions and every table and view column included, so
-- that \df+ and \d+ explain the whole surface.
SELECT pg_describe_object(d.classid, d.objid, 0) AS without_comment
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'help'
WHERE d.deptype = 'e' AND obj_description(d.objid, d.classid::regclass::name) IS NULL
ORDER BY 1;
SELECT c.relname || '.' || a.attname AS column_without_comment
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'help'
JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid AND c.relkind IN ('r', 'v')
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE d.deptype = 'e' AND col_description(c.oid, a.attnum) IS NULL
ORDER BY 1;
-- (and the count of what is described, so that an empty answer above cannot
-- come from a query that finds nothing)
SELECT count(*) FILTER (WHERE d.classid = 'pg_proc'::regclass) > 30 AS functions,
       count(*) FILTER (WHERE d.classid = 'pg_class'::regclass) > 7 AS relations,
       count(*) FILTER (WHERE d.classid = 'pg_type'::regclass) > 1 AS types
FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'help'
WHERE d.deptype = 'e';
