-- bench/host: the database host as a device.  Needs the extension with the
-- NAS-Bench-201 space loaded (data/load.sql) and bench/tasks.sql's
-- bench_ridge_loo and bench_features (bench/load.sql's tables).
--
-- The cells: the 10 reference cells and `cells` random ones (md5 order of
-- arch_idx, so the same for every run).  Their first measurement, the
-- ground truth, is the device's help_measurements; a second full pass
-- (host_pass2) says how repeatable the runner is.

CREATE TABLE IF NOT EXISTS host_pass2 (arch_idx int PRIMARY KEY, latency_ms float8);
-- the baselines' features of every cell (bench_features: task 0 is HELP's split)
CREATE TABLE IF NOT EXISTS host_feat AS SELECT * FROM bench_features(0);

-- The benchmark's cells: the reference ones and n random others.
CREATE OR REPLACE FUNCTION host_cells(n int, OUT arch_idx int, OUT reference boolean)
RETURNS SETOF record LANGUAGE sql STABLE AS $$
	SELECT r.arch_idx, true FROM help_reference_archs r WHERE r.space = 'nasbench201'
	UNION ALL
	(SELECT a.arch_idx, false FROM help_architectures a
	 WHERE a.space = 'nasbench201'
	   AND a.arch_idx NOT IN (SELECT r.arch_idx FROM help_reference_archs r WHERE r.space = 'nasbench201')
	 ORDER BY md5('bench/host:' || a.arch_idx) LIMIT n)
$$;

-- Measure cells one by one in the order given (help_measure_host, batch 1),
-- into the device's help_measurements (pass 1, replacing) or host_pass2;
-- a NOTICE every 100 cells.  Returns the seconds taken.
CREATE OR REPLACE FUNCTION host_measure(dev text, pass int, cells int[], runs int) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz := clock_timestamp();
	k int := 0;
	c int;
	ms float8;
BEGIN
	FOREACH c IN ARRAY cells LOOP
		SELECT help_measure_host(a.arch, 1, runs) INTO ms
		FROM help_architectures a WHERE a.space = 'nasbench201' AND a.arch_idx = c;
		IF pass = 1 THEN
			INSERT INTO help_measurements (device, space, arch_idx, latency_ms) VALUES (dev, 'nasbench201', c, ms)
			ON CONFLICT (device, space, arch_idx) DO UPDATE SET latency_ms = EXCLUDED.latency_ms;
		ELSE
			INSERT INTO host_pass2 VALUES (c, ms)
			ON CONFLICT (arch_idx) DO UPDATE SET latency_ms = EXCLUDED.latency_ms;
		END IF;
		k := k + 1;
		IF k % 100 = 0 THEN
			RAISE NOTICE 'pass %: % of % cells measured in % s', pass, k, cardinality(cells),
				round(extract(epoch FROM clock_timestamp() - t0)::numeric);
		END IF;
	END LOOP;
	RETURN extract(epoch FROM clock_timestamp() - t0);
END $$;

-- The predictor base adapted to dev on the support cells (help_adapt,
-- default method, seeded), its hardware embedding from dev's reference
-- measurements.
CREATE OR REPLACE FUNCTION host_adapt(base text, dev text, support int[], seed int) RETURNS help_predictor
LANGUAGE sql AS $$
	SELECT help_adapt(p.predictor, help_embed_device(dev, 'nasbench201'), a.encoding, m.latency_ms,
	                  jsonb_build_object('seed', seed))
	FROM help_predictors p, help_measurements m
	JOIN help_architectures a ON a.space = m.space AND a.arch_idx = m.arch_idx
	WHERE p.name = base AND m.device = dev AND m.space = 'nasbench201' AND m.arch_idx = ANY (support)
$$;

-- An adapted predictor on the random cells outside its support: Spearman,
-- median absolute error (% of the measured latency), share of the measured
-- latencies inside the 90 % prediction interval.
CREATE OR REPLACE FUNCTION host_score(adapted help_predictor, dev text, n int, support int[],
                                      OUT spearman float8, OUT mdape float8, OUT coverage90 float8)
LANGUAGE sql AS $$
	SELECT help_spearman((s.i).latency_ms, m.latency_ms),
	       100 * percentile_cont(0.5) WITHIN GROUP (ORDER BY abs((s.i).latency_ms - m.latency_ms) / m.latency_ms),
	       avg((m.latency_ms BETWEEN (s.i).lower_ms AND (s.i).upper_ms)::int)
	FROM (SELECT a.arch_idx, help_predict_batch_interval(adapted, a.encoding, 0.9) OVER () AS i
	      FROM host_cells(n) c JOIN help_architectures a ON a.space = 'nasbench201' AND a.arch_idx = c.arch_idx
	      WHERE NOT c.reference AND c.arch_idx <> ALL (support)) s
	JOIN help_measurements m ON m.device = dev AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx
$$;

-- The simple baselines on the same support and cells: ridge regression
-- (bench_ridge_loo) on the per-operation counts, on the log-latencies of
-- HELP's meta_train devices (bench_features, task 0), or on both.
CREATE OR REPLACE FUNCTION host_baseline(dev text, n int, support int[], features text,
                                         OUT spearman float8, OUT mdape float8)
LANGUAGE plpgsql AS $$
DECLARE
	X float8[];
	y float8[];
	m record;
BEGIN
	SELECT array_agg(bench_feature_set(f.counts, f.devices, features) ORDER BY h.arch_idx),
	       array_agg(h.latency_ms ORDER BY h.arch_idx) INTO X, y
	FROM help_measurements h JOIN host_feat f USING (arch_idx)
	WHERE h.device = dev AND h.space = 'nasbench201' AND h.arch_idx = ANY (support);
	SELECT * INTO m FROM bench_ridge_loo(X, y);
	SELECT help_spearman(p.ms, h.latency_ms),
	       100 * percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(p.ms - h.latency_ms) / h.latency_ms)
	INTO spearman, mdape
	FROM (SELECT f.arch_idx,
	             bench_ridge_apply(m.intercept, m.mean, m.scale, m.w, bench_feature_set(f.counts, f.devices, features)) AS ms
	      FROM host_feat f
	      JOIN host_cells(n) c ON c.arch_idx = f.arch_idx AND NOT c.reference
	      WHERE f.arch_idx <> ALL (support)) p
	JOIN help_measurements h ON h.device = dev AND h.space = 'nasbench201' AND h.arch_idx = p.arch_idx;
END $$;

-- A random support set: the reference cells and k - 10 of the random ones
-- in md5(seed, arch_idx) order.
CREATE OR REPLACE FUNCTION host_support(n int, k int, seed int) RETURNS int[]
LANGUAGE sql STABLE AS $$
	SELECT ARRAY(SELECT arch_idx FROM host_cells(n) WHERE reference)
	    || ARRAY(SELECT arch_idx FROM host_cells(n) WHERE NOT reference
	             ORDER BY md5(seed || ':' || arch_idx) LIMIT k - 10)
$$;
