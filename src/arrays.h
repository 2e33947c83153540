/*
 * arrays.h
 *	  SQL arrays of real and float8 to C arrays and back, checked.
 */
#ifndef HELP_ARRAYS_H
#define HELP_ARRAYS_H

#include "help.h"

#include "utils/array.h"

extern float *help_float4_array(ArrayType *arr, int *n, const char *what);
extern double *help_float8_array(ArrayType *arr, int *n, const char *what);
extern ArrayType *help_make_float4_array(const float *v, int n);

#endif							/* HELP_ARRAYS_H */
