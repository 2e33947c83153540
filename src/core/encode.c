/*
 * encode.c
 *	  Architecture encoders for the three search spaces.
 *
 * Each encoder validates its input completely before writing the output, so
 * a caller never sees a half-written vector with an error.
 */
#include "encode.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const help_fbnet_op_names[HELP_FBNET_N_OPS] = {
	"k3_e1", "k3_e1_g2", "k3_e3", "k3_e6",
	"k5_e1", "k5_e1_g2", "k5_e3", "k5_e6", "skip"
};

/* NAS-Bench-201 operations as the cell string names them. */
static const char *const nb201_op_names[] = {
	"none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"
};
#define NB201_N_OPS 5

/* Node-feature columns (the order the published checkpoint expects). */
enum
{
	FEAT_SKIP = 0, FEAT_AVG_POOL = 1, FEAT_CONV1 = 2, FEAT_CONV3 = 3,
	FEAT_INPUT = 4, FEAT_NONE = 5, FEAT_OUTPUT = 6, FEAT_GLOBAL = 7
};

/* Feature column of each cell-string op, indexed like nb201_op_names. */
static const int nb201_op_feature[NB201_N_OPS] = {
	FEAT_NONE, FEAT_SKIP, FEAT_CONV1, FEAT_CONV3, FEAT_AVG_POOL
};

/*
 * Directed edges of the 9-node graph: 0 input, 1..6 the edge operations in
 * cell-string order, 7 output, 8 global (the edges into 8 are added below).
 */
static const int nb201_edges[][2] = {
	{0, 1}, {0, 2}, {0, 4}, {1, 3}, {1, 5}, {2, 6}, {3, 6}, {4, 7}, {5, 7}, {6, 7}
};

/* Parse "|op~j|" groups of a cell string; ops[6] receives op codes. */
static HelpStatus
ParseNb201Cell(const char *cell, int *ops, HelpError *err)
{
	const char *p = cell;
	int			edge = 0;

	for (int node = 1; node <= 3; node++)
	{
		if (node > 1)
		{
			if (*p != '+')
				return help_set_error(err, HELP_ERR_SYNTAX,
									  "expected \"+\" before the operations into node %d at offset %d",
									  node, (int) (p - cell));
			p++;
		}
		if (*p != '|')
			return help_set_error(err, HELP_ERR_SYNTAX,
								  "expected \"|\" at offset %d", (int) (p - cell));
		p++;
		for (int from = 0; from < node; from++)
		{
			const char *tilde = strchr(p, '~');
			const char *bar;
			char	   *end;
			size_t		oplen;
			long		src;
			int			op = -1;

			if (tilde == NULL || (bar = strchr(tilde, '|')) == NULL)
				return help_set_error(err, HELP_ERR_SYNTAX,
									  "truncated cell string: expected \"op~%d|\" at offset %d",
									  from, (int) (p - cell));
			oplen = (size_t) (tilde - p);
			for (int k = 0; k < NB201_N_OPS; k++)
				if (strlen(nb201_op_names[k]) == oplen &&
					strncmp(p, nb201_op_names[k], oplen) == 0)
					op = k;
			if (op < 0)
				return help_set_error(err, HELP_ERR_VALUE,
									  "unknown NAS-Bench-201 operation \"%.*s\"",
									  (int) (oplen > 40 ? 40 : oplen), p);
			if (!isdigit((unsigned char) tilde[1]))
				return help_set_error(err, HELP_ERR_SYNTAX,
									  "expected an input node index after \"~\" at offset %d",
									  (int) (tilde + 1 - cell));

			/*
			 * The index is one digit (nodes 0..2): "~00" or "~1 " would be a
			 * second spelling of the same cell, and help_architectures'
			 * UNIQUE (space, arch) would not see it as a duplicate.
			 */
			errno = 0;
			src = strtol(tilde + 1, &end, 10);
			if (end != bar || end != tilde + 2)
				return help_set_error(err, HELP_ERR_SYNTAX,
									  "expected one digit and \"|\" after \"~\" at offset %d",
									  (int) (tilde + 1 - cell));
			if (errno != 0 || src != from)
				return help_set_error(err, HELP_ERR_VALUE,
									  "edge %d into node %d must read from node %d, not %ld",
									  from + 1, node, from, src);
			ops[edge++] = op;
			p = bar + 1;
		}
	}
	if (*p != '\0')
		return help_set_error(err, HELP_ERR_SYNTAX,
							  "unexpected text after the cell at offset %d", (int) (p - cell));
	return HELP_OK;
}

