/*
 * tlp.c
 *		Type ceptoar.tlp: a Traffic Light Protocol 2.0 label (FIRST, 2022).
 *
 * A by-value int2 holding the label's rank, clear = 0 ... red = 4, so that
 * comparison and hashing reuse the int2 support functions, as sector does
 * (see src/sql/100_tlp.sql), and the order is the order of restriction.  The
 * label table below is the only definition: parser, output, hints and
 * binary format all read it.
 */
#include "postgres.h"

#include "libpq/pqformat.h"

#include "ceptoar_registry.h"

/* Indexed by rank: TLP 2.0's labels, least restricted first. */
const char *const cr_tlp_labels[CR_NTLP] = {
	"clear", "green", "amber", "amber+strict", "red"
};

#define TLP_VALID_LIST "clear, green, amber, amber+strict, red"

/*
 * What "Did you mean" may suggest: the labels and TLP 1.0's white, and the
 * same with the prefix for input that begins with "tlp" but not "tlp:"
 * ("TLP RED", "TLP-RED").
 */
static const char *const tlp_candidates[] = {
	"clear", "green", "amber", "amber+strict", "red", "white"
};
static const char *const tlp_prefixed[] = {
	"tlp:clear", "tlp:green", "tlp:amber", "tlp:amber+strict", "tlp:red", "tlp:white"
};

const char *
cr_tlp_label(Tlp t)
{
	if (t < 0 || t >= CR_NTLP)
		elog(ERROR, "invalid ceptoar.tlp value %d", (int) t);
	return cr_tlp_labels[t];
}

/*
 * Parse a TLP literal: a label in any case, optionally after "TLP:" (and
 * blanks after the colon), surrounding blanks ignored; TLP 1.0's "white" is
 * TLP 2.0's "clear".
 */
Tlp
cr_tlp_parse(const char *str)
{
	char		norm[CR_MAX_NAME + 1];
	const char *label = norm;
	const char *nearest;
	int			len = cr_normalise(str, norm, NULL);

	if (len >= 4 && memcmp(norm, "tlp:", 4) == 0)
		label = cr_skip_spaces(norm + 4);
	if (len > 0)
	{
		for (int t = 0; t < CR_NTLP; t++)
			if (strcmp(label, cr_tlp_labels[t]) == 0)
				return (Tlp) t;
		if (strcmp(label, "white") == 0)
			return CR_TLP_CLEAR;
	}

	if (len < 0)
		cr_report_bad_name("ceptoar.tlp", str,
						   psprintf("The TLP label is longer than %d bytes.", CR_MAX_NAME),
						   NULL, "TLP labels", TLP_VALID_LIST);
	if (*label == '\0')
		cr_report_bad_name("ceptoar.tlp", str, "The TLP label is empty.",
						   NULL, "TLP labels", TLP_VALID_LIST);
	if (strncmp(label, "tlp", 3) == 0 && label[3] != '\0')
		nearest = cr_nearest(label, tlp_prefixed, NELEM(tlp_prefixed));
	else
		nearest = cr_nearest(label, tlp_candidates, NELEM(tlp_candidates));
	cr_report_bad_name("ceptoar.tlp", str,
					   psprintf("Unknown TLP label \"%s\".", label),
					   nearest, "TLP labels", TLP_VALID_LIST);
	pg_unreachable();
}

PG_FUNCTION_INFO_V1(tlp_in);
/* text -> tlp: a label in any case, with or without "TLP:"; white reads as clear */
Datum
tlp_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_TLP(cr_tlp_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(tlp_out);
/* tlp -> its label in lower case, without "TLP:" */
Datum
tlp_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(cr_tlp_label(PG_GETARG_TLP(0))));
}

PG_FUNCTION_INFO_V1(tlp_recv);
/*
 * binary input: a format version byte, then the rank as one byte.  The rank
 * is TLP 2.0's own order, so it is as stable as the label text would be.
 */
Datum
tlp_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version;
	int			rank;

	/* lengths first: pq_getmsgint would report a short value as 08P01 */
	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", "ceptoar.tlp"),
				 errdetail("The value is empty; it must start with a format version byte.")));
	version = pq_getmsgint(buf, 1);
	if (version != CR_TLP_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						version, "ceptoar.tlp"),
				 errhint("This server reads version %d.", CR_TLP_BINARY_VERSION)));
	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", "ceptoar.tlp"),
				 errdetail("The value ends after its version byte; the rank byte is missing.")));
	rank = pq_getmsgint(buf, 1);
	if (rank >= CR_NTLP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", "ceptoar.tlp"),
				 errdetail("The rank byte is %d.", rank),
				 errhint("Ranks are 0 (clear), 1 (green), 2 (amber), 3 (amber+strict) and 4 (red).")));
	PG_RETURN_TLP((Tlp) rank);
}

PG_FUNCTION_INFO_V1(tlp_send);
/* binary output: a format version byte, then the rank as one byte */
Datum
tlp_send(PG_FUNCTION_ARGS)
{
	Tlp			t = PG_GETARG_TLP(0);
	StringInfoData buf;

	(void) cr_tlp_label(t);		/* validates */
	pq_begintypsend(&buf);
	pq_sendint8(&buf, CR_TLP_BINARY_VERSION);
	pq_sendint8(&buf, (uint8) t);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(tlp_rank);
/* the label's rank: 0 = clear ... 4 = red */
Datum
tlp_rank(PG_FUNCTION_ARGS)
{
	Tlp			t = PG_GETARG_TLP(0);

	(void) cr_tlp_label(t);		/* validates */
	PG_RETURN_INT32((int32) t);
}
