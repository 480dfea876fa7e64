/*
 * shim.c
 *		The few backend functions that ceptoar_registry's type files call,
 *		for a standalone fuzzing process.
 *
 * The fuzzers compile the server's own src/sector.c, service.c, names.c,
 * report.c, time.c, incident.c and criterion.c against the PostgreSQL
 * server headers and link them with this file instead of the postgres
 * binary.  Everything
 * here is written for this purpose (no server code is copied); where the
 * server's behaviour matters to the code under test it is reproduced and
 * the difference, if any, is said:
 *
 * - memory: palloc and friends take each chunk from malloc, linked into the
 *	 current input's arena, so AddressSanitizer sees every chunk's bounds and
 *	 every use after pfree; fuzz_arena_reset() frees the whole arena after
 *	 each input, like the executor resetting a per-tuple context.  Chunks of
 *	 TopMemoryContext live for the whole process.  Request sizes are checked
 *	 as the server checks them (an invalid size is an internal error).
 * - errors: ereport/elog record the error and siglongjmp to the harness on
 *	 ERROR; the harness decides whether the SQLSTATE is acceptable.
 * - stack: check_stack_depth() raises 54001 past FUZZ_STACK_SOFT bytes
 *	 below the harness's frame, as the server does past max_stack_depth;
 *	 every function of the code under test is compiled with
 *	 -finstrument-functions, and __cyg_profile_func_enter() reports a
 *	 finding past FUZZ_STACK_HARD bytes: recursion that check_stack_depth()
 *	 never stopped.
 * - encoding: the database and client encodings are both UTF8 or both
 *	 SQL_ASCII (the harness chooses per input); conversions between them
 *	 only validate, as the server's do for these pairs.
 * - dates: Julian-day and timestamp conversions of the proleptic Gregorian
 *	 calendar with the server's contract (return -1 when out of range).
 * - intervals: interval_out() writes the three fields, not the server's
 *	 IntervalStyle text (only error details print intervals).
 * - printf family: libc's, which agrees with the server's for the
 *	 conversions used here (%s, %.*s, %d, INT64_FORMAT).
 * - Levenshtein distance for hints: exact when within the bound, bound + 1
 *	 otherwise, counting characters as the server does.
 */
#include "postgres.h"

#include <setjmp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "nodes/memnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

#include "shim.h"

#undef vsnprintf
#undef snprintf
#undef vsprintf
#undef sprintf
#undef vfprintf
#undef fprintf
#undef vprintf
#undef printf

#define NOINSTR __attribute__((no_instrument_function))

/* ---------- findings ---------- */