/* The encoding of a cell given by its six operation codes. */
static void
EncodeNb201Ops(const int *ops, float *out)
{
	float	   *feat = out;
	float	   *adj = out + HELP_NB201_NODES * HELP_NB201_FEATS;

	/*
	 * Nodes as the reference encoder numbers them: 0 the cell's input, 1..6
	 * the six edge operations in the order the string lists them, 7 the
	 * output, 8 a global node that every node feeds; each gets a one-hot
	 * feature row.
	 */
	memset(out, 0, sizeof(float) * HELP_NB201_ENC_DIM);
	feat[0 * HELP_NB201_FEATS + FEAT_INPUT] = 1.0f;

	/*
	 * The edge operation becomes a node of the graph: its feature is the
	 * operation's one-hot (none, skip, 1x1 and 3x3 convolution, average
	 * pooling).
	 */
	for (int k = 0; k < 6; k++)
		feat[(k + 1) * HELP_NB201_FEATS + nb201_op_feature[ops[k]]] = 1.0f;
	feat[7 * HELP_NB201_FEATS + FEAT_OUTPUT] = 1.0f;
	feat[8 * HELP_NB201_FEATS + FEAT_GLOBAL] = 1.0f;

	/* A[i][j] = 1 for an edge j -> i, every node -> global, and self-loops. */
	for (size_t k = 0; k < sizeof(nb201_edges) / sizeof(nb201_edges[0]); k++)
		adj[nb201_edges[k][1] * HELP_NB201_NODES + nb201_edges[k][0]] = 1.0f;
	for (int i = 0; i < HELP_NB201_NODES; i++)
	{
		adj[8 * HELP_NB201_NODES + i] = 1.0f;
		adj[i * HELP_NB201_NODES + i] = 1.0f;
	}
}

/* See encode.h. */
HelpStatus
help_encode_nb201(const char *cell, float *out, HelpError *err)
{
	int			ops[6];
	HelpStatus	st;

	if ((st = ParseNb201Cell(cell, ops, err)) != HELP_OK)
		return st;
	EncodeNb201Ops(ops, out);
	return HELP_OK;
}

/* See encode.h. */
void
help_encode_random_nb201(HelpRng *rng, float *out)
{
	int			op[6];
	char		cell[HELP_NB201_CELL_MAXLEN];
	HelpError	err;

	for (int e = 0; e < 6; e++)
		op[e] = help_rng_below(rng, NB201_N_OPS);
	help_nb201_cell_string(op, cell, sizeof(cell));
	help_encode_nb201(cell, out, &err);
}

/* See encode.h: the one cell-string parser, for the runner as for the encoder. */
HelpStatus
help_parse_nb201(const char *cell, int *ops, HelpError *err)
{
	return ParseNb201Cell(cell, ops, err);
}

/* See encode.h. */
void
help_nb201_cell_string(const int *ops, char *buf, size_t len)
{
	snprintf(buf, len, "|%s~0|+|%s~0|%s~1|+|%s~0|%s~1|%s~2|",
			 nb201_op_names[ops[0]], nb201_op_names[ops[1]], nb201_op_names[ops[2]],
			 nb201_op_names[ops[3]], nb201_op_names[ops[4]], nb201_op_names[ops[5]]);
}

