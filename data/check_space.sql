-- Refuse the first bad row of a search space folder's staged files, naming
-- its file and line (included by load_space.sql, inside its transaction).
-- The tables would refuse these rows too, but their errors name neither the
-- file nor the line; the SQLSTATE is the one the table would give (23502
-- missing value, 23514 value out of range, 23503 unknown architecture).
-- Each row's first problem is one text, "SQLSTATE message": a CASE stops at
-- the first condition that holds and formats nothing for a good row, which
-- keeps this to a fraction of the insert's time on 328,125 measurements.

-- the architectures a row may name: the folder's and those already stored
CREATE TEMP TABLE help_load_known ON COMMIT DROP AS
SELECT arch_idx, arch FROM help_load_archs
UNION SELECT arch_idx, arch FROM help_architectures WHERE space = :'space';
ANALYZE help_load_known;

SELECT count(pg_temp.help_load_fail(left(problem, 5), format('help: %s/%s line %s: %s', :'space', file, line, substr(problem, 7)),
                                    'Correct or remove that line of the file.')) AS load_ignore
FROM (
	SELECT * FROM (
		SELECT 1 AS ord, 'architectures.csv' AS file, line,
		       CASE WHEN arch_idx IS NULL THEN '23502 arch_idx is empty'
		            WHEN arch_idx < 0 THEN format('23514 arch_idx %s is negative', arch_idx)
		            WHEN coalesce(arch, '') = '' THEN '23502 the architecture is empty' END AS problem
		FROM help_load_archs
		UNION ALL
		SELECT 2, 'latency.csv', s.line,
		       CASE WHEN s.device IS NULL THEN '23502 device is empty'
		            WHEN s.device !~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'
		                 THEN format('23514 device name "%s" is not letters, digits, "_", "." and "-"', s.device)
		            WHEN s.arch_idx IS NULL THEN '23502 arch_idx is empty'
		            WHEN s.latency_ms IS NULL THEN '23502 latency_ms is empty'
		            WHEN NOT (s.latency_ms > 0 AND s.latency_ms < 'infinity')
		                 THEN format('23514 latency_ms %s is not a positive, finite number of milliseconds', s.latency_ms)
		            WHEN a.arch_idx IS NULL THEN format('23503 architecture %s is not in architectures.csv', s.arch_idx) END
		FROM "latency.csv" s LEFT JOIN help_load_known a ON a.arch_idx = s.arch_idx
		UNION ALL
		SELECT 3, 'reference_archs.csv', s.line,
		       CASE WHEN NOT coalesce(s.position BETWEEN 1 AND 10, false)
		                 THEN format('23514 position %s is not 1 to 10', coalesce(s.position::text, 'empty'))
		            WHEN a.arch_idx IS NULL
		                 THEN format('23503 architecture %s is not in architectures.csv', coalesce(s.arch_idx::text, 'empty')) END
		FROM "reference_archs.csv" s LEFT JOIN help_load_known a ON a.arch_idx = s.arch_idx
		UNION ALL
		SELECT 4, 'splits.csv', line,
		       CASE WHEN NOT coalesce(split IN ('meta_train', 'meta_valid', 'meta_test'), false)
		                 THEN format('23514 split "%s" is not meta_train, meta_valid or meta_test', split)
		            WHEN NOT coalesce(device ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$', false)
		                 THEN format('23514 device name "%s" is not letters, digits, "_", "." and "-"', device) END
		FROM "splits.csv"
		UNION ALL
		SELECT 5, 'metad2a_candidates.csv', s.line,
		       CASE WHEN NOT coalesce(s.accuracy BETWEEN 0 AND 100, false)
		                 THEN format('23514 accuracy %s is not a percentage', coalesce(s.accuracy::text, 'empty'))
		            WHEN a.arch IS NULL
		                 THEN format('23503 cell %s is not in architectures.csv', coalesce(s.arch_str, 'empty')) END
		FROM "metad2a_candidates.csv" s LEFT JOIN help_load_known a ON a.arch = s.arch_str
	) rows
	WHERE problem IS NOT NULL
	ORDER BY ord, line
	LIMIT 1
) first_bad \gset
-- an architecture help_encode refuses: its line, with help_encode's reason
SELECT pg_temp.help_load_check_encodings(:'space', 'help_load_archs', :'space' || '/architectures.csv') AS load_ignore \gset