void
fuzz_finding(const char *fmt,...)
{
	va_list		ap;

	fputs("\n==== ceptoar fuzz finding: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	if (fuzz_input)
	{
		fprintf(stderr, "==== input (%zu bytes): \"", fuzz_input_len);
		for (size_t i = 0; i < fuzz_input_len && i < 400; i++)
		{
			unsigned char c = fuzz_input[i];

			if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
				fputc(c, stderr);
			else
				fprintf(stderr, "\\x%02x", c);
		}
		fprintf(stderr, "\"%s\n", fuzz_input_len > 400 ? "..." : "");
	}
	fflush(stderr);
	abort();
}

const unsigned char *fuzz_input;
size_t		fuzz_input_len;

/* ---------- stack depth ---------- */

char	   *fuzz_stack_base;
long		fuzz_stack_soft = 64 * 1024;
long		fuzz_stack_hard = 128 * 1024;

static NOINSTR long
stack_depth(void)
{
	char	   *here = (char *) __builtin_frame_address(0);

	if (fuzz_stack_base == NULL)
		return 0;
	return (long) (fuzz_stack_base - here);
}

void
check_stack_depth(void)
{
	if (stack_depth() > fuzz_stack_soft)
		ereport(ERROR,
				(errcode(ERRCODE_STATEMENT_TOO_COMPLEX),
				 errmsg("stack depth limit exceeded"),
				 errhint("fuzz shim: FUZZ_STACK_SOFT is %ld bytes.", fuzz_stack_soft)));
}

bool
stack_is_too_deep(void)
{
	return stack_depth() > fuzz_stack_soft;
}

NOINSTR void
__cyg_profile_func_enter(void *fn, void *site)
{
	if (stack_depth() > fuzz_stack_hard)
		fuzz_finding("stack deeper than %ld bytes (function %p): recursion that "
					 "check_stack_depth() does not stop", fuzz_stack_hard, fn);
}

NOINSTR void
__cyg_profile_func_exit(void *fn, void *site)
{
}

/* ---------- memory ---------- */

typedef struct Chunk
{
	struct Chunk *prev;
	struct Chunk *next;
	size_t		size;
	uint32		magic;
	uint32		pad;
} Chunk;

#define MAGIC_INPUT 0x1A9E5A11
#define MAGIC_TOP	0x70707070
#define MAGIC_FREED 0xDEADBEEF

StaticAssertDecl(sizeof(Chunk) % MAXIMUM_ALIGNOF == 0, "chunk header keeps alignment");

static MemoryContextData top_cxt;
static MemoryContextData input_cxt;
MemoryContext TopMemoryContext = &top_cxt;
MemoryContext CurrentMemoryContext = &input_cxt;
MemoryContext ErrorContext = &input_cxt;

static Chunk input_chunks = {&input_chunks, &input_chunks};
static Chunk top_chunks = {&top_chunks, &top_chunks};
static long arena_count;

static void *
chunk_alloc(MemoryContext cxt, Size size, bool zero)
{
	Chunk	   *c;
	Chunk	   *list;

	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	c = malloc(sizeof(Chunk) + size);
	if (c == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory"),
				 errdetail("Failed on request of size %zu.", size)));
	list = (cxt == TopMemoryContext) ? &top_chunks : &input_chunks;
	c->magic = (cxt == TopMemoryContext) ? MAGIC_TOP : MAGIC_INPUT;
	c->size = size;
	c->next = list->next;
	c->prev = list;
	list->next->prev = c;
	list->next = c;
	if (cxt != TopMemoryContext)
		arena_count++;
	if (zero)
		memset(c + 1, 0, size);
	return c + 1;
}

static Chunk *
chunk_of(void *p, const char *what)
{
	Chunk	   *c = (Chunk *) p - 1;

	if (p == NULL)
		fuzz_finding("%s(NULL)", what);
	if (c->magic != MAGIC_INPUT && c->magic != MAGIC_TOP)
		fuzz_finding("%s of a pointer that palloc did not return", what);
	return c;
}

static void
chunk_free(Chunk *c)
{
	c->prev->next = c->next;
	c->next->prev = c->prev;
	if (c->magic == MAGIC_INPUT)
		arena_count--;
	c->magic = MAGIC_FREED;
	free(c);
}

static void error_clear(void);

/* after each input: free every chunk of the input's arena and the last error */
void
fuzz_arena_reset(void)
{
	error_clear();
	while (input_chunks.next != &input_chunks)
		chunk_free(input_chunks.next);
	CurrentMemoryContext = &input_cxt;
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, false);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, true);
}

void *
MemoryContextAllocZeroAligned(MemoryContext context, Size size)
{
	return chunk_alloc(context, size, true);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	if (!(flags & MCXT_ALLOC_HUGE) && !AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	return chunk_alloc(context, size, (flags & MCXT_ALLOC_ZERO) != 0);
}

void *
palloc(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, false);
}

void *
palloc0(Size size)
{
	return chunk_alloc(CurrentMemoryContext, size, true);
}

void *
palloc_extended(Size size, int flags)
{
	return MemoryContextAllocExtended(CurrentMemoryContext, size, flags);
}

void
pfree(void *pointer)
{
	chunk_free(chunk_of(pointer, "pfree"));
}

void *
repalloc(void *pointer, Size size)
{
	Chunk	   *c = chunk_of(pointer, "repalloc");
	void	   *n;

	if (!AllocSizeIsValid(size))
		elog(ERROR, "invalid memory alloc request size %zu", size);
	/* always move, so that a stale pointer to the old chunk is caught */
	n = chunk_alloc(c->magic == MAGIC_TOP ? TopMemoryContext : CurrentMemoryContext,
					size, false);
	memcpy(n, pointer, Min(size, c->size));
	chunk_free(c);
	return n;
}

