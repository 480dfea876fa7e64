/*
 * incident.c
 *		Type ceptoar.incident: the facts of one IT failure.
 *
 * Text form (every field named, order free on input, this order on output):
 *
 *	service=electricity.supply, effect=stop, began=2024-01-15 09:00:00+09,
 *	lasted=3 h 10 min, cause=failure, users=unknown, households=unknown,
 *	lost_kw=120000, cancelled=unknown, flags={}
 *
 * "began" is written in Japan time (+09) whatever the session's TimeZone or
 * DateStyle, and read as ISO 8601 by our own parser, so the text form is the
 * same in every session (pg_dump and logical replication depend on it).  A
 * time without an offset is Japan time.  The timestamps and the durations
 * of the text form are time.c's.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"

const char *const cr_effect_names[CR_NEFFECTS] = {"stop", "degradation", "delay", "loss"};
const char *const cr_cause_names[CR_NCAUSES] = {"attack", "failure", "error", "disaster",
"cascade", "unknown"};
const char *const cr_measure_names[CR_NMEASURES] = {"users", "households", "lost_kw", "cancelled"};
const char *const cr_flag_names[CR_NFLAGS] = {"rights_impaired", "water_quality",
"cargo_lost", "records_impaired"};

static const char *const field_names[] = {
	"service", "effect", "began", "lasted", "cause",
	"users", "households", "lost_kw", "cancelled", "flags"
};

StaticAssertDecl(sizeof(Incident) == 64, "the on-disk incident is 64 bytes, frozen");

/* ---------- names ---------- */

static int
name_index(const char *s, int len, const char *const *names, int n)
{
	/* literals are usually written in lower case: compare bytes first */
	for (int i = 0; i < n; i++)
		if (names[i][0] == s[0] && strncmp(s, names[i], len) == 0 && names[i][len] == '\0')
			return i;
	for (int i = 0; i < n; i++)
		if (pg_strncasecmp(s, names[i], len) == 0 && names[i][len] == '\0')
			return i;
	return -1;
}

/* ---------- which measures make sense for which service ---------- */

static uint8
unit_measures(const char *unit)
{
	uint8		m = 1 << CR_M_USERS;

	if (unit == NULL)
		return m;
	if (strcmp(unit, "kW") == 0)
		m |= (1 << CR_M_LOST_KW) | (1 << CR_M_HOUSEHOLDS);
	else if (strcmp(unit, "households") == 0)
		m |= 1 << CR_M_HOUSEHOLDS;
	else if (strcmp(unit, "flights") == 0 || strcmp(unit, "trains") == 0 ||
			 strcmp(unit, "vessels") == 0)
		m |= 1 << CR_M_CANCELLED;
	return m;
}

/* the measures an incident of this service may carry; a root allows its services' */
static uint8
service_measures(Service s)
{
	uint8		m = unit_measures(cr_service_info(s)->unit);

	if (cr_service_depth(s) == 1)
		for (int i = 0; i < cr_nservices; i++)
			if (cr_service_contains(s, cr_services[i].id))
				m |= unit_measures(cr_services[i].unit);
	return m;
}

static char *
measure_list(uint8 mask)
{
	const char *items[CR_NMEASURES];
	int			n = 0;

	for (int i = 0; i < CR_NMEASURES; i++)
		if (mask & (1 << i))
			items[n++] = cr_measure_names[i];
	return cr_join(items, n);
}

/*
 * Checks shared by text input, binary input and the constructor: the
 * service exists, codes are in range, unknown measures are zero, known ones
 * are not negative and make sense for the service.
 */
