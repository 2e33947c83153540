-- Load one search space of a data folder in the shared format into scratch
-- tables for the benchmarks.  psql variables: data (folder), space.
\set ON_ERROR_STOP 1
CREATE TABLE bench_arch_raw (arch_idx int PRIMARY KEY, a text, b text, c text, d text);
CREATE TABLE bench_latency (device text, arch_idx int, latency_ms float8, PRIMARY KEY (device, arch_idx));
CREATE TABLE bench_reference (position int PRIMARY KEY, arch_idx int);
CREATE TABLE bench_split (split text, device text);
\set f :data '/' :space '/latency.csv'
COPY bench_latency FROM :'f' WITH (FORMAT csv, HEADER);
\set f :data '/' :space '/reference_archs.csv'
COPY bench_reference FROM :'f' WITH (FORMAT csv, HEADER);
\set f :data '/' :space '/splits.csv'
COPY bench_split FROM :'f' WITH (FORMAT csv, HEADER);
SELECT CASE :'space' WHEN 'nasbench201' THEN 'arch_idx, a'
                     WHEN 'fbnet' THEN 'arch_idx, a, b'
                     ELSE 'arch_idx, a, b, c, d' END AS arch_cols \gset
\set f :data '/' :space '/architectures.csv'
COPY bench_arch_raw (:arch_cols) FROM :'f' WITH (FORMAT csv, HEADER);
CREATE TABLE bench_arch AS
SELECT arch_idx,
       help_encode(:'space', CASE :'space'
           WHEN 'nasbench201' THEN a
           WHEN 'fbnet' THEN a
           ELSE json_build_object('ks', a::int[], 'e', b::int[], 'd', c::int[], 'r', d::int)::text END) AS enc
FROM bench_arch_raw;
ALTER TABLE bench_arch ADD PRIMARY KEY (arch_idx);
ANALYZE;