char *
MemoryContextStrdup(MemoryContext context, const char *string)
{
	Size		len = strlen(string) + 1;
	char	   *p = MemoryContextAlloc(context, len);

	memcpy(p, string, len);
	return p;
}

char *
pstrdup(const char *in)
{
	return MemoryContextStrdup(CurrentMemoryContext, in);
}

char *
pnstrdup(const char *in, Size len)
{
	char	   *p;

	len = strnlen(in, len);
	p = palloc(len + 1);
	memcpy(p, in, len);
	p[len] = '\0';
	return p;
}

char *
psprintf(const char *fmt,...)
{
	va_list		ap;
	int			n;
	char	   *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		elog(ERROR, "vsnprintf failed with format \"%s\"", fmt);
	p = palloc(n + 1);
	va_start(ap, fmt);
	vsnprintf(p, n + 1, fmt, ap);
	va_end(ap);
	return p;
}

size_t
pvsnprintf(char *buf, size_t len, const char *fmt, va_list args)
{
	int			n = vsnprintf(buf, len, fmt, args);

	if (n < 0)
		elog(ERROR, "vsnprintf failed with format \"%s\"", fmt);
	if ((size_t) n >= len)
		return (size_t) n + 1;
	return (size_t) n;
}

/* ---------- printf family (port.h maps these names) ---------- */

int
pg_vsnprintf(char *str, size_t count, const char *fmt, va_list args)
{
	return vsnprintf(str, count, fmt, args);
}

int
pg_snprintf(char *str, size_t count, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsnprintf(str, count, fmt, ap);
	va_end(ap);
	return n;
}

int
pg_vsprintf(char *str, const char *fmt, va_list args)
{
	return vsprintf(str, fmt, args);
}

int
pg_sprintf(char *str, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vsprintf(str, fmt, ap);
	va_end(ap);
	return n;
}

int
pg_vfprintf(FILE *stream, const char *fmt, va_list args)
{
	return vfprintf(stream, fmt, args);
}

int
pg_fprintf(FILE *stream, const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vfprintf(stream, fmt, ap);
	va_end(ap);
	return n;
}

int
pg_vprintf(const char *fmt, va_list args)
{
	return vprintf(fmt, args);
}

int
pg_printf(const char *fmt,...)
{
	va_list		ap;
	int			n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

/* ASCII only, as the server's in the C locale */
int
pg_strncasecmp(const char *s1, const char *s2, size_t n)
{
	for (; n > 0; n--, s1++, s2++)
	{
		unsigned char a = (unsigned char) *s1;
		unsigned char b = (unsigned char) *s2;

		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return (int) a - (int) b;
		if (a == '\0')
			break;
	}
	return 0;
}

int
pg_strcasecmp(const char *s1, const char *s2)
{
	return pg_strncasecmp(s1, s2, SIZE_MAX);
}

/* ---------- StringInfo ---------- */

StringInfo
makeStringInfo(void)
{
	StringInfo	s = palloc(sizeof(StringInfoData));

	initStringInfo(s);
	return s;
}

void
initStringInfo(StringInfo str)
{
	int			size = 1024;	/* the server's initial size */

	str->data = palloc(size);
	str->maxlen = size;
	resetStringInfo(str);
}

void
resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0)
		elog(ERROR, "invalid string enlargement request size: %d", needed);
	if (((Size) needed) >= (MaxAllocSize - (Size) str->len))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("out of memory"),
				 errdetail("Cannot enlarge string buffer containing %d bytes by %d more bytes.",
						   str->len, needed)));
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	if (newlen > (int) MaxAllocSize)
		newlen = (int) MaxAllocSize;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

int
appendStringInfoVA(StringInfo str, const char *fmt, va_list args)
{
	int			avail = str->maxlen - str->len;
	int			n;

	if (avail < 16)
		return 32;
	n = vsnprintf(str->data + str->len, avail, fmt, args);
	if (n < 0)
		elog(ERROR, "vsnprintf failed with format \"%s\"", fmt);
	if (n < avail)
	{
		str->len += n;
		return 0;
	}
	str->data[str->len] = '\0';
	return n + 1;
}

void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	for (;;)
	{
		va_list		ap;
		int			needed;

		va_start(ap, fmt);
		needed = appendStringInfoVA(str, fmt, ap);
		va_end(ap);
		if (needed == 0)
			break;
		enlargeStringInfo(str, needed);
	}
}

