/*
 * fuzz_target.c
 *		libFuzzer harness over one input function of one ceptoar type.
 *
 * Compiled once per target with -DFUZZ_TYPE=<n> (1 sector, 2 service,
 * 3 incident, 4 criterion, 5 tlp) and -DFUZZ_RECV=<0|1> (text input or
 * binary receive).  It calls the real fmgr entry points of the src/ files
 * through a FunctionCallInfo, as the server does, and checks:
 *
 * - an input that is refused raises an ERROR whose SQLSTATE is of class
 *	 22 (data exception), 42 (syntax error or access rule violation) or 54
 *	 (program limit exceeded); any other class, XX000 above all, is a
 *	 finding, and so is a report whose texts are not valid in the database
 *	 encoding, a FATAL, a NULL result, or a crash, leak or undefined
 *	 behaviour that the sanitizers see;
 * - a value that is accepted prints (out) text that is valid in the
 *	 database encoding and reads back (in) to the same value and prints the
 *	 same text again, and sends (send) bytes that receive (recv) reads back
 *	 to the same value, consuming them all; none of these may raise an error.
 *	 A criterion is also described, and evaluated against a few incidents.
 *
 * Text input runs with a UTF8 database when the input is valid UTF-8 and
 * with SQL_ASCII otherwise (the server never passes a string that is
 * invalid in the database encoding to an input function).  Binary input
 * runs with UTF8, as client and database.
 *
 * With FUZZ_EMIT_SEND=<dir> in the environment, a text target writes the
 * binary form of every value it accepts into <dir>: that is how the
 * receive targets' seeds are made from the text seeds.
 */
#include "postgres.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "ceptoar_registry.h"
#include "shim.h"

#ifndef FUZZ_TYPE
#error "compile with -DFUZZ_TYPE=1..5"
#endif
#ifndef FUZZ_RECV
#error "compile with -DFUZZ_RECV=0 or 1"
#endif

extern Datum sector_in(PG_FUNCTION_ARGS);
extern Datum sector_out(PG_FUNCTION_ARGS);
extern Datum sector_recv(PG_FUNCTION_ARGS);
extern Datum sector_send(PG_FUNCTION_ARGS);
extern Datum service_in(PG_FUNCTION_ARGS);
extern Datum service_out(PG_FUNCTION_ARGS);
extern Datum service_recv(PG_FUNCTION_ARGS);
extern Datum service_send(PG_FUNCTION_ARGS);
extern Datum incident_in(PG_FUNCTION_ARGS);
extern Datum incident_out(PG_FUNCTION_ARGS);
extern Datum incident_recv(PG_FUNCTION_ARGS);
extern Datum incident_send(PG_FUNCTION_ARGS);
extern Datum criterion_in(PG_FUNCTION_ARGS);
extern Datum criterion_out(PG_FUNCTION_ARGS);
extern Datum criterion_recv(PG_FUNCTION_ARGS);
extern Datum criterion_send(PG_FUNCTION_ARGS);
extern Datum tlp_in(PG_FUNCTION_ARGS);
extern Datum tlp_out(PG_FUNCTION_ARGS);
extern Datum tlp_recv(PG_FUNCTION_ARGS);
extern Datum tlp_send(PG_FUNCTION_ARGS);

typedef enum
{
	BYVAL2, BYVAL4, FIXED, VARLENA
} Layout;

typedef struct TypeOps
{
	const char *name;
	PGFunction	in,
				out,
				recv,
				send;
	Layout		layout;
	int			len;			/* FIXED: bytes */
} TypeOps;

static const TypeOps types[] = {
	{NULL},
	{"ceptoar.sector", sector_in, sector_out, sector_recv, sector_send, BYVAL2},
	{"ceptoar.service", service_in, service_out, service_recv, service_send, BYVAL4},
	{"ceptoar.incident", incident_in, incident_out, incident_recv, incident_send,
	FIXED, sizeof(Incident)},
	{"ceptoar.criterion", criterion_in, criterion_out, criterion_recv, criterion_send,
	VARLENA},
	{"ceptoar.tlp", tlp_in, tlp_out, tlp_recv, tlp_send, BYVAL2},
};

static const TypeOps *T = &types[FUZZ_TYPE];

/* which step is running, for findings */
static const char *volatile step;

static Datum
call(PGFunction fn, Datum arg)
{
	LOCAL_FCINFO(fcinfo, 3);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 3, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = ObjectIdGetDatum(InvalidOid);
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = Int32GetDatum(-1);
	fcinfo->args[2].isnull = false;
	result = fn(fcinfo);
	if (fcinfo->isnull)
		fuzz_finding("%s returned NULL for a non-null argument (%s)", T->name, step);
	return result;
}