static void
incident_check(const Incident *inc)
{
	const CrServiceInfo *si = cr_service_info(inc->service);
	uint8		allowed;
	DateADT		day;

	if (si == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid service in ceptoar.incident")));
	if (inc->effect >= CR_NEFFECTS || inc->cause >= CR_NCAUSES ||
		(inc->flags & ~((1 << CR_NFLAGS) - 1)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid effect, cause or flags in ceptoar.incident")));
	if ((inc->known & CR_KNOWN_LASTED) && inc->lasted < 0)
	{
		/* only a binary value gets here: the others were checked as durations */
		Interval	iv = {.time = inc->lasted};

		cr_report_duration(CR_DURATION_NEGATIVE, "lasted", &iv);
	}
	if ((inc->known & CR_KNOWN_LASTED) && (inc->known & CR_ONGOING))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an ongoing incident cannot have a known duration")));
	if (TIMESTAMP_NOT_FINITE(inc->began) || !IS_VALID_TIMESTAMP(inc->began))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("began must be a finite timestamp")));

	/*
	 * The text form writes began in Japan time with a four-digit year, and
	 * must read back everything it writes (pg_dump depends on it): so an
	 * incident begins in years 1 to 9999, Japan time.
	 */
	day = cr_japan_day(inc->began);
	if (day < date2j(1, 1, 1) - POSTGRES_EPOCH_JDATE ||
		day >= date2j(10000, 1, 1) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("began is out of range for ceptoar.incident"),
				 errdetail("An incident begins between 0001-01-01 00:00 and 9999-12-31 23:59:59.999999 Japan time (+09)."),
				 errhint("Check the year and the offset of began.")));

	allowed = service_measures(inc->service);
	for (int m = 0; m < CR_NMEASURES; m++)
	{
		if (!(inc->known & (1 << m)))
			continue;
		if (inc->measure[m] < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must not be negative", cr_measure_names[m]),
					 errdetail("The value is " INT64_FORMAT ".", inc->measure[m]),
					 errhint("Leave a measure out (or write %s=unknown) when it is not known.",
							 cr_measure_names[m])));
		if (!(allowed & (1 << m)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("measure %s does not apply to service %s",
							cr_measure_names[m], si->code),
					 errdetail("Service %s is measured in %s.", si->code,
							   si->unit ? si->unit : "users"),
					 errhint("Measures that apply to %s: %s.", si->code,
							 measure_list(allowed))));
	}
}

static Incident *
incident_new(void)
{
	Incident   *inc = palloc0(sizeof(Incident));

	inc->version = CR_INCIDENT_VERSION;
	inc->effect = CR_EFFECT_STOP;
	inc->cause = CR_CAUSE_UNKNOWN;
	return inc;
}

/* ---------- text input ---------- */

static void
bad_field(const char *input, const char *field, const char *detail,
		  const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type ceptoar.incident: \"%s\"", input),
			 errdetail("Field \"%s\": %s", field, detail),
			 hint ? errhint("%s", hint) : 0));
}

