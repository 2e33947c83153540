-- help_score over the loaded cells (batched window prediction inside)
SELECT count(*), sum(latency_ms) FROM help_score('load/adapted');
