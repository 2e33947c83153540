-- bench/tasks: NASFLAT's device splits as a benchmark.  Needs bench/load.sql's
-- tables.  One task: meta-train on its train devices, then adapt to each test
-- device from its reference measurements plus n_others further ones and
-- score the adapted predictor.

-- NASFLAT's FBNet device tasks (its device_task_list.py); task 0 is HELP's
-- own split, the one splits.csv holds for every space.
CREATE TABLE bench_task (space text, task int, role text, device text);
INSERT INTO bench_task
SELECT 'fbnet', t.task, t.role, d
FROM (VALUES
	(1, 'train', '2080ti_1 essential_ph_1 silver_4114 titan_rtx_1 titan_rtx_32'),
	(1, 'test',  'eyeriss fpga raspi4 samsung_a50 samsung_s7'),
	(2, 'train', 'essential_ph_1 gold_6226 gold_6240 pixel3 raspi4'),
	(2, 'test',  '1080ti_1 1080ti_32 2080ti_32 titan_rtx_1 titanxp_1'),
	(3, 'train', 'essential_ph_1 pixel2 pixel3 raspi4 samsung_s7'),
	(3, 'test',  '1080ti_1 1080ti_32 2080ti_1 titan_rtx_1 titan_rtx_32'),
	(4, 'train', '1080ti_64 2080ti_1 eyeriss gold_6226 gold_6240 raspi4 samsung_s7 silver_4210r titan_rtx_1 titan_rtx_32'),
	(4, 'test',  '1080ti_1 pixel2 essential_ph_1'),
	(5, 'train', '1080ti_1 1080ti_32 1080ti_64 2080ti_1 2080ti_32 2080ti_64 titan_rtx_1 titan_rtx_32 titan_rtx_64 titanx_1 titanx_32 titanx_64 titanxp_1 titanxp_32 titanxp_64'),
	(5, 'test',  'gold_6226 essential_ph_1 samsung_s7 pixel2')) t(task, role, devices),
	regexp_split_to_table(t.devices, ' ') d;
-- Task 0 trains on the meta_train devices, selects on the meta_valid ones
-- and reports them with the meta_test ones, as HELP's tables do.
INSERT INTO bench_task
SELECT current_setting('bench.space'), 0, CASE split WHEN 'meta_train' THEN 'train' ELSE 'test' END, device
FROM bench_split WHERE split IN ('meta_train', 'meta_valid', 'meta_test');

-- The trimmed pools of every device (docs/method.md section 1).
CREATE TABLE bench_pool AS
SELECT device, arch_idx, latency_ms, pool FROM (
	SELECT device, arch_idx, latency_ms, pool,
	       row_number() OVER (PARTITION BY device, pool ORDER BY latency_ms, arch_idx) - 1 AS rn,
	       count(*) OVER (PARTITION BY device, pool) AS n
	FROM (SELECT device, arch_idx, latency_ms,
	             CASE WHEN arch_idx < current_setting('bench.train')::int THEN 'train' ELSE 'query' END AS pool
	      FROM bench_latency
	      WHERE arch_idx < current_setting('bench.train')::int + 1000) s) t
WHERE rn >= floor(0.1 * n) AND rn < floor(0.9 * n);
CREATE INDEX ON bench_pool (device, pool);

-- Spearman, absolute errors and interval coverage of an adapted predictor on
-- the device's trimmed query pool, and Spearman over every architecture not
-- in the support set.
CREATE FUNCTION bench_score(adapted help_predictor, dev text, support int[],
                            OUT spearman float8, OUT spearman_all float8, OUT mape float8,
                            OUT within10 float8, OUT coverage90 float8, OUT width90 float8)
