/*
 * report.c
 *		Error reports shared by the input functions: the message quotes the
 *		input, the detail names the bad part, the hint suggests the nearest
 *		valid name and lists every valid one.
 */
#include "postgres.h"

#include <limits.h>

#include "lib/stringinfo.h"
#include "utils/varlena.h"

#include "ceptoar_registry.h"

/*
 * The candidate closest to input by edit distance, or NULL when nothing is
 * close enough to be a plausible typo.
 */
const char *
cr_nearest(const char *input, const char *const *candidates, int ncandidates)
{
	const char *best = NULL;
	int			best_d = INT_MAX;
	int			ilen = strlen(input);
	int			nchars = 0;
	bool		ascii = true;
	int			limit;

	for (const char *p = input; *p; p++)
	{
		if (IS_HIGHBIT_SET(*p))
			ascii = false;
		if ((*p & 0xC0) != 0x80)	/* count UTF-8 characters, not bytes */
			nchars++;
	}
	if (nchars == 0)
		return NULL;

	/* a name the input begins, as 政府 for 政府・行政サービス */
	if (nchars >= 2)
		for (int i = 0; i < ncandidates; i++)
			if (strncmp(candidates[i], input, ilen) == 0)
				return candidates[i];

	/*
	 * Otherwise the closest within a third of the length: "gass" -> "gas",
	 * 電カ -> 電力, but not "xyz" -> "gas" nor 政府 -> 金融.
	 */
	limit = Max(ascii ? 2 : 1, nchars / 3);
	for (int i = 0; i < ncandidates; i++)
	{
		int			d;

		d = varstr_levenshtein_less_equal(input, ilen, candidates[i],
										  strlen(candidates[i]),
										  1, 1, 1, limit, true);
		if (d < best_d)
		{
			best_d = d;
			best = candidates[i];
		}
	}
	if (best_d > limit || best_d >= nchars)
		return NULL;
	return best;
}

/* "a, b, c" */
char *
cr_join(const char *const *items, int nitems)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < nitems; i++)
	{
		if (i > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, items[i]);
	}
	return buf.data;
}

/*
 * Raise 22P02 for a literal that names nothing in a catalogue.
 * "what" is the plural noun of the hint ("sectors", "services of finance").
 */
void
cr_report_bad_name(const char *typname, const char *input, const char *detail,
				   const char *nearest, const char *what,
				   const char *valid_list)
{
	if (nearest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						typname, input),
				 errdetail("%s", detail),
				 errhint("Did you mean \"%s\"? Valid %s are: %s.",
						 nearest, what, valid_list)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						typname, input),
				 errdetail("%s", detail),
				 errhint("Valid %s are: %s.", what, valid_list)));
}