/* See encode.h. */
HelpStatus
help_parse_fbnet(const char *text, int *ops, HelpError *err)
{
	const char *p = text;
	int			n = 0;

	while (isspace((unsigned char) *p))
		p++;
	if (*p != '{')
		return help_set_error(err, HELP_ERR_SYNTAX,
							  "FBNet architecture must be an array literal such as {7,8,1,...}");
	p++;
	for (;;)
	{
		const char *start;
		size_t		len;
		int			op = -1;

		while (isspace((unsigned char) *p))
			p++;
		start = p;
		while (*p && *p != ',' && *p != '}' && !isspace((unsigned char) *p))
			p++;
		len = (size_t) (p - start);
		while (isspace((unsigned char) *p))
			p++;
		if (len == 0)
			return help_set_error(err, HELP_ERR_SYNTAX,
								  "empty or truncated element %d in FBNet architecture", n + 1);

		/*
		 * Elements may be op indices (as the published data writes them) or op
		 * names (as people write them); a leading digit or minus sign means an
		 * index.
		 */
		if (isdigit((unsigned char) start[0]) || start[0] == '-' || start[0] == '+')
		{
			char	   *end;
			long		v = strtol(start, &end, 10);

			/*
			 * Plain decimal only: "007", "+7" or "-0" would be another
			 * spelling of an index, a second text for one architecture.
			 */
			if (end != start + len || (len > 1 && start[0] == '0') || start[0] == '+' ||
				(start[0] == '-' && v == 0))
				return help_set_error(err, HELP_ERR_SYNTAX,
									  "invalid FBNet op \"%.*s\" at position %d (an op index is written in plain decimal)",
									  (int) (len > 40 ? 40 : len), start, n + 1);
			if (v < 0 || v >= HELP_FBNET_N_OPS)
				return help_set_error(err, HELP_ERR_RANGE,
									  "FBNet op index %ld at position %d is out of range 0..8",
									  v, n + 1);
			op = (int) v;
		}
		else
		{
			for (int k = 0; k < HELP_FBNET_N_OPS; k++)
				if (strlen(help_fbnet_op_names[k]) == len &&
					strncmp(start, help_fbnet_op_names[k], len) == 0)
					op = k;
			if (op < 0)
				return help_set_error(err, HELP_ERR_VALUE,
									  "unknown FBNet op \"%.*s\" at position %d",
									  (int) (len > 40 ? 40 : len), start, n + 1);
		}

		/*
		 * Checked before storing, so that ops[] (22 entries) is never overrun
		 * by a longer list.
		 */
		if (n >= HELP_FBNET_LAYERS)
			return help_set_error(err, HELP_ERR_SIZE,
								  "FBNet architecture has more than %d layers",
								  HELP_FBNET_LAYERS);
		ops[n++] = op;
		if (*p == ',')
		{
			p++;
			continue;
		}
		if (*p == '}')
			break;
		return help_set_error(err, HELP_ERR_SYNTAX,
							  "expected \",\" or \"}\" after FBNet element %d", n);
	}
	p++;
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		return help_set_error(err, HELP_ERR_SYNTAX,
							  "unexpected text after the FBNet architecture");
	if (n != HELP_FBNET_LAYERS)
		return help_set_error(err, HELP_ERR_SIZE,
							  "FBNet architecture has %d layers, expected %d",
							  n, HELP_FBNET_LAYERS);
	return HELP_OK;
}

/* See encode.h. */
HelpStatus
help_encode_fbnet(const int *ops, float *out, HelpError *err)
{
	for (int l = 0; l < HELP_FBNET_LAYERS; l++)
		if (ops[l] < 0 || ops[l] >= HELP_FBNET_N_OPS)
			return help_set_error(err, HELP_ERR_RANGE,
								  "FBNet op index %d at layer %d is out of range 0..8",
								  ops[l], l + 1);

	/*
	 * Six values per layer: a one-hot of the kernel size (ops 0-3 are 3x3, 4-7
	 * are 5x5) and a one-hot of the expansion variant (e1, e1 with groups, e3,
	 * e6); skip leaves all six at zero.
	 */
	memset(out, 0, sizeof(float) * HELP_FBNET_ENC_DIM);
	for (int l = 0; l < HELP_FBNET_LAYERS; l++)
	{
		float	   *f = out + 6 * l;
		int			i = ops[l];

		if (i == 8)
			continue;			/* skip: six zeros */
		f[i < 4 ? 0 : 1] = 1.0f;
		f[2 + i % 4] = 1.0f;
	}
	return HELP_OK;
}

/* Index of v in a 3-element choice list, or -1. */
static int
ChoiceIndex(int v, const int *choices)
{
	for (int k = 0; k < 3; k++)
		if (choices[k] == v)
			return k;
	return -1;
}

