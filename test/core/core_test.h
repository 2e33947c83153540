/*
 * core_test.h
 *	  What the files of the core's unit test share: the check counter
 *	  (core_test.c) and each file's entry point.
 */
#ifndef HELP_CORE_TEST_H
#define HELP_CORE_TEST_H

/* Count one check as passed or failed (printing what failed). */
extern void check(int ok, const char *what);

/* transfer_test.c: features, regression, intervals, suggestions. */
extern void transfer_tests(void);

/* runner_test.c: the NAS-Bench-201 runner's layers, network and timing. */
extern void runner_tests(void);

#endif							/* HELP_CORE_TEST_H */