void
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendBinaryStringInfoNT(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
}

void
appendStringInfoString(StringInfo str, const char *s)
{
	appendBinaryStringInfo(str, s, strlen(s));
}

void
appendStringInfoChar(StringInfo str, char ch)
{
	if (str->len + 1 >= str->maxlen)
		enlargeStringInfo(str, 1);
	str->data[str->len++] = ch;
	str->data[str->len] = '\0';
}

void
appendStringInfoSpaces(StringInfo str, int count)
{
	if (count > 0)
	{
		enlargeStringInfo(str, count);
		memset(str->data + str->len, ' ', count);
		str->len += count;
		str->data[str->len] = '\0';
	}
}

/* ---------- numbers (utils/adt/numutils.c) ---------- */

/* the decimal digits of ll at a, NUL-terminated (at most 20 + 1 bytes); their count */
int
pg_lltoa(int64 ll, char *a)
{
	return snprintf(a, MAXINT8LEN + 1, "%lld", (long long) ll);
}

/* ---------- encodings: UTF8 or SQL_ASCII, database = client ---------- */

int			fuzz_encoding = PG_UTF8;

int
GetDatabaseEncoding(void)
{
	return fuzz_encoding;
}

const char *
GetDatabaseEncodingName(void)
{
	return fuzz_encoding == PG_UTF8 ? "UTF8" : "SQL_ASCII";
}

int
pg_get_client_encoding(void)
{
	return fuzz_encoding;
}

int
pg_database_encoding_max_length(void)
{
	return fuzz_encoding == PG_UTF8 ? 4 : 1;
}

/* length of the valid UTF-8 character at s (RFC 3629, no NUL), or -1 */
int
fuzz_utf8_char(const unsigned char *s, int len)
{
	unsigned char c = s[0];
	int			n;
	unsigned char lo = 0x80,
				hi = 0xBF;

	if (len < 1 || c == 0)
		return -1;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
	{
		n = 3;
		if (c == 0xE0)
			lo = 0xA0;			/* no overlong forms */
		else if (c == 0xED)
			hi = 0x9F;			/* no surrogates */
	}
	else if (c >= 0xF0 && c <= 0xF4)
	{
		n = 4;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;			/* at most U+10FFFF */
	}
	else
		return -1;
	if (len < n)
		return -1;
	if (s[1] < lo || s[1] > hi)
		return -1;
	for (int i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return -1;
	return n;
}

/* offset of the first invalid byte of s[0..len) in UTF-8, or -1 */
int
fuzz_utf8_invalid_at(const char *s, int len)
{
	int			i = 0;

	while (i < len)
	{
		int			n = fuzz_utf8_char((const unsigned char *) s + i, len - i);

		if (n < 0)
			return i;
		i += n;
	}
	return -1;
}

static void
verify_mbstr(int encoding, const char *s, int len)
{
	int			bad;

	if (encoding == PG_UTF8)
		bad = fuzz_utf8_invalid_at(s, len);
	else
	{
		const char *z = memchr(s, '\0', len);

		bad = z ? (int) (z - s) : -1;
	}
	if (bad >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
				 errmsg("invalid byte sequence for encoding \"%s\": 0x%02x",
						encoding == PG_UTF8 ? "UTF8" : "SQL_ASCII",
						(unsigned char) s[bad])));
}

bool
pg_verifymbstr(const char *mbstr, int len, bool noError)
{
	if (noError)
		return (fuzz_encoding == PG_UTF8 ? fuzz_utf8_invalid_at(mbstr, len) :
				(memchr(mbstr, '\0', len) ? 0 : -1)) < 0;
	verify_mbstr(fuzz_encoding, mbstr, len);
	return true;
}

char *
pg_any_to_server(const char *s, int len, int encoding)
{
	if (len <= 0)
		return unconstify(char *, s);
	if (encoding == fuzz_encoding || encoding == PG_SQL_ASCII)
	{
		verify_mbstr(fuzz_encoding, s, len);
		return unconstify(char *, s);
	}
	if (fuzz_encoding == PG_SQL_ASCII && encoding == PG_UTF8)
	{
		verify_mbstr(PG_UTF8, s, len);
		return unconstify(char *, s);
	}
	fuzz_finding("pg_any_to_server from encoding %d: not in the shim", encoding);
	return NULL;
}