LANGUAGE plpgsql AS $$
BEGIN
	SELECT help_spearman(s.latency_ms, q.latency_ms),
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(s.latency_ms - q.latency_ms) / q.latency_ms) * 100,
	       avg((abs(s.latency_ms - q.latency_ms) <= 0.1 * q.latency_ms)::int) * 100,
	       avg((q.latency_ms BETWEEN s.lower_ms AND s.upper_ms)::int),
	       percentile_cont(0.5) WITHIN GROUP (ORDER BY (s.upper_ms - s.lower_ms) / s.latency_ms) * 100
	INTO spearman, mape, within10, coverage90, width90
	FROM (SELECT q.arch_idx, (help_predict_batch_interval(adapted, a.enc, 0.9) OVER ()).*
	      FROM bench_pool q JOIN bench_arch a USING (arch_idx)
	      WHERE q.device = dev AND q.pool = 'query') s
	JOIN bench_pool q ON q.device = dev AND q.pool = 'query' AND q.arch_idx = s.arch_idx;
	SELECT help_spearman(s.ms, l.latency_ms) INTO spearman_all
	FROM (SELECT a.arch_idx, help_predict_batch(adapted, a.enc) OVER () AS ms
	      FROM bench_arch a WHERE a.arch_idx <> ALL (support)) s
	JOIN bench_latency l ON l.device = dev AND l.arch_idx = s.arch_idx;
END $$;

-- A support set: dev's 10 reference architectures and n_others drawn from
-- its trimmed meta-train pool in md5(seed, arch_idx) order.
CREATE FUNCTION bench_support(dev text, seed int, n_others int) RETURNS int[]
LANGUAGE sql AS $$
	SELECT ARRAY(SELECT arch_idx FROM bench_reference ORDER BY position)
	    || ARRAY(SELECT arch_idx FROM bench_pool
	             WHERE device = dev AND pool = 'train'
	               AND arch_idx NOT IN (SELECT arch_idx FROM bench_reference)
	             ORDER BY md5(seed || ':' || arch_idx) LIMIT n_others)
$$;

-- Adapt predictor to dev from its 10 reference measurements plus n_others
-- more: drawn from its trimmed meta-train pool in md5(seed, arch_idx)
-- order, or (suggested) chosen by help_suggest after adapting on the
-- reference measurements.  options go to help_adapt.
CREATE FUNCTION bench_adapt(predictor help_predictor, dev text, seed int, n_others int,
                            suggested bool, options jsonb,
                            OUT adapted help_predictor, OUT support int[], OUT ms float8)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
	hw real[];
	refs int[];
	others int[];
	opts jsonb := jsonb_build_object('seed', seed) || coalesce(options, '{}');
BEGIN
	SELECT help_embed_device(r.position, l.latency_ms), array_agg(r.arch_idx ORDER BY r.position)
	INTO hw, refs
	FROM bench_reference r JOIN bench_latency l USING (arch_idx) WHERE l.device = dev;
	IF n_others > 0 AND suggested THEN
		-- what a user does: measure the reference architectures, adapt,
		-- ask which to measure next, measure them
		SELECT help_adapt(predictor, hw, a.enc, l.latency_ms, opts) INTO adapted
		FROM bench_latency l JOIN bench_arch a USING (arch_idx)
		WHERE l.device = dev AND l.arch_idx = ANY (refs);
		SELECT help_suggest(adapted, a.arch_idx, a.enc, a.arch_idx = ANY (refs), n_others) INTO others
		FROM bench_arch a;
		support := refs || coalesce(others, '{}');
	ELSE
		support := bench_support(dev, seed, n_others);
	END IF;
	t0 := clock_timestamp();
	SELECT help_adapt(predictor, hw, a.enc, l.latency_ms, opts) INTO adapted
	FROM bench_latency l JOIN bench_arch a USING (arch_idx)
	WHERE l.device = dev AND l.arch_idx = ANY (support);
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

