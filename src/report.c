/*
 * report.c
 *		Error reports shared by the input functions: the message quotes the
 *		input, the detail names the bad part and suggests the nearest valid
 *		name (in the detail, not the hint: psqlODBC shows the detail to its
 *		users and drops the hint), the hint lists every valid one.  Also lists and numbers as
 *		people read them, for reports and explanations.
 */
#include "postgres.h"

#include <limits.h>

#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "ceptoar_registry.h"

/*
 * Edit distance between two UTF-8 strings in characters, or limit + 1 when
 * it is more than limit.  Not varstr_levenshtein_less_equal(): that reads
 * its arguments in the database encoding, and these are UTF-8 whatever the
 * database encoding is (input after cr_normalise, and catalogue names).
 */
static int
utf8_distance(const char *a, const char *b, int limit)
{
	int			alen = strlen(a),
				blen = strlen(b);
	int		   *ao = palloc((alen + 1) * sizeof(int));
	int		   *bo = palloc((blen + 1) * sizeof(int));
	int		   *prev,
			   *cur;
	int			na = 0,
				nb = 0;
	int			d;

	/* character start offsets; a continuation byte never starts one */
	for (int i = 0; i < alen; i++)
		if ((a[i] & 0xC0) != 0x80)
			ao[na++] = i;
	ao[na] = alen;
	for (int i = 0; i < blen; i++)
		if ((b[i] & 0xC0) != 0x80)
			bo[nb++] = i;
	bo[nb] = blen;
	if (Abs(na - nb) > limit)
		return limit + 1;

	prev = palloc((nb + 1) * sizeof(int));
	cur = palloc((nb + 1) * sizeof(int));
	for (int j = 0; j <= nb; j++)
		prev[j] = j;
	for (int i = 1; i <= na; i++)
	{
		int		   *t;
		int			row_min;

		cur[0] = row_min = i;
		for (int j = 1; j <= nb; j++)
		{
			int			al = ao[i] - ao[i - 1],
						bl = bo[j] - bo[j - 1];
			int			sub = (al == bl && memcmp(a + ao[i - 1], b + bo[j - 1], al) == 0) ? 0 : 1;

			cur[j] = Min(prev[j - 1] + sub, Min(prev[j], cur[j - 1]) + 1);
			row_min = Min(row_min, cur[j]);
		}
		if (row_min > limit)	/* rows never get cheaper */
			return limit + 1;
		t = prev;
		prev = cur;
		cur = t;
	}
	d = prev[nb];
	return d > limit ? limit + 1 : d;
}

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
	 * Otherwise the closest within a third of the length: "gass" -> "gas", 電カ
	 * -> 電力, but not "xyz" -> "gas" nor 政府 -> 金融.
	 */
	limit = Max(ascii ? 2 : 1, nchars / 3);
	for (int i = 0; i < ncandidates; i++)
	{
		int			d;

		d = utf8_distance(input, candidates[i], limit);
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
 * 45000 -> "45,000", for explanations, written at out (at least
 * CR_COUNT_MAXLEN bytes), NUL-terminated; returns its length
 */
int
cr_write_count(char *out, int64 n)
{
	char		buf[CR_COUNT_MAXLEN];
	char	   *end = buf + sizeof(buf);
	char	   *p = end;
	uint64		u = n < 0 ? -(uint64) n : (uint64) n;
	int			len;

	/* classify() writes counts into many explanations: backwards, no call */
	for (int group = 0;; group++)
	{
		if (group == 3)
		{
			*--p = ',';
			group = 0;
		}
		*--p = '0' + u % 10;
		u /= 10;
		if (u == 0)
			break;
	}
	if (n < 0)
		*--p = '-';
	len = end - p;
	memcpy(out, p, len);
	out[len] = '\0';
	return len;
}

void
cr_append_count(StringInfo buf, int64 n)
{
	char		out[CR_COUNT_MAXLEN];

	appendBinaryStringInfo(buf, out, cr_write_count(out, n));
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
	/*
	 * The input is in the server encoding, but the detail quotes it
	 * normalised, which is UTF-8 (cr_normalise), and the nearest name is a
	 * catalogue string, UTF-8 too: give both to the report in the server
	 * encoding, as everything else in it is.
	 */
	detail = cr_utf8_to_server(detail);
	if (nearest)
		nearest = cr_utf8_to_server(nearest);

	if (nearest)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						typname, input),
				 errdetail("%s Did you mean \"%s\"?", detail, nearest),
				 errhint("Valid %s are: %s.", what, valid_list)));
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"",
						typname, input),
				 errdetail("%s", detail),
				 errhint("Valid %s are: %s.", what, valid_list)));
}