static void
parse_field(Incident *inc, const char *input, int field, char *val, uint16 *seen)
{
	const char *fname = field_names[field];
	int			idx;

	if (*seen & (1 << field))
		bad_field(input, fname, "given twice.", "Give each field once.");
	*seen |= 1 << field;

	switch (field)
	{
		case 0:					/* service */
			inc->service = cr_service_parse(val);
			break;
		case 1:					/* effect */
			idx = name_index(val, strlen(val), cr_effect_names, CR_NEFFECTS);
			if (idx < 0)
				bad_field(input, fname, psprintf("unknown effect \"%s\".", val),
						  psprintf("Valid effects are: %s.",
								   cr_join(cr_effect_names, CR_NEFFECTS)));
			inc->effect = idx;
			break;
		case 2:					/* began */
			if (!cr_parse_timestamp(val, &inc->began))
				bad_field(input, fname, psprintf("\"%s\" is not a date and time.", val),
						  "Write ISO 8601, e.g. 2024-01-15 09:00:00+09 (no offset means Japan time).");
			break;
		case 3:					/* lasted */
			if (pg_strcasecmp(val, "unknown") == 0)
				break;
			if (pg_strcasecmp(val, "ongoing") == 0)
			{
				inc->known |= CR_ONGOING;
				break;
			}
			{
				const char *p = val;

				if (!cr_parse_duration(&p, &inc->lasted) || *cr_skip_spaces(p) != '\0')
					bad_field(input, fname, psprintf("\"%s\" is not a duration.", val),
							  "Write a duration such as 3 h 10 min, 45 min or 2 d, or unknown, or ongoing.");
				inc->known |= CR_KNOWN_LASTED;
			}
			break;
		case 4:					/* cause */
			idx = name_index(val, strlen(val), cr_cause_names, CR_NCAUSES);
			if (idx < 0)
				bad_field(input, fname, psprintf("unknown cause \"%s\".", val),
						  psprintf("Valid causes are: %s.",
								   cr_join(cr_cause_names, CR_NCAUSES)));
			inc->cause = idx;
			break;
		case 5:
		case 6:
		case 7:
		case 8:					/* measures */
			{
				int			m = field - 5;
				const char *p = val;
				bool		neg = false;
				int64		v = 0;

				if (pg_strcasecmp(val, "unknown") == 0)
					break;
				if (*p == '-')
				{
					neg = true;
					p++;
				}
				if (!isdigit((unsigned char) *p))
					bad_field(input, fname, psprintf("\"%s\" is not a whole number.", val),
							  "Write digits, e.g. 30000, or unknown.");
				for (; *p; p++)
				{
					if (*p == '_' && isdigit((unsigned char) p[1]))
						continue;	/* 30_000 */
					if (!isdigit((unsigned char) *p))
						bad_field(input, fname, psprintf("\"%s\" is not a whole number.", val),
								  "Write digits, e.g. 30000, or unknown.");
					if (pg_mul_s64_overflow(v, 10, &v) ||
						pg_add_s64_overflow(v, *p - '0', &v))
						ereport(ERROR,
								(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
								 errmsg("value of %s is out of range in ceptoar.incident: \"%s\"",
										fname, val),
								 errhint("The largest value is " INT64_FORMAT ".", PG_INT64_MAX)));
				}
				inc->measure[m] = neg ? -v : v;
				inc->known |= 1 << m;
			}
			break;
		case 9:					/* flags */
			{
				int			len = strlen(val);
				char	   *p;

				if (len < 2 || val[0] != '{' || val[len - 1] != '}')
					bad_field(input, fname, psprintf("\"%s\" is not a set of flags.", val),
							  psprintf("Write {} or e.g. {water_quality,cargo_lost}; valid flags are: %s.",
									   cr_join(cr_flag_names, CR_NFLAGS)));
				val[len - 1] = '\0';
				p = val + 1;
				while (*cr_skip_spaces(p))
				{
					char	   *start = (char *) cr_skip_spaces(p);
					char	   *end = strchr(start, ',');
					char	   *e;

					if (end)
						*end = '\0';
					for (e = start + strlen(start); e > start && cr_is_space(e[-1]); e--)
						;
					*e = '\0';
					idx = name_index(start, strlen(start), cr_flag_names, CR_NFLAGS);
					if (idx < 0)
						bad_field(input, fname, psprintf("unknown flag \"%s\".", start),
								  psprintf("Valid flags are: %s.",
										   cr_join(cr_flag_names, CR_NFLAGS)));
					inc->flags |= 1 << idx;
					if (!end)
						break;
					p = end + 1;
				}
			}
			break;
	}
}