char *
pg_server_to_any(const char *s, int len, int encoding)
{
	if (len <= 0)
		return unconstify(char *, s);
	if (encoding == fuzz_encoding || encoding == PG_SQL_ASCII)
		return unconstify(char *, s);
	if (fuzz_encoding == PG_SQL_ASCII && encoding == PG_UTF8)
	{
		verify_mbstr(PG_UTF8, s, len);
		return unconstify(char *, s);
	}
	fuzz_finding("pg_server_to_any to encoding %d: not in the shim", encoding);
	return NULL;
}

char *
pg_client_to_server(const char *s, int len)
{
	return pg_any_to_server(s, len, fuzz_encoding);
}

char *
pg_server_to_client(const char *s, int len)
{
	return pg_server_to_any(s, len, fuzz_encoding);
}

int
pg_mblen(const char *mbstr)
{
	unsigned char c = (unsigned char) *mbstr;

	if (fuzz_encoding != PG_UTF8 || c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

int
pg_mbstrlen_with_len(const char *mbstr, int limit)
{
	int			n = 0;

	if (fuzz_encoding != PG_UTF8)
		return limit;
	while (limit > 0 && *mbstr)
	{
		int			l = pg_mblen(mbstr);

		limit -= l;
		mbstr += l;
		n++;
	}
	return n;
}

int
pg_mbstrlen(const char *mbstr)
{
	return pg_mbstrlen_with_len(mbstr, strlen(mbstr));
}

int
pg_mbcliplen(const char *mbstr, int len, int limit)
{
	int			clen = 0;

	if (fuzz_encoding != PG_UTF8)
	{
		const char *z = memchr(mbstr, '\0', len);

		if (z)
			len = z - mbstr;
		return Min(len, limit);
	}
	while (len > 0 && *mbstr)
	{
		int			l = pg_mblen(mbstr);

		if (clen + l > limit)
			break;
		clen += l;
		if (clen == limit)
			break;
		len -= l;
		mbstr += l;
	}
	return clen;
}

/* ---------- pqformat ---------- */

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendStringInfoSpaces(buf, VARHDRSZ);
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

void
pq_sendbytes(StringInfo buf, const char *data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendtext(StringInfo buf, const char *str, int slen)
{
	char	   *p = pg_server_to_client(str, slen);

	appendBinaryStringInfo(buf, p, p != str ? (int) strlen(p) : slen);
}

void
pq_copymsgbytes(StringInfo msg, char *buf, int datalen)
{
	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("insufficient data left in message")));
	memcpy(buf, &msg->data[msg->cursor], datalen);
	msg->cursor += datalen;
}

const char *
pq_getmsgbytes(StringInfo msg, int datalen)
{
	const char *p;

	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("insufficient data left in message")));
	p = &msg->data[msg->cursor];
	msg->cursor += datalen;
	return p;
}

int
pq_getmsgbyte(StringInfo msg)
{
	if (msg->cursor >= msg->len)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("no data left in message")));
	return (unsigned char) msg->data[msg->cursor++];
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	unsigned char v[4];

	if (b != 1 && b != 2 && b != 4)
		elog(ERROR, "unsupported integer size %d", b);
	pq_copymsgbytes(msg, (char *) v, b);
	if (b == 1)
		return v[0];
	if (b == 2)
		return ((unsigned int) v[0] << 8) | v[1];
	return ((unsigned int) v[0] << 24) | ((unsigned int) v[1] << 16) |
		((unsigned int) v[2] << 8) | v[3];
}

int64
pq_getmsgint64(StringInfo msg)
{
	unsigned char v[8];
	uint64		r = 0;

	pq_copymsgbytes(msg, (char *) v, 8);
	for (int i = 0; i < 8; i++)
		r = (r << 8) | v[i];
	return (int64) r;
}

char *
pq_getmsgtext(StringInfo msg, int rawbytes, int *nbytes)
{
	char	   *str;
	char	   *p;

	if (rawbytes < 0 || rawbytes > (msg->len - msg->cursor))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("insufficient data left in message")));
	str = &msg->data[msg->cursor];
	msg->cursor += rawbytes;
	p = pg_client_to_server(str, rawbytes);
	if (p != str)
		*nbytes = strlen(p);
	else
	{
		p = palloc(rawbytes + 1);
		memcpy(p, str, rawbytes);
		p[rawbytes] = '\0';
		*nbytes = rawbytes;
	}
	return p;
}

