/*
 * encode.h
 *	  Architecture encoders for the three search spaces (docs/method.md section 2).
 */
#ifndef HELP_ENCODE_H
#define HELP_ENCODE_H

#include "help_core.h"
#include "rng.h"

/* Number of FBNet op choices and their names, index = op code. */
#define HELP_FBNET_N_OPS 9
extern const char *const help_fbnet_op_names[HELP_FBNET_N_OPS];

/*
 * NAS-Bench-201 cell string to 153 floats: 9x8 node one-hots (node-major),
 * then the 9x9 propagation matrix A = (M + I)^T, row = receiving node.
 */
extern HelpStatus help_encode_nb201(const char *cell, float *out, HelpError *err);

/*
 * A NAS-Bench-201 cell drawn uniformly (each of the 6 edges one of the 5
 * operations, in cell-string order), encoded: test and benchmark data.
 */
extern void help_encode_random_nb201(HelpRng *rng, float *out);

/*
 * The codes help_parse_nb201 gives NAS-Bench-201's operations (the order of
 * the names in the cell strings' vocabulary).
 */
typedef enum HelpNb201Op
{
	HELP_NB201_NONE = 0,
	HELP_NB201_SKIP = 1,
	HELP_NB201_CONV1 = 2,
	HELP_NB201_CONV3 = 3,
	HELP_NB201_POOL = 4
} HelpNb201Op;

/*
 * Parse a NAS-Bench-201 cell string into the operation codes of its six
 * edges, in string order: node 1 <- 0; node 2 <- 0, 1; node 3 <- 0, 1, 2.
 */
extern HelpStatus help_parse_nb201(const char *cell, int *ops, HelpError *err);

/* The cell string of six operation codes; HELP_NB201_CELL_MAXLEN bytes always suffice. */
#define HELP_NB201_CELL_MAXLEN 128
extern void help_nb201_cell_string(const int *ops, char *buf, size_t len);

/* Parse an FBNet "{7,8,...}" or "{k5_e6,skip,...}" literal into 22 op codes. */
extern HelpStatus help_parse_fbnet(const char *text, int *ops, HelpError *err);

/* 22 FBNet op codes (0..8) to 132 floats. */
extern HelpStatus help_encode_fbnet(const int *ops, float *out, HelpError *err);

/* An OFA sub-network (20 kernel sizes, 20 expand ratios, 5 depths, resolution) to 145 floats. */
extern HelpStatus help_encode_ofa(const int *ks, const int *e, const int *d, int r,
								  float *out, HelpError *err);

/*
 * Check an encoding handed in from outside: right length for the space,
 * and exactly an encoding that help_encode produces for some architecture
 * (decoded to its choices and encoded again).
 */
extern HelpStatus help_check_encoding(HelpSpace space, const float *enc, int len,
									  HelpError *err);

#endif							/* HELP_ENCODE_H */
