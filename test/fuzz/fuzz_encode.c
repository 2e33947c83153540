/*
 * fuzz_encode.c
 *	  libFuzzer target of the core alone: the encoders and the encoding
 *	  check.  The first byte chooses: a cell string, an FBNet array, OFA
 *	  choices from bytes, or a raw encoding of one of the spaces.  Nothing
 *	  crashes; whatever an encoder produces passes help_check_encoding, and
 *	  an encoding help_check_encoding passes is one an encoder produces
 *	  (decoded and re-encoded, it is the same vector).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encode.h"
#include "fuzz_require.h"


int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	float		v[HELP_NB201_ENC_DIM];
	HelpError	err;
	int			ops[HELP_FBNET_LAYERS];
	char	   *text;

	if (size < 1)
		return 0;
	text = strndup((const char *) data + 1, size - 1);
	switch (data[0] % 6)
	{
		case 0:
			if (help_encode_nb201(text, v, &err) == HELP_OK)
				FUZZ_REQUIRE(help_check_encoding(HELP_SPACE_NASBENCH201, v, HELP_NB201_ENC_DIM, &err) == HELP_OK);
			break;
		case 1:
			if (help_parse_fbnet(text, ops, &err) == HELP_OK &&
				help_encode_fbnet(ops, v, &err) == HELP_OK)
				FUZZ_REQUIRE(help_check_encoding(HELP_SPACE_FBNET, v, HELP_FBNET_ENC_DIM, &err) == HELP_OK);
			break;
		case 2:
			{
				/* 20 kernel sizes, 20 expansions, 5 depths, a resolution, a byte each */
				int			ks[HELP_OFA_BLOCKS],
							e[HELP_OFA_BLOCKS],
							d[HELP_OFA_STAGES];

				if (size < 1 + 46)
					break;
				for (int b = 0; b < HELP_OFA_BLOCKS; b++)
				{
					ks[b] = data[1 + b] % 9;
					e[b] = data[21 + b] % 9;
				}
				for (int s = 0; s < HELP_OFA_STAGES; s++)
					d[s] = data[41 + s] % 6;
				if (help_encode_ofa(ks, e, d, 120 + data[46] % 110, v, &err) == HELP_OK)
					FUZZ_REQUIRE(help_check_encoding(HELP_SPACE_OFA, v, HELP_OFA_ENC_DIM, &err) == HELP_OK);
				break;
			}
		default:
			{
				/* a raw encoding: one value per byte, mostly 0 and 1 */
				HelpSpace	space = (HelpSpace) (data[0] % 6 - 3);
				int			dim = help_space_encoding_dim(space);
				float		enc[HELP_OFA_ENC_DIM > HELP_NB201_ENC_DIM ? HELP_OFA_ENC_DIM : HELP_NB201_ENC_DIM];

				for (int i = 0; i < dim; i++)
				{
					uint8_t		b = 1 + (size_t) i < size ? data[1 + i] : 0;

					enc[i] = b < 128 ? 0.0f : b < 255 ? 1.0f : 0.5f;
				}
				(void) help_check_encoding(space, enc, dim, &err);
				break;
			}
	}
	free(text);
	return 0;
}