/* ---------- errors ---------- */

FuzzError	fuzz_error;
sigjmp_buf *fuzz_error_jmp;
static int	error_depth;

static void
error_clear(void)
{
	free(fuzz_error.message);
	free(fuzz_error.detail);
	free(fuzz_error.hint);
	memset(&fuzz_error, 0, sizeof(fuzz_error));
}

bool
errstart(int elevel, const char *domain)
{
	if (error_depth > 0)
		fuzz_finding("an error was raised while an error report was being built");
	error_depth++;
	error_clear();
	fuzz_error.elevel = elevel;
	fuzz_error.sqlerrcode = elevel >= ERROR ? ERRCODE_INTERNAL_ERROR :
		elevel == WARNING ? ERRCODE_WARNING : ERRCODE_SUCCESSFUL_COMPLETION;
	return true;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

bool
message_level_is_interesting(int elevel)
{
	return true;
}

int
errcode(int sqlerrcode)
{
	fuzz_error.sqlerrcode = sqlerrcode;
	return 0;
}

static char *
format_va(const char *fmt, va_list ap)
{
	va_list		ap2;
	int			n;
	char	   *p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		fuzz_finding("error message format \"%s\" failed", fmt);
	p = malloc(n + 1);
	vsnprintf(p, n + 1, fmt, ap);
	return p;
}

#define SET_FIELD(field) \
	do { \
		va_list		ap; \
		free(fuzz_error.field); \
		va_start(ap, fmt); \
		fuzz_error.field = format_va(fmt, ap); \
		va_end(ap); \
	} while (0)

int
errmsg(const char *fmt,...)
{
	SET_FIELD(message);
	return 0;
}

int
errmsg_internal(const char *fmt,...)
{
	SET_FIELD(message);
	return 0;
}

int
errdetail(const char *fmt,...)
{
	SET_FIELD(detail);
	return 0;
}

int
errdetail_internal(const char *fmt,...)
{
	SET_FIELD(detail);
	return 0;
}

int
errdetail_log(const char *fmt,...)
{
	return 0;
}

int
errhint(const char *fmt,...)
{
	SET_FIELD(hint);
	return 0;
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	fuzz_error.filename = filename;
	fuzz_error.lineno = lineno;
	fuzz_error.funcname = funcname;
	error_depth--;
	if (fuzz_error.elevel >= FATAL)
		fuzz_finding("%s raised at %s:%d: %s",
					 fuzz_error.elevel == FATAL ? "FATAL" : "PANIC",
					 filename, lineno, fuzz_error.message);
	if (fuzz_error.elevel < ERROR)
		return;
	if (fuzz_error_jmp == NULL)
		fuzz_finding("ERROR outside the harness at %s:%d: %s", filename, lineno,
					 fuzz_error.message);
	siglongjmp(*fuzz_error_jmp, 1);
}

void
pg_re_throw(void)
{
	fuzz_finding("pg_re_throw: PG_TRY is not in the shim");
	abort();
}

void
ExceptionalCondition(const char *conditionName, const char *errorType,
					 const char *fileName, int lineNumber)
{
	fuzz_finding("%s(\"%s\") failed at %s:%d", errorType, conditionName,
				 fileName, lineNumber);
	abort();
}

/* ---------- fmgr and varlena ---------- */

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTENDED(datum))
		fuzz_finding("pg_detoast_datum: the harness passes only plain values");
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	return pg_detoast_datum(datum);
}

text *
cstring_to_text_with_len(const char *s, int len)
{
	text	   *t = palloc(len + VARHDRSZ);

	SET_VARSIZE(t, len + VARHDRSZ);
	memcpy(VARDATA(t), s, len);
	return t;
}

text *
cstring_to_text(const char *s)
{
	return cstring_to_text_with_len(s, strlen(s));
}