static Incident *
incident_parse(const char *input)
{
	Incident   *inc = incident_new();
	char	   *buf = pstrdup(input);
	char	   *p = buf;
	uint16		seen = 0;

	for (;;)
	{
		char	   *key,
				   *val,
				   *end;
		int			klen,
					field;
		int			depth = 0;

		p = (char *) cr_skip_spaces(p);
		if (*p == '\0')
			break;
		key = p;
		while (isalnum((unsigned char) *p) || *p == '_')
			p++;
		klen = p - key;
		field = name_index(key, klen, field_names, NELEM(field_names));
		if (klen == 0 || field < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type ceptoar.incident: \"%s\"", input),
					 errdetail(klen ? "Unknown field \"%.*s\"." :
							   "Expected a field name at character %d.",
							   klen ? klen : (int) (key - buf) + 1, key),
					 errhint("Write field=value pairs separated by commas; valid fields are: %s.",
							 cr_join(field_names, NELEM(field_names)))));
		p = (char *) cr_skip_spaces(p);
		if (*p != '=')
			bad_field(input, field_names[field], "expected \"=\" after the field name.",
					  "Write field=value pairs separated by commas, e.g. service=gas.supply, began=2024-01-15 09:00+09.");
		val = (char *) cr_skip_spaces(p + 1);
		for (end = val; *end && !(*end == ',' && depth == 0); end++)
			depth += (*end == '{') - (*end == '}');
		p = (*end == ',') ? end + 1 : end;
		while (end > val && cr_is_space(end[-1]))
			end--;
		*end = '\0';
		if (*val == '\0')
			bad_field(input, field_names[field], "the value is empty.",
					  "Leave the field out, or write unknown for a measure.");
		parse_field(inc, input, field, val, &seen);
	}
	if (!(seen & 1) || !(seen & 4))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type ceptoar.incident: \"%s\"", input),
				 errdetail("Field \"%s\" is missing.", !(seen & 1) ? "service" : "began"),
				 errhint("An incident needs at least service and began, e.g. service=gas.supply, began=2024-01-15 09:00+09.")));
	pfree(buf);
	incident_check(inc);
	return inc;
}

/* ---------- text output ---------- */

static char *
incident_text(const Incident *inc)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "service=%s, effect=%s, began=",
					 cr_service_info(inc->service)->code, cr_effect_names[inc->effect]);
	cr_append_timestamp(&buf, inc->began);
	appendStringInfoString(&buf, ", lasted=");
	if (inc->known & CR_KNOWN_LASTED)
		cr_append_duration(&buf, inc->lasted);
	else
		appendStringInfoString(&buf, (inc->known & CR_ONGOING) ? "ongoing" : "unknown");
	appendStringInfo(&buf, ", cause=%s", cr_cause_names[inc->cause]);
	for (int m = 0; m < CR_NMEASURES; m++)
	{
		if (inc->known & (1 << m))
			appendStringInfo(&buf, ", %s=" INT64_FORMAT, cr_measure_names[m], inc->measure[m]);
		else
			appendStringInfo(&buf, ", %s=unknown", cr_measure_names[m]);
	}
	appendStringInfoString(&buf, ", flags={");
	for (int f = 0, n = 0; f < CR_NFLAGS; f++)
		if (inc->flags & (1 << f))
			appendStringInfo(&buf, "%s%s", n++ ? "," : "", cr_flag_names[f]);
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

PG_FUNCTION_INFO_V1(incident_in);
/* text -> incident */
Datum
incident_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_INCIDENT_P(incident_parse(PG_GETARG_CSTRING(0)));
}

PG_FUNCTION_INFO_V1(incident_out);
/* incident -> text, the same in every session */
Datum
incident_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(incident_text(PG_GETARG_INCIDENT_P(0)));
}

/* ---------- binary I/O ---------- */