/* See encode.h. */
HelpStatus
help_encode_ofa(const int *ks, const int *e, const int *d, int r,
				float *out, HelpError *err)
{
	static const int ks_choices[3] = {3, 5, 7};
	static const int e_choices[3] = {3, 4, 6};

	for (int b = 0; b < HELP_OFA_BLOCKS; b++)
	{
		if (ChoiceIndex(ks[b], ks_choices) < 0)
			return help_set_error(err, HELP_ERR_RANGE,
								  "OFA kernel size %d in block %d must be 3, 5 or 7", ks[b], b + 1);
		if (ChoiceIndex(e[b], e_choices) < 0)
			return help_set_error(err, HELP_ERR_RANGE,
								  "OFA expand ratio %d in block %d must be 3, 4 or 6", e[b], b + 1);
	}
	for (int s = 0; s < HELP_OFA_STAGES; s++)
		if (d[s] < 2 || d[s] > 4)
			return help_set_error(err, HELP_ERR_RANGE,
								  "OFA depth %d of stage %d must be 2, 3 or 4", d[s], s + 1);
	if (r < 128 || r > 224 || (r - 128) % 4 != 0)
		return help_set_error(err, HELP_ERR_RANGE,
							  "OFA resolution %d must be one of 128, 132, ..., 224", r);

	/*
	 * OFA: 20 blocks in 5 stages of 4, each with a kernel-size one-hot (values
	 * 1-60) and an expand-ratio one-hot (61-120), left all zero for the blocks
	 * past its stage's depth; then a one-hot of the input resolution in steps
	 * of 4 from 128 (121-145).
	 */
	memset(out, 0, sizeof(float) * HELP_OFA_ENC_DIM);
	for (int b = 0; b < HELP_OFA_BLOCKS; b++)
	{
		if (b % 4 >= d[b / 4])
			continue;			/* block beyond its stage's depth: absent */
		out[3 * b + ChoiceIndex(ks[b], ks_choices)] = 1.0f;
		out[60 + 3 * b + ChoiceIndex(e[b], e_choices)] = 1.0f;
	}
	out[120 + (r - 128) / 4] = 1.0f;
	return HELP_OK;
}

/*
 * The operation codes of a NAS-Bench-201 encoding's six edge nodes, or an
 * error when a node's features are not the one-hot help_encode_nb201 gives.
 */
static HelpStatus
DecodeNb201(const float *enc, int *ops, HelpError *err)
{
	static const int fixed[3][2] = {{0, FEAT_INPUT}, {7, FEAT_OUTPUT}, {8, FEAT_GLOBAL}};

	for (int node = 0; node < HELP_NB201_NODES; node++)
	{
		const float *f = enc + node * HELP_NB201_FEATS;
		int			hot = -1,
					count = 0;

		for (int k = 0; k < HELP_NB201_FEATS; k++)
			if (f[k] != 0.0f)
			{
				hot = k;
				count++;
			}
		if (count != 1)
			return help_set_error(err, HELP_ERR_DATA,
								  "nasbench201 encoding: node %d has %d features set, expected one",
								  node, count);
		for (int i = 0; i < 3; i++)
			if (fixed[i][0] == node && fixed[i][1] != hot)
				return help_set_error(err, HELP_ERR_DATA,
									  "nasbench201 encoding: node %d must be the cell's %s node",
									  node, node == 0 ? "input" : node == 7 ? "output" : "global");
		if (node >= 1 && node <= 6)
		{
			ops[node - 1] = -1;
			for (int k = 0; k < NB201_N_OPS; k++)
				if (nb201_op_feature[k] == hot)
					ops[node - 1] = k;
			if (ops[node - 1] < 0)
				return help_set_error(err, HELP_ERR_DATA,
									  "nasbench201 encoding: node %d is not an operation", node);
		}
	}
	return HELP_OK;
}

/* The op codes of an FBNet encoding, or an error for a layer no op gives. */
static HelpStatus
DecodeFbnet(const float *enc, int *ops, HelpError *err)
{
	for (int l = 0; l < HELP_FBNET_LAYERS; l++)
	{
		const float *f = enc + 6 * l;
		int			kernel = -1,
					variant = -1,
					set = 0;

		for (int k = 0; k < 6; k++)
			set += f[k] != 0.0f;
		if (set == 0)
		{
			ops[l] = 8;			/* skip */
			continue;
		}
		for (int k = 0; k < 2; k++)
			if (f[k] != 0.0f)
				kernel = k;
		for (int k = 0; k < 4; k++)
			if (f[2 + k] != 0.0f)
				variant = k;
		if (set != 2 || kernel < 0 || variant < 0)
			return help_set_error(err, HELP_ERR_DATA,
								  "fbnet encoding: layer %d is not one operation", l + 1);
		ops[l] = 4 * kernel + variant;
	}
	return HELP_OK;
}