char *
text_to_cstring(const text *t)
{
	text	   *tunpacked = (text *) pg_detoast_datum_packed(unconstify(text *, t));
	int			len = VARSIZE_ANY_EXHDR(tunpacked);
	char	   *r = palloc(len + 1);

	memcpy(r, VARDATA_ANY(tunpacked), len);
	r[len] = '\0';
	return r;
}

/* as the server's: a call of a function that takes one argument, never NULL */
Datum
DirectFunctionCall1Coll(PGFunction func, Oid collation, Datum arg1)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	result = (*func) (fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function %p returned NULL", (void *) func);
	return result;
}

/* Reached only by functions the harnesses do not call (constructors, hashing). */
#define NOT_IN_SHIM(ret, name, args) \
	ret name args { fuzz_finding(#name " is not in the fuzz shim"); abort(); }

NOT_IN_SHIM(ArrayType *, construct_array, (Datum *elems, int nelems, Oid elmtype,
										   int elmlen, bool elmbyval, char elmalign))
NOT_IN_SHIM(void, deconstruct_array, (ArrayType *array, Oid elmtype, int elmlen,
									  bool elmbyval, char elmalign, Datum **elemsp,
									  bool **nullsp, int *nelemsp))
NOT_IN_SHIM(uint32, hash_bytes, (const unsigned char *k, int keylen))
NOT_IN_SHIM(uint64, hash_bytes_extended, (const unsigned char *k, int keylen, uint64 seed))

/* ---------- Levenshtein distance, in characters ---------- */

/* the characters of s as numbers (their bytes), into out; returns the count */
static int
char_keys(const char *s, int len, uint32 *out)
{
	int			n = 0;

	for (int i = 0; i < len;)
	{
		int			l = Min(pg_mblen(s + i), len - i);
		uint32		k = 0;

		for (int j = 0; j < l; j++)
			k = (k << 8) | (unsigned char) s[i + j];
		out[n++] = k;
		i += l;
	}
	return n;
}

int
varstr_levenshtein_less_equal(const char *source, int slen,
							  const char *target, int tlen,
							  int ins_c, int del_c, int sub_c,
							  int max_d, bool trusted)
{
	uint32		sbuf[128],
				tbuf[128];
	int			rbuf[2][129];
	uint32	   *sk = slen < 128 ? sbuf : palloc(slen * sizeof(uint32));
	uint32	   *tk = tlen < 128 ? tbuf : palloc(tlen * sizeof(uint32));
	int		   *prev = tlen < 128 ? rbuf[0] : palloc((tlen + 1) * sizeof(int));
	int		   *cur = tlen < 128 ? rbuf[1] : palloc((tlen + 1) * sizeof(int));
	int			sn,
				tn;

	if (!trusted && (slen > 255 || tlen > 255))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("levenshtein argument exceeds maximum length of %d characters",
						255)));
	sn = char_keys(source, slen, sk);
	tn = char_keys(target, tlen, tk);
	/* a length difference alone costs that many insertions or deletions */
	if (max_d >= 0 && (sn > tn ? (sn - tn) * del_c : (tn - sn) * ins_c) > max_d)
		return max_d + 1;
	for (int j = 0; j <= tn; j++)
		prev[j] = j * ins_c;
	for (int i = 1; i <= sn; i++)
	{
		int		   *t;
		int			row_min;

		cur[0] = row_min = i * del_c;
		for (int j = 1; j <= tn; j++)
		{
			int			best = prev[j - 1] + (sk[i - 1] == tk[j - 1] ? 0 : sub_c);

			best = Min(best, prev[j] + del_c);
			best = Min(best, cur[j - 1] + ins_c);
			cur[j] = best;
			row_min = Min(row_min, best);
		}
		/* costs never fall from one row to the next */
		if (max_d >= 0 && row_min > max_d)
			return max_d + 1;
		t = prev;
		prev = cur;
		cur = t;
	}
	if (max_d >= 0 && prev[tn] > max_d)
		return max_d + 1;
	return prev[tn];
}

/* ---------- dates: the proleptic Gregorian calendar ---------- */

const int	day_tab[2][13] = {
	{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0},
	{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 0}
};