-- The simple models the issue measures HELP against, on the same support
-- sets: ridge regression with an intercept on standardized features, its
-- regularization chosen by leave-one-out error over 33 values from 1e-4 to
-- 1e4.  Features per architecture (bench_features): the per-operation
-- counts, or the log-latencies of the task's training devices, or both.
-- Returns the model as (means, scales, intercept, weights).
CREATE FUNCTION bench_ridge_loo(X float8[], y float8[], OUT mean float8[], OUT scale float8[],
                                OUT intercept float8, OUT w float8[])
LANGUAGE plpgsql AS $$
DECLARE
	n int := array_length(y, 1);
	p int := array_length(X, 2);
	Z float8[];
	ym float8 := 0;
	best float8 := 'infinity';
	lam float8;
	A float8[];
	inv float8[];
	beta float8[];
	err float8;
	s float8;
	h float8;
	f float8;
	piv float8;
BEGIN
	mean := array_fill(0::float8, ARRAY[p]);
	scale := array_fill(0::float8, ARRAY[p]);
	FOR i IN 1..n LOOP ym := ym + y[i] / n; END LOOP;
	FOR k IN 1..p LOOP
		FOR i IN 1..n LOOP mean[k] := mean[k] + X[i][k] / n; END LOOP;
		FOR i IN 1..n LOOP scale[k] := scale[k] + (X[i][k] - mean[k]) ^ 2 / n; END LOOP;
		scale[k] := CASE WHEN scale[k] > 1e-24 THEN sqrt(scale[k]) ELSE 1 END;
	END LOOP;
	Z := array_fill(0::float8, ARRAY[n, p]);
	FOR i IN 1..n LOOP FOR k IN 1..p LOOP Z[i][k] := (X[i][k] - mean[k]) / scale[k]; END LOOP; END LOOP;
	FOR e IN 0..32 LOOP
		lam := 10 ^ (-4 + e * 0.25);
		-- A = Z^T Z + lam I, inverted by Gauss-Jordan (positive definite)
		A := array_fill(0::float8, ARRAY[p, p]);
		inv := array_fill(0::float8, ARRAY[p, p]);
		FOR r IN 1..p LOOP
			FOR c IN 1..p LOOP
				s := 0;
				FOR i IN 1..n LOOP s := s + Z[i][r] * Z[i][c]; END LOOP;
				A[r][c] := s + CASE WHEN r = c THEN lam ELSE 0 END;
			END LOOP;
			inv[r][r] := 1;
		END LOOP;
		FOR c IN 1..p LOOP
			piv := A[c][c];
			FOR k IN 1..p LOOP A[c][k] := A[c][k] / piv; inv[c][k] := inv[c][k] / piv; END LOOP;
			FOR r IN 1..p LOOP
				IF r <> c THEN
					f := A[r][c];
					FOR k IN 1..p LOOP A[r][k] := A[r][k] - f * A[c][k]; inv[r][k] := inv[r][k] - f * inv[c][k]; END LOOP;
				END IF;
			END LOOP;
		END LOOP;
		-- weights and leave-one-out residuals (y_i - yhat_i) / (1 - h_ii)
		beta := array_fill(0::float8, ARRAY[p]);
		FOR r IN 1..p LOOP
			FOR c IN 1..p LOOP
				FOR i IN 1..n LOOP beta[r] := beta[r] + inv[r][c] * Z[i][c] * (y[i] - ym); END LOOP;
			END LOOP;
		END LOOP;
		err := 0;
		FOR i IN 1..n LOOP
			h := 1.0 / n;
			s := ym;
			FOR r IN 1..p LOOP
				s := s + Z[i][r] * beta[r];
				FOR c IN 1..p LOOP h := h + Z[i][r] * inv[r][c] * Z[i][c]; END LOOP;
			END LOOP;
			err := err + ((y[i] - s) / greatest(1 - h, 1e-9)) ^ 2;
		END LOOP;
		IF err < best THEN
			best := err;
			w := beta;
		END IF;
	END LOOP;
	intercept := ym;
END $$;