PG_FUNCTION_INFO_V1(incident_send);
/* binary: version, effect, cause, known, flags, began, lasted, measures, service code */
Datum
incident_send(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	const char *code = cr_service_info(inc->service)->code;
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint8(&buf, CR_INCIDENT_VERSION);
	pq_sendint8(&buf, inc->effect);
	pq_sendint8(&buf, inc->cause);
	pq_sendint8(&buf, inc->known);
	pq_sendint8(&buf, inc->flags);
	pq_sendint64(&buf, inc->began);
	pq_sendint64(&buf, inc->lasted);
	for (int m = 0; m < CR_NMEASURES; m++)
		pq_sendint64(&buf, inc->measure[m]);
	pq_sendtext(&buf, code, strlen(code));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(incident_recv);
/* binary input, checked as strictly as text input */
Datum
incident_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	Incident   *inc = incident_new();
	int			version;
	int			nbytes;
	char	   *code;

	if (buf->len - buf->cursor < 5 + 8 * (2 + CR_NMEASURES) + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type ceptoar.incident"),
				 errdetail("The value has %d bytes, fewer than any incident.",
						   buf->len - buf->cursor)));
	version = pq_getmsgint(buf, 1);
	if (version != CR_INCIDENT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported binary format version %d for type ceptoar.incident",
						version),
				 errhint("This server reads version %d.", CR_INCIDENT_VERSION)));
	inc->effect = pq_getmsgint(buf, 1);
	inc->cause = pq_getmsgint(buf, 1);
	inc->known = pq_getmsgint(buf, 1);
	inc->flags = pq_getmsgint(buf, 1);
	inc->began = pq_getmsgint64(buf);
	inc->lasted = pq_getmsgint64(buf);
	for (int m = 0; m < CR_NMEASURES; m++)
		inc->measure[m] = pq_getmsgint64(buf);
	code = pq_getmsgtext(buf, buf->len - buf->cursor, &nbytes);
	inc->service = cr_service_parse(code);
	if ((inc->known & ~(CR_KNOWN_LASTED | CR_ONGOING | ((1 << CR_NMEASURES) - 1))) != 0 ||
		(!(inc->known & CR_KNOWN_LASTED) && inc->lasted != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary value for type ceptoar.incident"),
				 errdetail("Unknown bits in the known-measures byte, or a value for an unknown measure.")));
	for (int m = 0; m < CR_NMEASURES; m++)
		if (!(inc->known & (1 << m)) && inc->measure[m] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid binary value for type ceptoar.incident"),
					 errdetail("Measure %s is unknown but carries a value.", cr_measure_names[m])));
	incident_check(inc);
	PG_RETURN_INCIDENT_P(inc);
}

/* ---------- constructor and accessors ---------- */

static int
text_name_index(text *t, const char *const *names, int n, const char *what,
				const char *plural)
{
	char	   *s = text_to_cstring(t);
	int			idx = name_index(s, strlen(s), names, n);

	if (idx < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown %s \"%s\"", what, s),
				 errhint("Valid %s are: %s.", plural, cr_join(names, n))));
	return idx;
}

PG_FUNCTION_INFO_V1(incident_make);
/* incident(service, began, lasted, effect, cause, users, households, lost_kw, cancelled, flags) */
Datum
incident_make(PG_FUNCTION_ARGS)
{
	Incident   *inc;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	inc = incident_new();
	inc->service = PG_GETARG_SERVICE(0);
	inc->began = PG_GETARG_TIMESTAMPTZ(1);
	if (!PG_ARGISNULL(2))
	{
		inc->lasted = cr_interval_usec(PG_GETARG_INTERVAL_P(2), "lasted");
		inc->known |= CR_KNOWN_LASTED;
	}
	if (!PG_ARGISNULL(3))
		inc->effect = text_name_index(PG_GETARG_TEXT_PP(3), cr_effect_names, CR_NEFFECTS,
									  "effect", "effects");
	if (!PG_ARGISNULL(4))
		inc->cause = text_name_index(PG_GETARG_TEXT_PP(4), cr_cause_names, CR_NCAUSES,
									 "cause", "causes");
	for (int m = 0; m < CR_NMEASURES; m++)
		if (!PG_ARGISNULL(5 + m))
		{
			inc->measure[m] = PG_GETARG_INT64(5 + m);
			inc->known |= 1 << m;
		}
	if (!PG_ARGISNULL(9))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(9);
		Datum	   *elems;
		bool	   *nulls;
		int			n;

		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (int i = 0; i < n; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("flags must not contain NULL")));
			inc->flags |= 1 << text_name_index(DatumGetTextPP(elems[i]), cr_flag_names,
											   CR_NFLAGS, "flag", "flags");
		}
	}
	incident_check(inc);
	PG_RETURN_INCIDENT_P(inc);
}

