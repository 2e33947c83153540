-- pg_regress: what the loaders (data/load.sql, data/load_device.sql) say
-- when something is wrong, each error with its SQLSTATE and what to fix;
-- folders compressed or not.  Each load runs in its own psql (a loader stops
-- at its first error), in a scratch database; test/load_edited.sh loads a
-- copy of the data subset with one file edited.
\set VERBOSITY terse
\! data/subset.sh "$HELP_DATA" test/results/ld_data 300
\! dropdb --if-exists help_loaders 2> /dev/null; createdb help_loaders
\set regress_db :DBNAME
\c help_loaders
\setenv PGDATABASE help_loaders

-- before CREATE EXTENSION: say to create it
\! test/psql_errors.sh -v data=test/results/ld_data -f data/load.sql
\! test/psql_errors.sh -v device=d -v space=nasbench201 -v csv=x.csv -f data/load_device.sql
\! psql -X -q -c 'CREATE EXTENSION help' < /dev/null

-- the folder and the spaces asked for
\! test/psql_errors.sh -v data=test/results/no_such_folder -f data/load.sql
\! test/psql_errors.sh -v data=test/results -f data/load.sql
\! test/psql_errors.sh -v data=test/results/ld_data -v spaces=nasbench -f data/load.sql
\! test/psql_errors.sh -v data=test/results/ld_data -v spaces='nasbench201 fbnet ofa darts' -f data/load.sql
\! test/load_edited.sh ofa ofa rm
-- (a missing file, not COPY's "wrong number of fields")
\! test/load_edited.sh nasbench201 nasbench201/latency.csv rm

-- a bad row names its file and line
\! test/load_edited.sh nasbench201 nasbench201/latency.csv '5s/,[^,]*$/,-2.5/'
\! test/load_edited.sh nasbench201 nasbench201/latency.csv '7s/,[^,]*,/,15000,/'
\! test/load_edited.sh nasbench201 nasbench201/latency.csv '9s/,[^,]*$/,fast/'
\! test/load_edited.sh nasbench201 nasbench201/architectures.csv '4s/,|[a-z_0-9]*~0|/,|conv_5x5~0|/'
\! test/load_edited.sh fbnet fbnet/reference_archs.csv '3s/^[0-9]*,/11,/'
\! test/load_edited.sh nasbench201 nasbench201/metad2a_candidates.csv '6s/^\([0-9]*\),|[^|]*|/\1,|none~0|/'
\! test/load_edited.sh ofa ofa/splits.csv '3s/^meta_[a-z]*,/meta_tset,/'
SELECT count(*) AS nothing_loaded FROM help_architectures;

-- a folder compressed in part (gzip, as data/help ships) loads like the
-- uncompressed one: a second load adds nothing
\! rm -rf test/results/ld_gz && cp -r test/results/ld_data test/results/ld_gz && gzip -n test/results/ld_gz/nasbench201/latency.csv test/results/ld_gz/fbnet/*.csv
\! test/psql_errors.sh -v data=test/results/ld_gz -f data/load.sql
\! test/psql_errors.sh -v data=test/results/ld_data -f data/load.sql

-- one's own device, by arch_idx or by architecture in native notation,
-- compressed or not; the architectures are matched by encoding (FBNet op
-- names find the stored op indices, OFA JSON keys may come in any order)
\! (echo arch,latency_ms; psql -X -At -c "SELECT arch || ',' || (arch_idx + 1) FROM help_architectures WHERE space = 'nasbench201' AND arch_idx < 5 ORDER BY arch_idx" < /dev/null) > test/results/ld_dev.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_dev.csv -f data/load_device.sql
\! gzip -n -c test/results/ld_dev.csv > test/results/ld_dev2.csv.gz
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_dev2.csv -f data/load_device.sql
\! printf 'arch_idx,latency_ms\n5,6\n' | gzip -n > test/results/ld_dev3.csv.gz
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_dev3.csv -f data/load_device.sql
SELECT m.arch_idx, a.arch, m.latency_ms FROM help_measurements m JOIN help_architectures a USING (space, arch_idx)
WHERE m.device = 'my_gpu' ORDER BY m.arch_idx;
\! psql -X -q -c "COPY (SELECT replace(replace(arch, '{7,', '{k5_e6,'), ',8,', ',skip,') AS arch, arch_idx + 1 AS latency_ms FROM help_architectures WHERE space = 'fbnet' AND arch_idx = 3) TO STDOUT (FORMAT csv, HEADER)" < /dev/null > test/results/ld_fb.csv
\! cat test/results/ld_fb.csv
\! test/psql_errors.sh -v device=my_gpu -v space=fbnet -v csv=test/results/ld_fb.csv -f data/load_device.sql
\! psql -X -q -c "COPY (SELECT jsonb_build_object('r', a->'r', 'e', a->'e', 'd', a->'d', 'ks', a->'ks') AS arch, arch_idx + 1 AS latency_ms FROM help_architectures, jsonb(arch) a WHERE space = 'ofa' AND arch_idx = 1) TO STDOUT (FORMAT csv, HEADER)" < /dev/null > test/results/ld_ofa.csv
\! cat test/results/ld_ofa.csv
\! test/psql_errors.sh -v device=my_gpu -v space=ofa -v csv=test/results/ld_ofa.csv -f data/load_device.sql
SELECT space, arch_idx, latency_ms FROM help_measurements WHERE device = 'my_gpu' AND space <> 'nasbench201' ORDER BY space;
-- its errors
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench -v csv=test/results/ld_dev.csv -f data/load_device.sql
\! test/psql_errors.sh -v device='my gpu' -v space=nasbench201 -v csv=test/results/ld_dev.csv -f data/load_device.sql
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/no_such.csv -f data/load_device.sql
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -f data/load_device.sql
\! printf 'cell,ms\n1,2\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch,latency_ms\n|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|,9.5\n|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|,7.5\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch,latency_ms\n|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|,9.5\n|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|x,7.5\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch_idx,latency_ms\n1,2.5\n2,0\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch_idx,latency_ms\n1,2.5\n99999,3\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=my_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch_idx,latency_ms\n1,2.5\n3,4\n3,5\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=other_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
\! printf 'arch_idx,latency_ms\n1,2.5\n2\n' > test/results/ld_bad.csv
\! test/psql_errors.sh -v device=other_gpu -v space=nasbench201 -v csv=test/results/ld_bad.csv -f data/load_device.sql
SELECT count(*) AS other_gpu_measurements FROM help_measurements WHERE device = 'other_gpu';

\c :regress_db
\setenv PGDATABASE :DBNAME
\! dropdb help_loaders