static bool
same_value(Datum a, Datum b)
{
	switch (T->layout)
	{
		case BYVAL2:
			return DatumGetInt16(a) == DatumGetInt16(b);
		case BYVAL4:
			return DatumGetInt32(a) == DatumGetInt32(b);
		case FIXED:
			return memcmp(DatumGetPointer(a), DatumGetPointer(b), T->len) == 0;
		case VARLENA:
			return VARSIZE(DatumGetPointer(a)) == VARSIZE(DatumGetPointer(b)) &&
				memcmp(DatumGetPointer(a), DatumGetPointer(b),
					   VARSIZE(DatumGetPointer(a))) == 0;
	}
	return false;
}

static void
check_text(const char *what, const char *s)
{
	int			bad;

	if (s == NULL || fuzz_encoding != PG_UTF8)
		return;
	bad = fuzz_utf8_invalid_at(s, strlen(s));
	if (bad >= 0)
		fuzz_finding("%s is not valid UTF-8 at byte %d: \"%s\"", what, bad, s);
}

/* an error of the step being run: allowed classes only, texts well encoded */
static void
check_error(void)
{
	int			code = fuzz_error.sqlerrcode;
	char		cls[3] = {PGUNSIXBIT(code), PGUNSIXBIT(code >> 6), '\0'};

	if (strcmp(cls, "22") != 0 && strcmp(cls, "42") != 0 && strcmp(cls, "54") != 0)
		fuzz_finding("%s (%s) raised SQLSTATE %c%c%c%c%c at %s:%d (%s): %s",
					 T->name, step, PGUNSIXBIT(code), PGUNSIXBIT(code >> 6),
					 PGUNSIXBIT(code >> 12), PGUNSIXBIT(code >> 18),
					 PGUNSIXBIT(code >> 24), fuzz_error.filename, fuzz_error.lineno,
					 fuzz_error.funcname, fuzz_error.message);
	if (fuzz_error.message == NULL)
		fuzz_finding("%s (%s) raised an error without a message at %s:%d",
					 T->name, step, fuzz_error.filename, fuzz_error.lineno);
	check_text("error message", fuzz_error.message);
	check_text("error detail", fuzz_error.detail);
	check_text("error hint", fuzz_error.hint);
}

/* an input value in a palloc'd buffer of exactly its size, as the server keeps it */
static StringInfoData
make_buf(const char *data, int len)
{
	StringInfoData buf;

	buf.data = palloc(len + 1);
	memcpy(buf.data, data, len);
	buf.data[len] = '\0';
	buf.len = len;
	buf.maxlen = len + 1;
	buf.cursor = 0;
	return buf;
}

static const char *
value_text(Datum d)
{
	return DatumGetCString(call(T->out, d));
}

static void
check_criterion(Datum d)
{
	const Criterion *c = (const Criterion *) DatumGetPointer(d);
	Incident	inc[3];

	memset(inc, 0, sizeof(inc));
	for (int i = 0; i < 3; i++)
	{
		inc[i].service = CR_SERVICE(6, 1, 0, 0);
		inc[i].version = CR_INCIDENT_VERSION;
		inc[i].cause = CR_CAUSE_UNKNOWN;
	}
	/* 1: everything known, middling */
	inc[1].known = 0x1F;
	inc[1].effect = CR_EFFECT_DEGRADATION;
	inc[1].flags = CR_F_RIGHTS_IMPAIRED | CR_F_CARGO_LOST;
	inc[1].lasted = 2 * USECS_PER_HOUR;
	for (int m = 0; m < CR_NMEASURES; m++)
		inc[1].measure[m] = 30000;
	/* 2: the largest values, ongoing */
	inc[2].known = 0x0F | CR_ONGOING;
	inc[2].effect = CR_EFFECT_LOSS;
	inc[2].flags = 0x0F;
	for (int m = 0; m < CR_NMEASURES; m++)
		inc[2].measure[m] = PG_INT64_MAX;

	step = "describe";
	check_text("description", cr_criterion_describe(c));
	for (int i = 0; i < 3; i++)
	{
		CrTri		r;

		step = "evaluate";
		r = cr_evaluate(c, &inc[i]);
		if (r != CR_TRUE && r != CR_FALSE && r != CR_UNKNOWN)
			fuzz_finding("cr_evaluate returned %d", (int) r);
		/* the compiled form (truth table) answers as the program */
		step = "compiled";
		{
			CrCompiled	k;
			CrTri		rk;

			cr_criterion_compile(c, &k);
			rk = cr_compiled_evaluate(&k, &inc[i]);
			if (rk != r)
				fuzz_finding("compiled criterion gave %d, the program %d", (int) rk, (int) r);
		}
		/* an incident without known measures: only unknown or a fixed answer */
		step = "facts";
		{
			char		facts[CR_FACTS_MAXLEN];
			char	   *end = cr_write_incident_facts(facts, c, &inc[i]);

			/* written within its bound, NUL-terminated at the end returned */
			if (end < facts || end >= facts + sizeof(facts) || *end != '\0')
				fuzz_finding("cr_write_incident_facts wrote %ld bytes of %zu",
							 (long) (end - facts), sizeof(facts));
			check_text("facts", facts);
		}
	}
}