/* Index of the one nonzero of v[0..n), -1 if none, -2 if several. */
static int
OneHot(const float *v, int n)
{
	int			hot = -1;

	for (int k = 0; k < n; k++)
		if (v[k] != 0.0f)
		{
			if (hot >= 0)
				return -2;
			hot = k;
		}
	return hot;
}

/* The choices of an OFA encoding, or an error for one no sub-network gives. */
static HelpStatus
DecodeOfa(const float *enc, int *ks, int *e, int *d, int *r, HelpError *err)
{
	static const int ks_choices[3] = {3, 5, 7};
	static const int e_choices[3] = {3, 4, 6};
	int			res = OneHot(enc + 120, 25);

	for (int s = 0; s < HELP_OFA_STAGES; s++)
	{
		d[s] = 0;
		for (int i = 0; i < 4; i++)
		{
			int			b = 4 * s + i;
			int			k = OneHot(enc + 3 * b, 3);
			int			x = OneHot(enc + 60 + 3 * b, 3);

			if (k == -1 && x == -1)
			{
				ks[b] = 3;		/* absent: any choice encodes as zeros */
				e[b] = 3;
				continue;
			}
			if (k < 0 || x < 0 || d[s] != i)
				return help_set_error(err, HELP_ERR_DATA,
									  "ofa encoding: block %d is neither one choice of kernel and expansion after the blocks before it, nor absent",
									  b + 1);
			ks[b] = ks_choices[k];
			e[b] = e_choices[x];
			d[s]++;
		}
	}
	if (res < 0)
		return help_set_error(err, HELP_ERR_DATA, "ofa encoding: the resolution is not one choice");
	*r = 128 + 4 * res;
	return HELP_OK;
}

/* See encode.h. */
HelpStatus
help_check_encoding(HelpSpace space, const float *enc, int len, HelpError *err)
{
	int			want = help_space_encoding_dim(space);
	int			ops[HELP_FBNET_LAYERS];
	int			ks[HELP_OFA_BLOCKS],
				e[HELP_OFA_BLOCKS],
				d[HELP_OFA_STAGES],
				r = 0;
	float		again[HELP_OFA_ENC_DIM > HELP_NB201_ENC_DIM ? HELP_OFA_ENC_DIM : HELP_NB201_ENC_DIM];
	HelpStatus	st = HELP_OK;

	if (len != want)
		return help_set_error(err, HELP_ERR_SIZE,
							  "%s encodings have %d values, got %d (use help_encode)",
							  help_space_name(space), want, len);
	for (int i = 0; i < len; i++)
		if (enc[i] != 0.0f && enc[i] != 1.0f)
			return help_set_error(err, HELP_ERR_DATA,
								  "%s encoding value %d is %g, expected 0 or 1",
								  help_space_name(space), i + 1, (double) enc[i]);

	/*
	 * A stored encoding is read by the network as is, so it must be one that
	 * help_encode produces, or the prediction is of no architecture at all
	 * (an all-ones NAS-Bench-201 encoding predicted 5,270 ms): decode it to
	 * the architecture's choices, encode those again, and compare.
	 */
	switch (space)
	{
		case HELP_SPACE_NASBENCH201:
			if ((st = DecodeNb201(enc, ops, err)) == HELP_OK)
				EncodeNb201Ops(ops, again);
			break;
		case HELP_SPACE_FBNET:
			if ((st = DecodeFbnet(enc, ops, err)) == HELP_OK)
				st = help_encode_fbnet(ops, again, err);
			break;
		case HELP_SPACE_OFA:
			if ((st = DecodeOfa(enc, ks, e, d, &r, err)) == HELP_OK)
				st = help_encode_ofa(ks, e, d, r, again, err);
			break;
		default:
			return help_set_error(err, HELP_ERR_VALUE, "unknown search space");
	}
	if (st != HELP_OK)
		return st;
	if (memcmp(again, enc, sizeof(float) * len) != 0)
		return help_set_error(err, HELP_ERR_DATA,
							  "%s encoding is not one help_encode produces (%s)",
							  help_space_name(space),
							  space == HELP_SPACE_NASBENCH201 ? "its graph is not the cell's" : "its choices do not match");
	return HELP_OK;
}
