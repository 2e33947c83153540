-- Load one search space of a data folder (data/help's format, files
-- compressed or not) into scratch tables for the benchmarks.  psql
-- variables: data (folder), space; HELP_DATA_READ in the environment
-- (data/read.sh, which prints FILE or FILE.gz decompressed).
\set ON_ERROR_STOP 1
CREATE TABLE bench_arch_raw (arch_idx int PRIMARY KEY, a text, b text, c text, d text);
CREATE TABLE bench_latency (device text, arch_idx int, latency_ms float8, PRIMARY KEY (device, arch_idx));
CREATE TABLE bench_reference (position int PRIMARY KEY, arch_idx int);
CREATE TABLE bench_split (split text, device text);
\set f :data '/' :space '/latency.csv'
\setenv HELP_BENCH_FILE :f
\copy bench_latency FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
\set f :data '/' :space '/reference_archs.csv'
\setenv HELP_BENCH_FILE :f
\copy bench_reference FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
\set f :data '/' :space '/splits.csv'
\setenv HELP_BENCH_FILE :f
\copy bench_split FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
SELECT :'space' = 'nasbench201' AS bench_nb201, :'space' = 'fbnet' AS bench_fbnet \gset
\set f :data '/' :space '/architectures.csv'
\setenv HELP_BENCH_FILE :f
\if :bench_nb201
\copy bench_arch_raw (arch_idx, a) FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
\elif :bench_fbnet
\copy bench_arch_raw (arch_idx, a, b) FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
\else
\copy bench_arch_raw (arch_idx, a, b, c, d) FROM PROGRAM '"$HELP_DATA_READ" "$HELP_BENCH_FILE"' WITH (FORMAT csv, HEADER)
\endif
CREATE TABLE bench_arch AS
SELECT arch_idx,
       help_encode(:'space', CASE :'space'
           WHEN 'nasbench201' THEN a
           WHEN 'fbnet' THEN a
           ELSE json_build_object('ks', a::int[], 'e', b::int[], 'd', c::int[], 'r', d::int)::text END) AS enc
FROM bench_arch_raw;
ALTER TABLE bench_arch ADD PRIMARY KEY (arch_idx);
ANALYZE;
