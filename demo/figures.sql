-- The data of make demo's figures, written as CSV into the folder :out
-- (psql variables out, device, predictor, constraints, confidence as in
-- demo/nas.sql; demo/run.sh draws them with demo/*.gp):
--   scores.csv      every NAS-Bench-201 cell: measured and predicted latency
--                   on the device, its 90% prediction interval, whether it
--                   was a support cell of the adaptation
--   candidates.csv  the MetaD2A candidates: accuracy, predicted latency and
--                   interval, measured latency
--   band.csv        the intervals as a band: in 40 bins of predicted latency
--                   (equal on a log scale), the median predicted latency,
--                   lower and upper bound
--   picks.csv       per constraint, help_nas's pick (as demo/nas.sql)
--   summary.csv     Spearman's rho between predicted and measured latency,
--                   and the share of cells measured inside their interval
\set ON_ERROR_STOP 1
\set QUIET on
\if :{?confidence}
\else
\set confidence 0.9
\endif
CREATE TEMP TABLE demo_scores AS
SELECT s.arch_idx, m.latency_ms AS measured_ms, s.latency_ms AS predicted_ms, s.lower_ms, s.upper_ms,
       s.arch_idx IN (SELECT jsonb_array_elements_text(provenance -> 'support_arch_idx')::int
                      FROM help_predictors WHERE name = :'predictor') AS support
FROM help_score(:'predictor', level => 0.9) s
JOIN help_measurements m ON m.device = :'device' AND m.space = 'nasbench201' AND m.arch_idx = s.arch_idx;

\set f :out '/scores.csv'
\setenv HELP_DEMO_FILE :f
\copy (SELECT arch_idx, measured_ms, predicted_ms, lower_ms, upper_ms, support::int FROM demo_scores ORDER BY support, arch_idx) TO PROGRAM 'cat > "$HELP_DEMO_FILE"' WITH (FORMAT csv, HEADER)

\set f :out '/band.csv'
\setenv HELP_DEMO_FILE :f
\copy (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY predicted_ms) AS predicted_ms, percentile_cont(0.5) WITHIN GROUP (ORDER BY lower_ms) AS lower_ms, percentile_cont(0.5) WITHIN GROUP (ORDER BY upper_ms) AS upper_ms FROM (SELECT *, width_bucket(ln(predicted_ms), ln(min(predicted_ms) OVER ()), ln(max(predicted_ms) OVER ()) * 1.000001, 40) AS bin FROM demo_scores) b GROUP BY bin ORDER BY 1) TO PROGRAM 'cat > "$HELP_DEMO_FILE"' WITH (FORMAT csv, HEADER)

\set f :out '/candidates.csv'
\setenv HELP_DEMO_FILE :f
\copy (SELECT c.arch_idx, c.accuracy, s.predicted_ms, s.lower_ms, s.upper_ms, s.measured_ms FROM help_accuracy c JOIN demo_scores s USING (arch_idx) WHERE c.space = 'nasbench201' AND c.dataset = 'cifar100' AND c.source = 'metad2a' ORDER BY c.arch_idx) TO PROGRAM 'cat > "$HELP_DEMO_FILE"' WITH (FORMAT csv, HEADER)

\set f :out '/picks.csv'
\setenv HELP_DEMO_FILE :f
-- (\copy takes no psql variables: the query that needs them fills a table)
CREATE TEMP TABLE demo_picks AS
SELECT k.constraint_ms, n.arch_idx, n.accuracy, n.latency_ms AS predicted_ms, n.measured_ms, n.lower_ms, n.upper_ms
FROM unnest(:'constraints'::float8[]) k(constraint_ms),
     help_nas(:'predictor', k.constraint_ms, 'cifar100', 'metad2a', :'confidence') n;
\copy (SELECT * FROM demo_picks ORDER BY constraint_ms) TO PROGRAM 'cat > "$HELP_DEMO_FILE"' WITH (FORMAT csv, HEADER)

\set f :out '/summary.csv'
\setenv HELP_DEMO_FILE :f
\copy (SELECT count(*) AS cells, round(help_spearman(predicted_ms, measured_ms)::numeric, 3) AS spearman, round(avg((measured_ms BETWEEN lower_ms AND upper_ms)::int) * 100, 1) AS inside_percent FROM demo_scores) TO PROGRAM 'cat > "$HELP_DEMO_FILE"' WITH (FORMAT csv, HEADER)
