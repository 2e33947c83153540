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
	HELP_ERR_DATA				/* data that cannot be used: DATA_EXCEPTION */
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

extern const char *help_space_name(HelpSpace space);
extern int	help_space_from_name(const char *name); /* -1 if unknown */
extern int	help_space_encoding_dim(HelpSpace space);
extern HelpNetKind help_space_net_kind(HelpSpace space);
extern const char *help_net_kind_name(HelpNetKind kind);

#endif							/* HELP_CORE_H */