/* floor division for the calendar arithmetic below */
static inline int64
fdiv(int64 a, int64 b)
{
	int64		q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Julian day number of a date.  Counted from 0000-03-01 in 400-year eras of
 * 146097 days, with March first so that the leap day ends a year.
 */
int
date2j(int year, int month, int day)
{
	int64		y = (int64) year - (month <= 2);
	int64		era = fdiv(y, 400);
	int64		yoe = y - era * 400;	/* 0..399 */
	int64		mp = (month + 9) % 12;	/* March = 0 */
	int64		doy = (153 * mp + 2) / 5 + day - 1;
	int64		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	/* day 0 of era 0 (0000-03-01) is Julian day 1721120 */
	return (int) (era * 146097 + doe + 1721120);
}

void
j2date(int jd, int *year, int *month, int *day)
{
	int64		z = (int64) jd - 1721120;
	int64		era = fdiv(z, 146097);
	int64		doe = z - era * 146097; /* 0..146096 */
	int64		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64		mp = (5 * doy + 2) / 153;
	int64		d = doy - (153 * mp + 2) / 5 + 1;
	int64		m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int) (yoe + era * 400 + (m <= 2));
	*month = (int) m;
	*day = (int) d;
}

void
dt2time(Timestamp jd, int *hour, int *min, int *sec, fsec_t *fsec)
{
	TimeOffset	time = jd;

	*hour = time / USECS_PER_HOUR;
	time -= (*hour) * USECS_PER_HOUR;
	*min = time / USECS_PER_MINUTE;
	time -= (*min) * USECS_PER_MINUTE;
	*sec = time / USECS_PER_SEC;
	*fsec = time - (*sec * USECS_PER_SEC);
}

/*
 * An interval as text, for the detail of a duration's error (time.c): its
 * three fields, not the server's IntervalStyle text; the harness checks only
 * that a report's texts are valid in the database encoding.
 */
Datum
interval_out(PG_FUNCTION_ARGS)
{
	Interval   *iv = PG_GETARG_INTERVAL_P(0);

	PG_RETURN_CSTRING(psprintf("%d mons %d days " INT64_FORMAT " usecs",
							   iv->month, iv->day, iv->time));
}

/* with tzp == NULL: UTC, no time zone; anything else is not in the shim */
int
timestamp2tm(Timestamp dt, int *tzp, struct pg_tm *tm, fsec_t *fsec,
			 const char **tzn, pg_tz *attimezone)
{
	int64		date = dt / USECS_PER_DAY;
	int64		time = dt % USECS_PER_DAY;

	if (tzp != NULL)
		fuzz_finding("timestamp2tm with a time zone is not in the fuzz shim");
	if (time < 0)
	{
		time += USECS_PER_DAY;
		date -= 1;
	}
	date += POSTGRES_EPOCH_JDATE;
	if (date < 0 || date > (int64) INT_MAX)
		return -1;
	j2date((int) date, &tm->tm_year, &tm->tm_mon, &tm->tm_mday);
	dt2time(time, &tm->tm_hour, &tm->tm_min, &tm->tm_sec, fsec);
	tm->tm_isdst = -1;
	tm->tm_gmtoff = 0;
	tm->tm_zone = NULL;
	if (tzn != NULL)
		*tzn = NULL;
	return 0;
}

int
tm2timestamp(struct pg_tm *tm, fsec_t fsec, int *tzp, Timestamp *result)
{
	int64		date;
	int64		time;
	int64		r;

	*result = 0;
	if (!IS_VALID_JULIAN(tm->tm_year, tm->tm_mon, tm->tm_mday))
		return -1;
	date = (int64) date2j(tm->tm_year, tm->tm_mon, tm->tm_mday) - POSTGRES_EPOCH_JDATE;
	time = (((int64) tm->tm_hour * MINS_PER_HOUR + tm->tm_min) * SECS_PER_MINUTE +
			tm->tm_sec) * USECS_PER_SEC + fsec;
	if (__builtin_mul_overflow(date, USECS_PER_DAY, &r) ||
		__builtin_add_overflow(r, time, &r))
		return -1;
	/* a time of day that carries across zero is out of range (24:00 is fine) */
	if ((r < 0 && date > 0) || (r > 0 && date < -1))
		return -1;
	if (tzp != NULL && __builtin_add_overflow(r, (int64) *tzp * USECS_PER_SEC, &r))
		return -1;
	if (!IS_VALID_TIMESTAMP(r))
		return -1;
	*result = r;
	return 0;
}
