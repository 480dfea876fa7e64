/*
 * names.c
 *		Normalising literals and looking them up in the compiled-in catalogues.
 *
 * Type input runs once per value in COPY, so this is kept cheap: one pass to
 * trim and fold case into a stack buffer, then one probe of a small
 * open-addressing table built once per backend from constant strings.  The
 * table holds only pointers to string constants, so it never needs freeing
 * and cannot go stale across transactions.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"

#include "ceptoar_registry.h"

#define MAP_SLOTS	lengthof(((CrNameMap *) 0)->keys)

/* U+3000 IDEOGRAPHIC SPACE, U+FF08/U+FF09 FULLWIDTH PARENTHESES in UTF-8 */
#define IS_IDEO_SPACE(p) ((unsigned char) (p)[0] == 0xE3 && \
						  (unsigned char) (p)[1] == 0x80 && \
						  (unsigned char) (p)[2] == 0x80)
#define IS_FW_PAREN(p)	((unsigned char) (p)[0] == 0xEF && \
						 (unsigned char) (p)[1] == 0xBC && \
						 ((unsigned char) (p)[2] == 0x88 || \
						  (unsigned char) (p)[2] == 0x89))

static inline bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Copy "in" to "out" (CR_MAX_NAME + 1 bytes) trimmed of surrounding blanks
 * (ASCII and the ideographic space), ASCII letters folded to lower case and
 * fullwidth parentheses mapped to ASCII ones.  Non-ASCII input is converted
 * to UTF-8 first when the database uses another encoding, since the
 * catalogues are written in UTF-8.  Returns the length, or -1 when the
 * result would not fit (no catalogue name is that long).
 */
int
cr_normalise(const char *in, char *out, bool *non_ascii)
{
	const char *p = in;
	const char *end;
	int			len = 0;
	bool		high = false;

	for (end = in; *end; end++)
		if (IS_HIGHBIT_SET(*end))
			high = true;

	if (high && GetDatabaseEncoding() != PG_UTF8)
	{
		p = pg_server_to_any(in, end - in, PG_UTF8);
		end = p + strlen(p);
	}

	for (;;)
	{
		if (p < end && is_blank(*p))
			p++;
		else if (end - p >= 3 && IS_IDEO_SPACE(p))
			p += 3;
		else
			break;
	}
	for (;;)
	{
		if (end > p && is_blank(end[-1]))
			end--;
		else if (end - p >= 3 && IS_IDEO_SPACE(end - 3))
			end -= 3;
		else
			break;
	}

	while (p < end)
	{
		if (len >= CR_MAX_NAME)
			return -1;
		if (end - p >= 3 && IS_FW_PAREN(p))
		{
			out[len++] = ((unsigned char) p[2] == 0x88) ? '(' : ')';
			p += 3;
		}
		else
		{
			char		c = *p++;

			if (c >= 'A' && c <= 'Z')
				c += 'a' - 'A';
			out[len++] = c;
		}
	}
	out[len] = '\0';
	if (non_ascii)
		*non_ascii = high;
	return len;
}

/* FNV-1a: the keys are short, and a call to a general hash costs more than this */
static inline uint32
slot_for(const char *key, int len)
{
	uint32		h = 2166136261u;

	for (int i = 0; i < len; i++)
		h = (h ^ (unsigned char) key[i]) * 16777619u;
	return (h ^ (h >> 15)) & (MAP_SLOTS - 1);
}

/* Add a constant key; the key must already be in normal form. */
void
cr_namemap_add(CrNameMap *map, const char *key, int32 value)
{
	int			len = strlen(key);
	uint32		i = slot_for(key, len);

	/* keep the table at most half full so probes stay short */
	if (map->nused >= (int) MAP_SLOTS / 2)
		elog(ERROR, "ceptoar name table is full");
	while (map->keys[i] != NULL)
	{
		if (strcmp(map->keys[i], key) == 0)
			elog(ERROR, "duplicate ceptoar catalogue name \"%s\"", key);
		i = (i + 1) & (MAP_SLOTS - 1);
	}
	map->keys[i] = key;
	map->lens[i] = len;
	map->values[i] = value;
	map->nused++;
}

bool
cr_namemap_find(const CrNameMap *map, const char *key, int len, int32 *value)
{
	uint32		i = slot_for(key, len);

	while (map->keys[i] != NULL)
	{
		if (map->lens[i] == len && memcmp(map->keys[i], key, len) == 0)
		{
			*value = map->values[i];
			return true;
		}
		i = (i + 1) & (MAP_SLOTS - 1);
	}
	return false;
}

/*
 * Look a literal up as it is when it is already in normal form (lower-case
 * ASCII letters, digits, "_" and "."), the common case in COPY: no copy, no
 * folding.  False means "not found this way"; the caller then normalises.
 */
bool
cr_namemap_find_plain(const CrNameMap *map, const char *str, int32 *value)
{
	static const bool plain[256] = {
		['a'] = 1,['b'] = 1,['c'] = 1,['d'] = 1,['e'] = 1,['f'] = 1,['g'] = 1,
		['h'] = 1,['i'] = 1,['j'] = 1,['k'] = 1,['l'] = 1,['m'] = 1,['n'] = 1,
		['o'] = 1,['p'] = 1,['q'] = 1,['r'] = 1,['s'] = 1,['t'] = 1,['u'] = 1,
		['v'] = 1,['w'] = 1,['x'] = 1,['y'] = 1,['z'] = 1,['0'] = 1,['1'] = 1,
		['2'] = 1,['3'] = 1,['4'] = 1,['5'] = 1,['6'] = 1,['7'] = 1,['8'] = 1,
		['9'] = 1,['_'] = 1,['.'] = 1
	};
	uint32		h = 2166136261u;
	int			len = 0;
	uint32		i;
	unsigned char c;

	/* one pass: check the characters and hash them */
	while (plain[c = (unsigned char) str[len]])
	{
		h = (h ^ c) * 16777619u;
		if (++len > CR_MAX_NAME)
			return false;
	}
	if (c != '\0' || len == 0)
		return false;
	for (i = (h ^ (h >> 15)) & (MAP_SLOTS - 1); map->keys[i] != NULL; i = (i + 1) & (MAP_SLOTS - 1))
	{
		if (map->lens[i] == len && memcmp(map->keys[i], str, len) == 0)
		{
			*value = map->values[i];
			return true;
		}
	}
	return false;
}


/* The binary form of a sector or service: a format version byte, then the code. */
bytea *
cr_send_name(const char *code)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, CR_NAME_BINARY_VERSION);
	pq_sendtext(&buf, code, strlen(code));
	return pq_endtypsend(&buf);
}

/*
 * The text of a binary sector or service value (see cr_send_name).  Checked
 * as strictly as text input will check the code.
 */
char *
cr_recv_name(StringInfo buf, const char *typname)
{
	int			version;
	int			nbytes;

	if (buf->len - buf->cursor < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type %s", typname),
				 errdetail("The value is empty; it must start with a format version byte.")));
	version = pq_getmsgint(buf, 1);
	if (version != CR_NAME_BINARY_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type %s",
						version, typname),
				 errhint("This server reads version %d.", CR_NAME_BINARY_VERSION)));
	return pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
}