-- The baseline features of every architecture for a task: per-operation
-- counts (FBNet: the 9 op codes; NAS-Bench-201: the 5 operations) and the
-- log-latencies of the task's training devices.
CREATE FUNCTION bench_features(t int)
RETURNS TABLE (arch_idx int, counts float8[], devices float8[])
LANGUAGE sql AS $$
	WITH ops AS (
		SELECT r.arch_idx,
		       CASE current_setting('bench.space')
		            WHEN 'fbnet' THEN (SELECT array_agg((SELECT count(*) FROM unnest(r.a::int[]) o WHERE o = k)::float8 ORDER BY k)
		                               FROM generate_series(0, 8) k)
		            WHEN 'nasbench201' THEN (SELECT array_agg((length(r.a) - length(replace(r.a, op, ''))) / length(op)::float8 ORDER BY op)
		                                     FROM unnest('{none,skip_connect,nor_conv_1x1,nor_conv_3x3,avg_pool_3x3}'::text[]) op)
		            ELSE NULL END AS counts
		FROM bench_arch_raw r)
	SELECT o.arch_idx, o.counts,
	       (SELECT array_agg(ln(l.latency_ms) ORDER BY l.device)
	        FROM bench_latency l
	        WHERE l.arch_idx = o.arch_idx
	          AND l.device IN (SELECT device FROM bench_task x WHERE x.space = current_setting('bench.space')
	                           AND x.task = t AND x.role = 'train'))
	FROM ops o
$$;

-- A baseline's features of one architecture: its per-operation counts, the
-- training devices' log-latencies, or both.
CREATE FUNCTION bench_feature_set(counts float8[], devices float8[], features text) RETURNS float8[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE features WHEN 'counts' THEN counts WHEN 'devices' THEN devices ELSE counts || devices END
$$;

-- A ridge model's (bench_ridge_loo) prediction for the raw features x.
CREATE FUNCTION bench_ridge_apply(intercept float8, mean float8[], scale float8[], w float8[], x float8[])
RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
	SELECT intercept + (SELECT sum((x[k] - mean[k]) / scale[k] * w[k]) FROM generate_subscripts(w, 1) k)
$$;

-- Spearman on dev's trimmed query pool and over every architecture outside
-- the support of ridge on one feature set ('counts', 'devices' or 'both'),
-- from the task's features in bench_feat (bench_features).
CREATE FUNCTION bench_baseline(t int, dev text, support int[], features text,
                               OUT spearman float8, OUT spearman_all float8)
LANGUAGE plpgsql AS $$
DECLARE
	X float8[];
	y float8[];
	m record;
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS bench_pred (arch_idx int, ms float8);
	TRUNCATE bench_pred;
	INSERT INTO bench_pred
	SELECT f.arch_idx, NULL FROM bench_feat f WHERE f.task = t;
	SELECT array_agg(bench_feature_set(f.counts, f.devices, features) ORDER BY l.arch_idx),
	       array_agg(l.latency_ms ORDER BY l.arch_idx) INTO X, y
	FROM bench_latency l JOIN bench_feat f ON f.task = t AND f.arch_idx = l.arch_idx
	WHERE l.device = dev AND l.arch_idx = ANY (support);
	SELECT * INTO m FROM bench_ridge_loo(X, y);
	UPDATE bench_pred b
	SET ms = bench_ridge_apply(m.intercept, m.mean, m.scale, m.w, bench_feature_set(f.counts, f.devices, features))
	FROM bench_feat f
	WHERE f.task = t AND f.arch_idx = b.arch_idx;
	SELECT help_spearman(b.ms, q.latency_ms) INTO spearman
	FROM bench_pool q JOIN bench_pred b USING (arch_idx) WHERE q.device = dev AND q.pool = 'query';
	SELECT help_spearman(b.ms, l.latency_ms) INTO spearman_all
	FROM bench_latency l JOIN bench_pred b USING (arch_idx) WHERE l.device = dev AND l.arch_idx <> ALL (support);
END $$;
