-- adapt into a name of this client's own (replacing its last one)
\set a random(10, :cells - 1)
\set s random(1, 1000)
SELECT stored_as FROM help_adapt_device('nasbench201/published', ':device', 'load/client' || :client_id,
                                        ARRAY[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, :a], jsonb_build_object('seed', :s));
