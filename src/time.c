/*
 * time.c
 *		Time in Japan and durations: what the text forms write and read, and
 *		intervals as microseconds.  The SQL side (fiscal years) is
 *		src/sql/040_time.sql; sql/time.sql tests it.
 *
 * - Japan time: a fixed UTC+9 (CR_JST_OFFSET_USEC), so a text form reads
 *	 and writes the same in every session whatever its TimeZone, without the
 *	 tz database (output functions run inside logical decoding too).
 * - Timestamps: ISO 8601 in, Japan time with "+09" out, by our own parser
 *	 and printer (not DateStyle's).
 * - Durations: the language "3 h 10 min" (incidents and criteria share it),
 *	 and the one conversion of an interval to microseconds, with one rule:
 *	 a month has no fixed length, so an interval with months or years is
 *	 not a duration.
 */
#include "postgres.h"

#include "common/int.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"

/* ---------- Japan time ---------- */

/*
 * The day in Japan of an instant, as a DateADT, for every int64 (infinities
 * included) without overflow: t + CR_JST_OFFSET_USEC itself could overflow,
 * so divide first (rounding down) and let the offset carry into the next day.
 */
DateADT
cr_japan_day(TimestampTz t)
{
	int64		day = t / USECS_PER_DAY;
	int64		rest = t % USECS_PER_DAY;

	if (rest < 0)
	{
		day--;
		rest += USECS_PER_DAY;
	}
	if (rest >= USECS_PER_DAY - CR_JST_OFFSET_USEC)
		day++;
	return (DateADT) day;
}

/* a fraction of a second, 1 .. 999,999 us: ".5", ".000001" (six digits, no trailing zeros) */
static inline char *
put_fraction(char *p, int frac)
{
	int			n = 6;

	*p++ = '.';
	for (int d = 5; d >= 0; d--, frac /= 10)
		p[d] = '0' + frac % 10;
	while (p[n - 1] == '0')
		n--;
	return p + n;
}

static void
append_fraction(StringInfo buf, int usec)
{
	char		frac[8];

	appendBinaryStringInfo(buf, frac, put_fraction(frac, usec) - frac);
}

