/*
 * encode_sql.h
 *	  Search spaces by name and architectures in their native notation,
 *	  for the SQL functions (encode_sql.c, ofa_json.c).
 */
#ifndef HELP_ENCODE_SQL_H
#define HELP_ENCODE_SQL_H

#include "help.h"

/*
 * The search space called name, or an ERROR that lists the spaces; what,
 * when not NULL, says where the name was read ("unknown search space
 * \"x\" in what").
 */
extern HelpSpace help_lookup_space(const char *name, const char *what);
extern float *help_encode_text(int space, const char *arch, int *len);

/* ofa_json.c */
extern void help_encode_ofa_json(const char *arch, float *out);

#endif							/* HELP_ENCODE_SQL_H */
