-- Synthetic NAS-Bench-201 cells for tests that need many architectures but
-- no measured data: table :cells_table (arch_idx, arch, enc) with arch_idx
-- 0 .. :cells_n - 1, whose digits in base 5 pick the 6 operations.
CREATE TABLE :cells_table AS
SELECT i AS arch_idx,
       format('|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|', o[1 + i % 5], o[1 + i / 5 % 5], o[1 + i / 25 % 5],
              o[1 + i / 125 % 5], o[1 + i / 625 % 5], o[1 + i / 3125 % 5]) AS arch
FROM generate_series(0, :cells_n - 1) i,
     (SELECT ARRAY['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] AS o) ops;
ALTER TABLE :cells_table ADD COLUMN enc real[];
UPDATE :cells_table SET enc = help_encode('nasbench201', arch);