/* exactly n decimal digits */
static inline bool
digits(const char *p, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (p[i] < '0' || p[i] > '9')
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * The digits after a decimal point, as millionths in *usec (digits beyond
 * the sixth are dropped).  Returns the end, or NULL when no digit follows.
 */
static const char *
parse_fraction(const char *p, int *usec)
{
	int			v = 0,
				n = 0;

	if (!isdigit((unsigned char) *p))
		return NULL;
	for (; isdigit((unsigned char) *p); p++)
		if (n < 6)
		{
			v = v * 10 + (*p - '0');
			n++;
		}
	for (; n < 6; n++)
		v *= 10;
	*usec = v;
	return p;
}

/*
 * ISO 8601: YYYY-MM-DD[( |T)HH:MM[:SS[.ffffff]]][Z|UTC|(+|-)HH[[:]MM]],
 * spaces allowed before the offset and at the end.  No offset means Japan
 * time.  Returns false if malformed or out of the timestamp range.
 */
bool
cr_parse_timestamp(const char *s, TimestampTz *result)
{
	struct pg_tm tm = {0};
	fsec_t		fsec = 0;

	/* seconds west of UTC, as PostgreSQL counts */
	int			tz = -(int) (CR_JST_OFFSET_USEC / USECS_PER_SEC);
	const char *p;

	/* by hand: sscanf costs more than the rest of an incident's parsing */
	if (!digits(s, 4, &tm.tm_year) || s[4] != '-' || !digits(s + 5, 2, &tm.tm_mon) ||
		s[7] != '-' || !digits(s + 8, 2, &tm.tm_mday))
		return false;
	p = s + 10;
	if (*p == ' ' || *p == 'T')
	{
		p++;
		if (!digits(p, 2, &tm.tm_hour) || p[2] != ':' || !digits(p + 3, 2, &tm.tm_min))
			return false;
		p += 5;
		if (*p == ':')
		{
			if (!digits(p + 1, 2, &tm.tm_sec))
				return false;
			p += 3;
			if (*p == '.' && (p = parse_fraction(p + 1, &fsec)) == NULL)
				return false;
		}
		p = cr_skip_spaces(p);
		if (*p == 'Z' || pg_strncasecmp(p, "UTC", 3) == 0)
		{
			tz = 0;
			p += (*p == 'Z') ? 1 : 3;
		}
		else if (*p == '+' || *p == '-')
		{
			int			sign = (*p == '+') ? -1 : 1;
			int			hh,
						mm = 0;

			if (!digits(p + 1, 2, &hh))
				return false;
			p += 3;
			if (*p == ':')
				p++;
			if (digits(p, 2, &mm))
				p += 2;
			if (hh > 15 || mm > 59)
				return false;
			tz = sign * (hh * SECS_PER_HOUR + mm * SECS_PER_MINUTE);
		}
	}
	if (*cr_skip_spaces(p) != '\0')
		return false;
	if (tm.tm_year < 1 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
		tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return false;
	if (tm2timestamp(&tm, fsec, &tz, result) != 0 || !IS_VALID_TIMESTAMP(*result))
		return false;
	return true;
}

/*
 * "2024-01-15 09:00:00+09", "2024-01-15 09:00:00.25+09": t in Japan time,
 * seconds always, a fraction only when there is one.  The year has four
 * digits for the years 1 to 9999 in Japan; callers that must read their
 * output back keep to those years.
 */
void
cr_append_timestamp(StringInfo buf, TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	Timestamp	local;

	if (TIMESTAMP_NOT_FINITE(t) || pg_add_s64_overflow(t, CR_JST_OFFSET_USEC, &local) ||
		timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	appendStringInfo(buf, "%04d-%02d-%02d %02d:%02d:%02d",
					 tm.tm_year, tm.tm_mon, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (fsec)
		append_fraction(buf, fsec);
	appendStringInfoString(buf, "+09");
}

/* ---------- the duration language ---------- */

static const struct
{
	const char *name;
	int64		usec;
}			duration_units[] = {
	{"d", USECS_PER_DAY}, {"day", USECS_PER_DAY}, {"days", USECS_PER_DAY},
	{"h", USECS_PER_HOUR}, {"hr", USECS_PER_HOUR}, {"hour", USECS_PER_HOUR},
	{"hours", USECS_PER_HOUR}, {"min", USECS_PER_MINUTE}, {"mins", USECS_PER_MINUTE},
	{"minute", USECS_PER_MINUTE}, {"minutes", USECS_PER_MINUTE},
	{"s", USECS_PER_SEC}, {"sec", USECS_PER_SEC}, {"secs", USECS_PER_SEC},
	{"second", USECS_PER_SEC}, {"seconds", USECS_PER_SEC},
};

/*
 * Parse "3 h 10 min", "2h", "1.5 d", "90 s": one or more number-unit terms.
 * Advances *p past what it read.  Returns false (and leaves *p) when the
 * text does not start with a term, or a term is malformed or overflows.
 */
bool
cr_parse_duration(const char **p, int64 *usec)
{
	const char *s = cr_skip_spaces(*p);
	int64		total = 0;
	int			terms = 0;

	for (;;)
	{
		const char *t = cr_skip_spaces(s);
		int64		whole = 0,
					unit = 0,
					part;
		int			frac = 0;
		const char *u;
		int			ulen;

		if (!isdigit((unsigned char) *t))
			break;
		while (isdigit((unsigned char) *t))
		{
			if (pg_mul_s64_overflow(whole, 10, &whole) ||
				pg_add_s64_overflow(whole, *t - '0', &whole))
				return false;
			t++;
		}
		if (*t == '.' && (t = parse_fraction(t + 1, &frac)) == NULL)
			return false;
		t = cr_skip_spaces(t);
		u = t;
		while (isalpha((unsigned char) *t))
			t++;
		ulen = t - u;
		/* units are usually written in lower case: compare bytes first */
		for (int i = 0; i < NELEM(duration_units) && unit == 0; i++)
			if (ulen > 0 && duration_units[i].name[0] == u[0] &&
				strncmp(u, duration_units[i].name, ulen) == 0 &&
				duration_units[i].name[ulen] == '\0')
				unit = duration_units[i].usec;
		for (int i = 0; i < NELEM(duration_units) && unit == 0; i++)
			if (ulen > 0 && pg_strncasecmp(u, duration_units[i].name, ulen) == 0 &&
				duration_units[i].name[ulen] == '\0')
				unit = duration_units[i].usec;
		if (unit == 0)
			return false;
		if (pg_mul_s64_overflow(whole, unit, &part) ||
			pg_add_s64_overflow(part, frac * unit / USECS_PER_SEC, &part) ||
			pg_add_s64_overflow(total, part, &total))
			return false;
		terms++;
		s = t;
	}
	if (terms == 0)
		return false;
	*p = s;
	*usec = total;
	return true;
}

/* n (0 to 99) in decimal, one or two digits */
static inline char *
put_small(char *p, int n)
{
	if (n >= 10)
		*p++ = '0' + n / 10;
	*p++ = '0' + n % 10;
	return p;
}

/*
 * "3 h 10 min", "1 d 2 h", "10.5 s", "0 s" written at out (at least
 * CR_DURATION_MAXLEN bytes), NUL-terminated; returns its length.  usec must
 * not be negative.  No format strings and no division but by constants:
 * classify() writes a duration into many explanations.
 */
int
cr_write_duration(char *out, int64 usec)
{
	char	   *p = out;
	int64		days;
	int			hours,
				minutes,
				seconds,
				frac;

	if (unlikely(usec < 0))
	{
		/* not a duration: what this function always wrote for it */
		p += pg_lltoa(usec / USECS_PER_SEC, p);
		frac = (int) (usec % USECS_PER_SEC);
		if (frac)
			p = put_fraction(p, frac);
		memcpy(p, " s", 2);
		p += 2;
		*p = '\0';
		return p - out;
	}
	days = usec / USECS_PER_DAY;
	usec -= days * USECS_PER_DAY;
	hours = (int) (usec / USECS_PER_HOUR);
	usec -= hours * USECS_PER_HOUR;
	minutes = (int) (usec / USECS_PER_MINUTE);
	usec -= minutes * USECS_PER_MINUTE;
	seconds = (int) (usec / USECS_PER_SEC);
	frac = (int) (usec - seconds * USECS_PER_SEC);

	if (days > 0)
	{
		p += pg_lltoa(days, p);
		memcpy(p, " d", 2);
		p += 2;
	}
	if (hours > 0)
	{
		if (p > out)
			*p++ = ' ';
		p = put_small(p, hours);
		memcpy(p, " h", 2);
		p += 2;
	}
	if (minutes > 0)
	{
		if (p > out)
			*p++ = ' ';
		p = put_small(p, minutes);
		memcpy(p, " min", 4);
		p += 4;
	}
	if (seconds > 0 || frac > 0 || p == out)
	{
		if (p > out)
			*p++ = ' ';
		p = put_small(p, seconds);
		if (frac)
			p = put_fraction(p, frac);
		memcpy(p, " s", 2);
		p += 2;
	}
	*p = '\0';
	return p - out;
}

void
cr_append_duration(StringInfo buf, int64 usec)
{
	char		out[CR_DURATION_MAXLEN];

	appendBinaryStringInfo(buf, out, cr_write_duration(out, usec));
}

/* ---------- intervals as durations ---------- */

/*
 * The error for an interval that cr_interval_duration() refused: the
 * message names the argument, the detail shows the value as the session
 * writes intervals, the hint says what a duration is.
 */
void
cr_report_duration(CrDurationFault fault, const char *what, const Interval *iv)
{
	char	   *value = DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(iv)));

	switch (fault)
	{
		case CR_DURATION_IN_MONTHS:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not be given in months or years", what),
					 errdetail("A month has no fixed length; the value is %s.", value),
					 errhint(CR_DURATION_HINT)));
			break;
		case CR_DURATION_NEGATIVE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not be negative", what),
					 errdetail("The value is %s.", value),
					 errhint(CR_DURATION_HINT)));
			break;
		case CR_DURATION_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("%s is out of range", what),
					 errdetail("The value is %s.", value),
					 errhint(CR_DURATION_HINT)));
			break;
		case CR_DURATION_OK:
			break;
	}
	elog(ERROR, "no fault in the duration %s", value);
}
