-- The extension as the catalog holds it, one line per fact: every member
-- object with its definition (functions through pg_get_functiondef, which
-- includes volatility, strictness, parallel label, settings and body;
-- aggregates through pg_aggregate; types with their I/O functions and
-- attributes; tables with their columns, constraints and indexes, and
-- whether pg_dump keeps their rows; views with their query and columns) and
-- its comment.  Two installs whose
-- lines are equal are the same extension: test/sql/upgrade.sql compares a
-- fresh install with an updated one.
CREATE FUNCTION pg_temp.help_catalog() RETURNS SETOF text LANGUAGE sql AS $$
WITH ext AS (
	SELECT oid, extversion, extconfig FROM pg_extension WHERE extname = 'help'
), members AS (
	SELECT d.classid, d.objid
	FROM pg_depend d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
)
SELECT 'extension version ' || extversion FROM ext
UNION ALL
-- functions (definition) and aggregates (their parts)
SELECT format('%s | %s | comment: %s', pg_describe_object(m.classid, m.objid, 0),
              CASE WHEN p.prokind = 'a' THEN
                   format('aggregate(%s) sfunc %s stype %s final %s modify %s combine %s serial %s deserial %s parallel %s',
                          pg_get_function_arguments(p.oid), a.aggtransfn, format_type(a.aggtranstype, NULL),
                          a.aggfinalfn, a.aggfinalmodify, a.aggcombinefn, a.aggserialfn, a.aggdeserialfn,
                          p.proparallel)
                   ELSE pg_get_functiondef(p.oid) END,
              obj_description(p.oid, 'pg_proc'))
FROM members m
JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
UNION ALL
-- types: base types with their I/O, composite types with their attributes
SELECT format('%s | %s | comment: %s', pg_describe_object(m.classid, m.objid, 0),
              CASE t.typtype
                   WHEN 'c' THEN (SELECT string_agg(format('%s %s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum)
                                  FROM pg_attribute WHERE attrelid = t.typrelid AND attnum > 0 AND NOT attisdropped)
                   ELSE format('in %s out %s recv %s send %s len %s align %s storage %s', t.typinput, t.typoutput,
                               t.typreceive, t.typsend, t.typlen, t.typalign, t.typstorage) END,
              obj_description(t.oid, 'pg_type'))
FROM members m
JOIN pg_type t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
UNION ALL
-- tables and views: kind, registration for pg_dump, a view's query, comment
SELECT format('%s | kind %s | dumped %s | %s | comment: %s', pg_describe_object(m.classid, m.objid, 0), c.relkind,
              c.oid = ANY (ext.extconfig), CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END,
              obj_description(c.oid, 'pg_class'))
FROM members m, ext
JOIN pg_class c ON true
WHERE m.classid = 'pg_class'::regclass AND c.oid = m.objid
UNION ALL
-- their columns
SELECT format('%s column %s %s%s%s%s | comment: %s', c.oid::regclass, a.attname, format_type(a.atttypid, a.atttypmod),
              CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
              CASE WHEN a.attgenerated = 's' THEN ' generated ' ELSE '' END,
              coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), ''),
              col_description(c.oid, a.attnum))
FROM members m
JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
WHERE c.relkind IN ('r', 'v')
UNION ALL
-- their constraints
SELECT format('%s constraint %s %s', c.oid::regclass, con.conname, pg_get_constraintdef(con.oid))
FROM members m
JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
JOIN pg_constraint con ON con.conrelid = c.oid
UNION ALL
-- their indexes
SELECT format('%s index %s', c.oid::regclass, pg_get_indexdef(i.indexrelid))
FROM members m
JOIN pg_class c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
JOIN pg_index i ON i.indrelid = c.oid
UNION ALL
-- anything else that belongs to the extension
SELECT pg_describe_object(m.classid, m.objid, 0)
FROM members m
WHERE m.classid NOT IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_class'::regclass)
$$;