PG_FUNCTION_INFO_V1(incident_service);
Datum
incident_service(PG_FUNCTION_ARGS)
{
	PG_RETURN_SERVICE(PG_GETARG_INCIDENT_P(0)->service);
}

PG_FUNCTION_INFO_V1(incident_sector);
Datum
incident_sector(PG_FUNCTION_ARGS)
{
	PG_RETURN_SECTOR(CR_SERVICE_SECTOR(PG_GETARG_INCIDENT_P(0)->service));
}

PG_FUNCTION_INFO_V1(incident_began);
Datum
incident_began(PG_FUNCTION_ARGS)
{
	PG_RETURN_TIMESTAMPTZ(PG_GETARG_INCIDENT_P(0)->began);
}

PG_FUNCTION_INFO_V1(incident_lasted);
/* the duration as an interval of hours, minutes and seconds; NULL if unknown */
Datum
incident_lasted(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	Interval   *iv;

	if (!(inc->known & CR_KNOWN_LASTED))
		PG_RETURN_NULL();
	iv = palloc0(sizeof(Interval));
	iv->time = inc->lasted;
	PG_RETURN_INTERVAL_P(iv);
}

PG_FUNCTION_INFO_V1(incident_ended);
/* began + lasted; NULL if the duration is unknown */
Datum
incident_ended(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	TimestampTz end;

	if (!(inc->known & CR_KNOWN_LASTED))
		PG_RETURN_NULL();
	if (pg_add_s64_overflow(inc->began, inc->lasted, &end) || !IS_VALID_TIMESTAMP(end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	PG_RETURN_TIMESTAMPTZ(end);
}

PG_FUNCTION_INFO_V1(incident_ongoing);
Datum
incident_ongoing(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL((PG_GETARG_INCIDENT_P(0)->known & CR_ONGOING) != 0);
}

PG_FUNCTION_INFO_V1(incident_effect);
Datum
incident_effect(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cr_effect_names[PG_GETARG_INCIDENT_P(0)->effect]));
}

PG_FUNCTION_INFO_V1(incident_cause);
Datum
incident_cause(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(cr_cause_names[PG_GETARG_INCIDENT_P(0)->cause]));
}

static Datum
measure_datum(FunctionCallInfo fcinfo, int m)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);

	if (!(inc->known & (1 << m)))
		PG_RETURN_NULL();
	PG_RETURN_INT64(inc->measure[m]);
}

PG_FUNCTION_INFO_V1(incident_users);
Datum
incident_users(PG_FUNCTION_ARGS)
{
	return measure_datum(fcinfo, CR_M_USERS);
}

PG_FUNCTION_INFO_V1(incident_households);
Datum
incident_households(PG_FUNCTION_ARGS)
{
	return measure_datum(fcinfo, CR_M_HOUSEHOLDS);
}

PG_FUNCTION_INFO_V1(incident_lost_kw);
Datum
incident_lost_kw(PG_FUNCTION_ARGS)
{
	return measure_datum(fcinfo, CR_M_LOST_KW);
}

PG_FUNCTION_INFO_V1(incident_cancelled);
Datum
incident_cancelled(PG_FUNCTION_ARGS)
{
	return measure_datum(fcinfo, CR_M_CANCELLED);
}