/* every accepted value: text and binary round trips, no error allowed */
static void
round_trip(Datum d)
{
	const char *s1,
			   *s2;
	Datum		d2,
				d3;
	bytea	   *b;
	StringInfoData buf;

	step = "out";
	s1 = value_text(d);
	check_text("output", s1);
	step = "in(out)";
	d2 = call(T->in, CStringGetDatum(s1));
	if (!same_value(d, d2))
		fuzz_finding("%s text round trip changed the value: \"%s\" reads back as \"%s\"",
					 T->name, s1, value_text(d2));
	step = "out(in(out))";
	s2 = value_text(d2);
	if (strcmp(s1, s2) != 0)
		fuzz_finding("%s output is not stable: \"%s\" then \"%s\"", T->name, s1, s2);

	step = "send";
	b = DatumGetByteaPP(call(T->send, d));
	buf = make_buf(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	step = "recv(send)";
	d3 = call(T->recv, PointerGetDatum(&buf));
	if (buf.cursor != buf.len)
		fuzz_finding("%s recv left %d of %d sent bytes unread", T->name,
					 buf.len - buf.cursor, buf.len);
	if (!same_value(d, d3))
		fuzz_finding("%s binary round trip changed the value: \"%s\" reads back as \"%s\"",
					 T->name, s1, value_text(d3));

	if (FUZZ_TYPE == 4)
		check_criterion(d);

	{
		static const char *emit_dir;
		static bool emit_checked;

		if (!emit_checked)
		{
			emit_dir = getenv("FUZZ_EMIT_SEND");
			emit_checked = true;
		}
		if (emit_dir && !FUZZ_RECV)
		{
			char		path[4096];
			uint32		h = 2166136261u;
			FILE	   *f;

			for (int i = 0; i < (int) VARSIZE_ANY_EXHDR(b); i++)
				h = (h ^ (unsigned char) VARDATA_ANY(b)[i]) * 16777619u;
			snprintf(path, sizeof(path), "%s/send-%08x", emit_dir, h);
			f = fopen(path, "wb");
			if (f)
			{
				fwrite(VARDATA_ANY(b), 1, VARSIZE_ANY_EXHDR(b), f);
				fclose(f);
			}
		}
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *e;

	if ((e = getenv("FUZZ_STACK_SOFT")) != NULL)
		fuzz_stack_soft = atol(e);
	if ((e = getenv("FUZZ_STACK_HARD")) != NULL)
		fuzz_stack_hard = atol(e);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sigjmp_buf	jb;
	volatile Datum value = 0;
	volatile bool ok = false;
	volatile int rc = 0;

	if (size > 1024 * 1024)
		return -1;
	fuzz_input = data;
	fuzz_input_len = size;
	fuzz_stack_base = (char *) __builtin_frame_address(0);
	fuzz_error_jmp = &jb;

	if (FUZZ_RECV)
		fuzz_encoding = PG_UTF8;
	else
	{
		/* a C string: the server cannot pass an embedded NUL */
		if (memchr(data, '\0', size) != NULL)
			return -1;
		fuzz_encoding = fuzz_utf8_invalid_at((const char *) data, size) < 0 ?
			PG_UTF8 : PG_SQL_ASCII;
	}

	if (sigsetjmp(jb, 0) == 0)
	{
		StringInfoData buf = make_buf((const char *) data, size);

		if (FUZZ_RECV)
		{
			step = "recv";
			value = call(T->recv, PointerGetDatum(&buf));
			/* the server refuses a value that leaves bytes unread (22P03) */
			ok = (buf.cursor == buf.len);
		}
		else
		{
			step = "in";
			value = call(T->in, CStringGetDatum(buf.data));
			ok = true;
		}
		if (ok)
			round_trip(value);
	}
	else
	{
		if (strcmp(step, "in") != 0 && strcmp(step, "recv") != 0)
			fuzz_finding("%s: %s of an accepted value raised an error: %s (%s%s%s)",
						 T->name, step, fuzz_error.message,
						 fuzz_error.detail ? fuzz_error.detail : "",
						 fuzz_error.hint ? " " : "", fuzz_error.hint ? fuzz_error.hint : "");
		check_error();
	}

	fuzz_error_jmp = NULL;
	fuzz_stack_base = NULL;
	fuzz_input = NULL;
	fuzz_arena_reset();
	return rc;
}
