/*
 * help_core.h
 *	  Shared definitions of the numerical core of help.
 *
 * The core is plain C: it includes no PostgreSQL header, reports errors by
 * a status code plus a message buffer, and works in memory its caller hands
 * it.  That keeps it testable and benchmarkable without a server.
 */
#ifndef HELP_CORE_H
#define HELP_CORE_H

#include <stddef.h>
#include <stdint.h>

/* Search spaces, in the order their numeric codes are stored on disk. */
typedef enum HelpSpace
{
	HELP_SPACE_NASBENCH201 = 0,
	HELP_SPACE_FBNET = 1,
	HELP_SPACE_OFA = 2,
	HELP_N_SPACES = 3
} HelpSpace;

/* Network kinds: graph convolution for cells, MLP for flat encodings. */
typedef enum HelpNetKind
{
	HELP_NET_GCN = 0,
	HELP_NET_MLP = 1
} HelpNetKind;

/*
 * Error classes.  The PostgreSQL layer maps each to one SQLSTATE, so pick
 * the class by what the user did wrong.
 */
typedef enum HelpStatus
{
	HELP_OK = 0,
	HELP_ERR_SYNTAX,			/* malformed text: INVALID_TEXT_REPRESENTATION */
	HELP_ERR_VALUE,				/* well-formed but invalid: INVALID_PARAMETER_VALUE */
	HELP_ERR_RANGE,				/* number out of range: NUMERIC_VALUE_OUT_OF_RANGE */
	HELP_ERR_SIZE,				/* wrong length or shape: ARRAY_SUBSCRIPT_ERROR */
	HELP_ERR_DATA,				/* data that cannot be used: DATA_EXCEPTION */
	HELP_ERR_LIMIT				/* beyond a size limit: PROGRAM_LIMIT_EXCEEDED */
} HelpStatus;

#define HELP_ERRMSG_LEN 256

/* An error report: status plus a human-readable message. */
typedef struct HelpError
{
	HelpStatus	status;
	char		msg[HELP_ERRMSG_LEN];
} HelpError;

/* Record an error (printf-style) and return its status. */
extern HelpStatus help_set_error(HelpError *err, HelpStatus status,
								 const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* Architecture encoding widths (docs/method.md section 2). */
#define HELP_NB201_NODES 9
#define HELP_NB201_FEATS 8
#define HELP_NB201_ENC_DIM (HELP_NB201_NODES * HELP_NB201_FEATS + \
							HELP_NB201_NODES * HELP_NB201_NODES)
#define HELP_FBNET_LAYERS 22
#define HELP_FBNET_ENC_DIM (HELP_FBNET_LAYERS * 6)
#define HELP_OFA_BLOCKS 20
#define HELP_OFA_STAGES 5
#define HELP_OFA_ENC_DIM (60 + 60 + 25)

/* Hardware embedding: latencies on this many reference architectures. */
#define HELP_HW_DIM 10

/*
 * A measured latency in ms is at least 1 ns and at most 10,000 s: anything
 * outside is no measurement of a network, and an absurd one (1.7e308 ms)
 * overflows the arithmetic that maps predictions back to milliseconds.
 * The same bounds are help_measurements' CHECK (sql/help_tables.sql).
 */
#define HELP_MIN_LATENCY_MS 1e-6
#define HELP_MAX_LATENCY_MS 1e7

/*
 * Interrupts.  Every long loop of the core (adaptation per draw and per
 * inner step, prediction per chunk and per draw, the forward and backward
 * passes per layer, the GCN plan per layer) runs HELP_CHECK_INTERRUPTS(),
 * which calls the hook when one is set.  Inside PostgreSQL the hook runs
 * CHECK_FOR_INTERRUPTS(), which may longjmp out of the core with an ERROR:
 * the core keeps nothing across those points that its palloc'd memory does
 * not release with the memory context.
 *
 * The hook is thread-local: set on the backend's thread, it is NULL on any
 * other, so meta-training's workers (all signals blocked, never allowed to
 * longjmp) call nothing; while they run, the calling thread holds the hook
 * off too (meta_train.c).  Standalone programs set none.
 */
typedef void (*HelpInterruptHook) (void);
extern __thread HelpInterruptHook help_interrupt_hook;
extern void help_set_interrupt_hook(HelpInterruptHook hook);

#define HELP_CHECK_INTERRUPTS() \
	do { \
		if (help_interrupt_hook != NULL) \
			help_interrupt_hook(); \
	} while (0)

extern const char *help_space_name(HelpSpace space);
extern int	help_space_from_name(const char *name); /* -1 if unknown */
extern int	help_space_encoding_dim(HelpSpace space);
extern HelpNetKind help_space_net_kind(HelpSpace space);
extern const char *help_net_kind_name(HelpNetKind kind);

#endif							/* HELP_CORE_H */