PG_FUNCTION_INFO_V1(incident_flags);
/* the flags set, as text[] in a fixed order */
Datum
incident_flags(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	Datum		elems[CR_NFLAGS];
	int			n = 0;

	for (int f = 0; f < CR_NFLAGS; f++)
		if (inc->flags & (1 << f))
			elems[n++] = CStringGetTextDatum(cr_flag_names[f]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(incident_user_hours);
/* users x hours (ENISA's measure); NULL if either is unknown */
Datum
incident_user_hours(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);

	if (!(inc->known & CR_KNOWN_LASTED) || !(inc->known & (1 << CR_M_USERS)))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) inc->measure[CR_M_USERS] *
					 ((double) inc->lasted / USECS_PER_HOUR));
}

/* ---------- comparison and hashing ---------- */

#define CMP(a, b) do { if ((a) != (b)) return (a) < (b) ? -1 : 1; } while (0)

/* by began, then every other field; unknown sorts before any known value */
static int
incident_compare(const Incident *a, const Incident *b)
{
	CMP(a->began, b->began);
	CMP(a->service, b->service);
	CMP(a->effect, b->effect);
	CMP(a->cause, b->cause);
	CMP(a->known & CR_KNOWN_LASTED, b->known & CR_KNOWN_LASTED);
	CMP(a->known & CR_ONGOING, b->known & CR_ONGOING);
	CMP(a->lasted, b->lasted);
	for (int m = 0; m < CR_NMEASURES; m++)
	{
		CMP(a->known & (1 << m), b->known & (1 << m));
		CMP(a->measure[m], b->measure[m]);
	}
	CMP(a->flags, b->flags);
	return 0;
}

PG_FUNCTION_INFO_V1(incident_cmp);
Datum
incident_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(incident_compare(PG_GETARG_INCIDENT_P(0), PG_GETARG_INCIDENT_P(1)));
}

#define INCIDENT_CMP_FN(name, test) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	int			c = incident_compare(PG_GETARG_INCIDENT_P(0), PG_GETARG_INCIDENT_P(1)); \
	PG_RETURN_BOOL(test); \
}

INCIDENT_CMP_FN(incident_eq, c == 0)
INCIDENT_CMP_FN(incident_ne, c != 0)
INCIDENT_CMP_FN(incident_lt, c < 0)
INCIDENT_CMP_FN(incident_le, c <= 0)
INCIDENT_CMP_FN(incident_gt, c > 0)
INCIDENT_CMP_FN(incident_ge, c >= 0)

/*
 * min() and max(): the transition and combine functions return one of their
 * arguments, as text_smaller does; the executor copies it into the
 * aggregate's context.
 */
PG_FUNCTION_INFO_V1(incident_smaller);
/* the earlier of two incidents in btree order */
Datum
incident_smaller(PG_FUNCTION_ARGS)
{
	Incident   *a = PG_GETARG_INCIDENT_P(0);
	Incident   *b = PG_GETARG_INCIDENT_P(1);

	PG_RETURN_INCIDENT_P(incident_compare(a, b) <= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(incident_larger);
/* the later of two incidents in btree order */
Datum
incident_larger(PG_FUNCTION_ARGS)
{
	Incident   *a = PG_GETARG_INCIDENT_P(0);
	Incident   *b = PG_GETARG_INCIDENT_P(1);

	PG_RETURN_INCIDENT_P(incident_compare(a, b) >= 0 ? a : b);
}

PG_FUNCTION_INFO_V1(incident_hash);
/* equal incidents are equal bytes: unknown measures and reserved bytes are zero */
Datum
incident_hash(PG_FUNCTION_ARGS)
{
	return hash_any((const unsigned char *) PG_GETARG_INCIDENT_P(0), sizeof(Incident));
}

PG_FUNCTION_INFO_V1(incident_hash_extended);
Datum
incident_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_any_extended((const unsigned char *) PG_GETARG_INCIDENT_P(0),
							 sizeof(Incident), PG_GETARG_INT64(1));
}
