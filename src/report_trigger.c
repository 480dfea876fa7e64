/*
 * report_trigger.c
 *		_report_before(): the BEFORE INSERT OR UPDATE row trigger of
 *		ceptoar.report (src/sql/130_report.sql), in C.
 *
 * What the registry decides on every revision (the revision number, the
 * verification level, who wrote it, the derived columns) and what it
 * refuses, with the errors the PL/pgSQL version raised, statement for
 * statement and in the same order (sql/registry.sql and the other pg_regress
 * files pin them).  It was PL/pgSQL; in C it costs a fraction (bench/registry.sh).
 *
 * - It runs as the writer (not SECURITY DEFINER): its two lookups, the
 *	 operator row and the service instance, are SPI queries with saved plans,
 *	 schema-qualified with the function's own schema, run as PL/pgSQL ran
 *	 them (not read-only: a new snapshot each), so they are permission-checked
 *	 for the writer and row-level security applies to them as to the writer's
 *	 own queries.
 * - The verification level comes from the rule cache (classify.c), under a
 *	 new snapshot as PL/pgSQL's expression evaluation took one; the ministry
 *	 from the compiled-in competences (catalog.c); the days in Japan time
 *	 through the tz database's Asia/Tokyo, as the SQL's AT TIME ZONE does.
 * - A report rebuilt from a restored revision (_report_restore, as the
 *	 extension's owner, with ceptoar.restoring on, one trigger deeper) is taken
 *	 as it was, with its derived columns set.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "common/int.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "ceptoar_registry.h"

/* the columns of ceptoar.report the trigger reads or sets */
enum
{
	C_ID, C_OPERATOR, C_KIND, C_INCIDENT, C_INSTANCE, C_DETECTED, C_REPORTED,
	C_TLP, C_EXERCISE, C_STATUS, C_REVISION, C_REVOKED, C_REVOKED_REASON,
	C_LEVEL, C_LEVEL_RULE_SET, C_SECTOR_CODE, C_MINISTRY_CODE, C_TLP_RANK,
	C_IS_EXERCISE, C_IS_REVOKED, C_FISCAL_YEAR, C_BEGAN, C_LASTED, C_CAUSE,
	C_USER_HOURS, C_CHANGED_BY, NCOLS
};

static const struct
{
	const char *name;
	Oid			type;			/* InvalidOid: one of the extension's types */
	int16		len;
}			columns[NCOLS] =

{
	{"id", UUIDOID, 16},
	{"operator", TEXTOID, -1},
	{"kind", TEXTOID, -1},
	{"incident", InvalidOid, sizeof(Incident)},
	{"instance", INT8OID, 8},
	{"detected", TIMESTAMPTZOID, 8},
	{"reported", TIMESTAMPTZOID, 8},
	{"tlp", InvalidOid, 2},
	{"exercise", TEXTOID, -1},
	{"status", TEXTOID, -1},
	{"revision", INT4OID, 4},
	{"revoked", TIMESTAMPTZOID, 8},
	{"revoked_reason", TEXTOID, -1},
	{"level", TEXTOID, -1},
	{"level_rule_set", TEXTOID, -1},
	{"sector_code", TEXTOID, -1},
	{"ministry_code", TEXTOID, -1},
	{"tlp_rank", INT2OID, 2},
	{"is_exercise", BOOLOID, 1},
	{"is_revoked", BOOLOID, 1},
	{"fiscal_year", INT4OID, 4},
	{"began", TIMESTAMPTZOID, 8},
	{"lasted", INTERVALOID, 16},
	{"cause", TEXTOID, -1},
	{"user_hours", FLOAT8OID, 8},
	{"changed_by", NAMEOID, NAMEDATALEN},
};

/* the attribute numbers (0-based) of the columns, for one tuple descriptor */
static struct
{
	Oid			relid;
	Oid			reltype;
	int			natts;
	TupleDesc	desc;			/* compared by address only */
	int			att[NCOLS];
}			layout;

/* the saved plans, for the schema they name */
static Oid	plans_nsp = InvalidOid;
static char *plans_nspname = NULL;
static SPIPlanPtr operator_plan = NULL;
static SPIPlanPtr instance_plan = NULL;

/* the statuses a report may take from each one (_report_next_status) */
static const char *const next_status[][6] = {
	{"reported", "reported", "under_review", "verified", "revision_required", "closed"},
	{"under_review", "under_review", "verified", "revision_required", "closed", NULL},
	{"revision_required", "revision_required", "reported", "under_review", "verified", NULL},
	{"verified", "verified", "revision_required", "closed", NULL, NULL},
	{"closed", "closed", "revision_required", NULL, NULL, NULL},
};

extern Datum sector_out(PG_FUNCTION_ARGS);
extern Datum service_out(PG_FUNCTION_ARGS);

static void
find_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (layout.desc == desc && layout.relid == RelationGetRelid(rel) &&
		layout.reltype == rel->rd_rel->reltype && layout.natts == desc->natts)
		return;
	layout.desc = NULL;
	for (int c = 0; c < NCOLS; c++)
	{
		int			found = -1;

		for (int a = 0; a < desc->natts; a++)
		{
			Form_pg_attribute att = TupleDescAttr(desc, a);

			if (!att->attisdropped && strcmp(NameStr(att->attname), columns[c].name) == 0)
			{
				found = a;
				if ((OidIsValid(columns[c].type) && att->atttypid != columns[c].type) ||
					att->attlen != columns[c].len)
					elog(ERROR, "column %s of %s has an unexpected type",
						 columns[c].name, RelationGetRelationName(rel));
				break;
			}
		}
		if (found < 0)
			elog(ERROR, "column %s of %s is missing",
				 columns[c].name, RelationGetRelationName(rel));
		layout.att[c] = found;
	}
	layout.relid = RelationGetRelid(rel);
	layout.reltype = rel->rd_rel->reltype;
	layout.natts = desc->natts;
	layout.desc = desc;
}

static SPIPlanPtr
save_plan(const char *query, Oid argtype)
{
	SPIPlanPtr	plan = SPI_prepare(query, 1, &argtype);

	if (plan == NULL)
		elog(ERROR, "preparing \"%s\" failed: %s", query,
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan failed");
	return plan;
}

/* the plans of the two lookups, in the schema of function fn (SPI connected) */
static void
prepare_plans(Oid fn)
{
	Oid			nsp = get_func_namespace(fn);
	char	   *nspname = get_namespace_name(nsp);
	const char *q;

	if (nspname == NULL)
		elog(ERROR, "no schema for function %u", fn);
	if (operator_plan && nsp == plans_nsp && strcmp(nspname, plans_nspname) == 0)
		return;
	if (operator_plan)
		SPI_freeplan(operator_plan);
	if (instance_plan)
		SPI_freeplan(instance_plan);
	operator_plan = instance_plan = NULL;
	if (plans_nspname)
		pfree(plans_nspname);
	plans_nspname = NULL;
	q = quote_identifier(nspname);
	operator_plan = save_plan(psprintf("SELECT * FROM %s.operator o WHERE o.code OPERATOR(pg_catalog.=) $1", q),
							  TEXTOID);
	instance_plan = save_plan(psprintf("SELECT s.service, s.operator FROM %s.service_instance s WHERE s.id OPERATOR(pg_catalog.=) $1", q),
							  INT8OID);
	plans_nsp = nsp;
	plans_nspname = MemoryContextStrdup(TopMemoryContext, nspname);
}

/* SELECT * INTO op FROM operator o WHERE o.code = $1: its sector, false if no row */
static bool
lookup_operator(Datum code, bool isnull, Sector *sector)
{
	char		nulls = isnull ? 'n' : ' ';
	int			ret = SPI_execute_plan(operator_plan, &code, &nulls, false, 0);
	int			col;
	bool		n;
	Datum		d;

	if (ret != SPI_OK_SELECT)
		elog(ERROR, "looking up the operator failed: %s", SPI_result_code_string(ret));
	if (SPI_processed == 0)
		return false;
	col = SPI_fnumber(SPI_tuptable->tupdesc, "sector");
	if (col <= 0)
		elog(ERROR, "ceptoar.operator has no column sector");
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, col, &n);
	if (n)
		return false;			/* cannot be: the column is NOT NULL */
	*sector = DatumGetSector(d);
	return true;
}

/* the text of a datum for a message, by its type's output function */
static char *
out_timestamptz(TimestampTz t)
{
	return DatumGetCString(DirectFunctionCall1(timestamptz_out, TimestampTzGetDatum(t)));
}

static char *
out_sector(Sector s)
{
	return DatumGetCString(DirectFunctionCall1(sector_out, SectorGetDatum(s)));
}

static char *
out_service(Service s)
{
	return DatumGetCString(DirectFunctionCall1(service_out, ServiceGetDatum(s)));
}

/* a text datum equal to a C string (texteq: byte equality under a deterministic collation) */
static bool
text_is(Datum t, const char *s)
{
	text	   *tx = DatumGetTextPP(t);
	size_t		len = strlen(s);

	return VARSIZE_ANY_EXHDR(tx) == len && memcmp(VARDATA_ANY(tx), s, len) == 0;
}

static bool
text_eq(Datum a, Datum b)
{
	text	   *x = DatumGetTextPP(a);
	text	   *y = DatumGetTextPP(b);

	return VARSIZE_ANY_EXHDR(x) == VARSIZE_ANY_EXHDR(y) &&
		memcmp(VARDATA_ANY(x), VARDATA_ANY(y), VARSIZE_ANY_EXHDR(x)) == 0;
}

/* quote_literal(t), or NULL as the text NULL, as COALESCE(quote_literal(t), 'NULL') */
static char *
literal_or_null(Datum t, bool isnull)
{
	return isnull ? "NULL" : quote_literal_cstr(TextDatumGetCString(t));
}

/* RAISE's text of a text value: NULL as <NULL> */
static char *
raise_text(Datum t, bool isnull)
{
	return isnull ? "<NULL>" : TextDatumGetCString(t);
}

/* ts AT TIME ZONE 'Asia/Tokyo': the local time there, by the tz database */
static Timestamp
tokyo_local(TimestampTz ts)
{
	static text *zone = NULL;

	if (zone == NULL)
		zone = (text *) MemoryContextAlloc(TopMemoryContext, VARHDRSZ + 10);
	SET_VARSIZE(zone, VARHDRSZ + 10);
	memcpy(VARDATA(zone), "Asia/Tokyo", 10);
	return DatumGetTimestamp(DirectFunctionCall2(timestamptz_zone, PointerGetDatum(zone),
												 TimestampTzGetDatum(ts)));
}

/* fiscal_year(ts) of src/sql/040_time.sql: the year in Tokyo, less one before April */
static int32
fiscal_year(TimestampTz ts)
{
	Timestamp	local = tokyo_local(ts);
	struct pg_tm tm;
	fsec_t		fsec;
	int			year;

	/* date_part('year', infinity) is infinity, which no integer holds */
	if (TIMESTAMP_NOT_FINITE(local))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("integer out of range")));
	if (timestamp2tm(local, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	/* date_part's year: there is no year 0, 1 BC is -1 */
	year = tm.tm_year > 0 ? tm.tm_year : tm.tm_year - 1;
	return year - (tm.tm_mon < 4 ? 1 : 0);
}

/* true while _report_restore() rebuilds a report (_report_restoring()) */
static bool
restoring(Relation rel)
{
	const char *flag = GetConfigOption("ceptoar.restoring", true, false);

	LOCAL_FCINFO(depth_fcinfo, 0);

	if (flag == NULL || strcmp(flag, "on") != 0)
		return false;
	InitFunctionCallInfoData(*depth_fcinfo, NULL, 0, InvalidOid, NULL, NULL);
	if (DatumGetInt32(pg_trigger_depth(depth_fcinfo)) <= 1)
		return false;
	return GetUserId() == rel->rd_rel->relowner;
}

PG_FUNCTION_INFO_V1(report_before);
/*
 * BEFORE INSERT OR UPDATE ON report FOR EACH ROW: checks a new revision and
 * sets what the registry decides (revision, level, the derived columns).
 */
Datum
report_before(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	TupleDesc	desc;
	HeapTuple	newtup;
	HeapTuple	oldtup = NULL;
	Datum	   *v;
	bool	   *n;
	bool	   *repl;
	Datum		o_id = 0,
				o_revoked = 0,
				o_revoked_reason = 0,
				o_status = 0,
				o_revision = 0;
	bool		o_revoked_null = true,
				o_revoked_reason_null = true;
	bool		op_found;
	Sector		op_sector = 0;
	Incident   *inc = NULL;
	HeapTuple	result;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(trigdata->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) || TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)))
		elog(ERROR, "_report_before must be called as a BEFORE INSERT OR UPDATE row trigger");

	rel = trigdata->tg_relation;
	desc = RelationGetDescr(rel);
	find_columns(rel);
	if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
	{
		oldtup = trigdata->tg_trigtuple;
		newtup = trigdata->tg_newtuple;
	}
	else
		newtup = trigdata->tg_trigtuple;

	v = palloc(sizeof(Datum) * desc->natts);
	n = palloc(sizeof(bool) * desc->natts);
	repl = palloc0(sizeof(bool) * desc->natts);
	heap_deform_tuple(newtup, desc, v, n);
#define V(c) v[layout.att[c]]
#define N(c) n[layout.att[c]]
#define SET(c, d) (V(c) = (d), N(c) = false, repl[layout.att[c]] = true)
#define SET_NULL(c) (V(c) = (Datum) 0, N(c) = true, repl[layout.att[c]] = true)
	if (oldtup)
	{
		bool		isnull;

		o_id = heap_getattr(oldtup, layout.att[C_ID] + 1, desc, &isnull);
		o_revoked = heap_getattr(oldtup, layout.att[C_REVOKED] + 1, desc, &o_revoked_null);
		o_revoked_reason = heap_getattr(oldtup, layout.att[C_REVOKED_REASON] + 1, desc,
										&o_revoked_reason_null);
		o_status = heap_getattr(oldtup, layout.att[C_STATUS] + 1, desc, &isnull);
		if (isnull)
			o_status = (Datum) 0;
		o_revision = heap_getattr(oldtup, layout.att[C_REVISION] + 1, desc, &isnull);
		if (isnull)
			o_revision = (Datum) 0;
	}
	if (!N(C_INCIDENT))
		inc = DatumGetIncidentP(V(C_INCIDENT));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	prepare_plans(fcinfo->flinfo->fn_oid);

	if (restoring(rel))
	{
		/*
		 * rebuilt from a restored revision: as it was, with the derived
		 * columns
		 */
		op_found = lookup_operator(V(C_OPERATOR), N(C_OPERATOR), &op_sector);
		SPI_finish();
	}
	else
	{
		Service		svc = 0;
		TimestampTz began = 0;
		const char *outcome;
		text	   *vset;

		if (oldtup)
		{
			const char *const *next = NULL;
			bool		allowed = false;
			bool		changed;

			if (!o_revoked_null)
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("report %s is revoked",
								DatumGetCString(DirectFunctionCall1(uuid_out, o_id))),
						 errdetail("It was revoked at %s: %s",
								   out_timestamptz(DatumGetTimestampTz(o_revoked)),
								   o_revoked_reason_null ? "" : TextDatumGetCString(o_revoked_reason)),
						 errhint("A revoked report stays as it is; file a new report.")));
			/* NEW.x <> OLD.x: true only if both are known and differ */
			{
				bool		oid_null,
							oop_null,
							orep_null;
				Datum		o_op = heap_getattr(oldtup, layout.att[C_OPERATOR] + 1, desc, &oop_null);
				Datum		o_rep = heap_getattr(oldtup, layout.att[C_REPORTED] + 1, desc, &orep_null);

				(void) heap_getattr(oldtup, layout.att[C_ID] + 1, desc, &oid_null);
				changed = (!N(C_ID) && !oid_null &&
						   memcmp(DatumGetUUIDP(V(C_ID)), DatumGetUUIDP(o_id), UUID_LEN) != 0) ||
					(!N(C_OPERATOR) && !oop_null && !text_eq(V(C_OPERATOR), o_op)) ||
					(!N(C_REPORTED) && !orep_null &&
					 DatumGetTimestampTz(V(C_REPORTED)) != DatumGetTimestampTz(o_rep));
			}
			if (changed)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the id, operator and reported time of a report cannot be changed"),
						 errhint("Revoke the report with ceptoar.revoke() and file a new one.")));
			if (o_status != (Datum) 0)
				for (int s = 0; s < NELEM(next_status); s++)
					if (text_is(o_status, next_status[s][0]))
						next = &next_status[s][1];
			if (!N(C_STATUS) && next != NULL)
				for (int k = 0; k < 5 && next[k]; k++)
					if (text_is(V(C_STATUS), next[k]))
						allowed = true;

			/*
			 * NEW.status IS NULL OR NOT NEW.status = ANY (next): NULL when
			 * next is
			 */
			if (N(C_STATUS) || (next != NULL && !allowed))
			{
				StringInfoData hint;

				initStringInfo(&hint);
				if (next != NULL)
					for (int k = 0; k < 5 && next[k]; k++)
						appendStringInfo(&hint, "%s%s", k ? ", " : "", next[k]);
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a report cannot go from status %s to %s",
								raise_text(o_status, o_status == (Datum) 0),
								raise_text(V(C_STATUS), N(C_STATUS))),
						 errhint("From %s it may go to: %s.",
								 o_status == (Datum) 0 ? "" : TextDatumGetCString(o_status),
								 hint.data)));
			}
			{
				int32		rev;

				if (pg_add_s32_overflow(DatumGetInt32(o_revision), 1, &rev))
					ereport(ERROR,
							(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
							 errmsg("integer out of range")));
				SET(C_REVISION, Int32GetDatum(rev));
			}
			if (!N(C_REVOKED) || !N(C_REVOKED_REASON))
			{
				bool		blank = true;

				if (!N(C_REVOKED_REASON))
				{
					text	   *r = DatumGetTextPP(V(C_REVOKED_REASON));
					const char *p = VARDATA_ANY(r);

					for (int i = 0; i < (int) VARSIZE_ANY_EXHDR(r); i++)
						if (p[i] != ' ')
							blank = false;
				}
				if (blank)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("revoking a report needs a reason"),
							 errhint("Set revoked_reason, or call ceptoar.revoke(report, reason).")));
				/* a tombstone is dated by the registry */
				SET(C_REVOKED, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
			}
		}
		else
		{
			if (N(C_KIND) || !(text_is(V(C_KIND), "incident") || text_is(V(C_KIND), "near_miss") ||
							   text_is(V(C_KIND), "threat")))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("invalid report kind %s", literal_or_null(V(C_KIND), N(C_KIND))),
						 errhint("A report is an incident, a near_miss or a threat.")));
			if (!N(C_STATUS) && !text_is(V(C_STATUS), "reported"))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a new report starts with status reported, not %s",
								TextDatumGetCString(V(C_STATUS)))));
			if (!N(C_REVOKED) || !N(C_REVOKED_REASON))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a new report cannot be revoked"),
						 errhint("Revoke it afterwards with ceptoar.revoke().")));
			SET(C_REVISION, Int32GetDatum(1));
		}

		if (!N(C_KIND) && text_is(V(C_KIND), "incident") && inc == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("an incident report needs the incident's facts"),
					 errhint("Set incident, e.g. 'service=electricity.supply, began=2024-05-01 10:00+09'; a report without facts is a near_miss or a threat.")));
		op_found = lookup_operator(V(C_OPERATOR), N(C_OPERATOR), &op_sector);
		if (!op_found)
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("unknown operator %s", literal_or_null(V(C_OPERATOR), N(C_OPERATOR))),
					 errhint("Operators are codes of ceptoar.operator.")));
		if (inc)
		{
			svc = inc->service;
			began = inc->began;
			if (CR_SERVICE_SECTOR(svc) != op_sector)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("operator %s is in sector %s, the incident's service %s is not",
								TextDatumGetCString(V(C_OPERATOR)), out_sector(op_sector),
								out_service(svc)),
						 errhint("An operator reports failures of its own sector's services.")));
			if (!N(C_DETECTED) && DatumGetTimestampTz(V(C_DETECTED)) < began)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("the failure was detected (%s) before it began (%s)",
								out_timestamptz(DatumGetTimestampTz(V(C_DETECTED))),
								out_timestamptz(began))));
			if (!N(C_STATUS) && text_is(V(C_STATUS), "closed") && !(inc->known & CR_KNOWN_LASTED))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("a report is closed only once the incident's duration is known"),
						 errhint("Revise the incident with how long it lasted, then close the report.")));
		}
		if (!N(C_DETECTED) && !N(C_REPORTED) &&
			DatumGetTimestampTz(V(C_REPORTED)) < DatumGetTimestampTz(V(C_DETECTED)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the failure was reported (%s) before it was detected (%s)",
							out_timestamptz(DatumGetTimestampTz(V(C_REPORTED))),
							out_timestamptz(DatumGetTimestampTz(V(C_DETECTED))))));
		if (!N(C_INSTANCE))
		{
			/* (an unknown instance is left to the foreign key) */
			char		nulls = ' ';
			Datum		id = V(C_INSTANCE);
			int			ret = SPI_execute_plan(instance_plan, &id, &nulls, false, 0);

			if (ret != SPI_OK_SELECT)
				elog(ERROR, "looking up the service instance failed: %s",
					 SPI_result_code_string(ret));
			if (SPI_processed > 0)
			{
				HeapTuple	t = SPI_tuptable->vals[0];
				TupleDesc	td = SPI_tuptable->tupdesc;
				bool		svc_null,
							op_null;
				Datum		inst_svc = SPI_getbinval(t, td, 1, &svc_null);
				Datum		inst_op = SPI_getbinval(t, td, 2, &op_null);

				if (!op_null && !text_eq(inst_op, V(C_OPERATOR)))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("service instance " INT64_FORMAT " is operated by %s, not by the reporting operator %s",
									DatumGetInt64(id), TextDatumGetCString(inst_op),
									TextDatumGetCString(V(C_OPERATOR))),
							 errhint("Give an instance of the reporting operator.")));
				if (inc && !svc_null &&
					!(cr_service_contains(svc, DatumGetService(inst_svc)) ||
					  cr_service_contains(DatumGetService(inst_svc), svc)))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("service instance " INT64_FORMAT " delivers %s, not the incident's service %s",
									DatumGetInt64(id), out_service(DatumGetService(inst_svc)),
									out_service(svc)),
							 errhint("Give the instance where the incident happened.")));
			}
		}
		SPI_finish();

		/* the verification level of the plan in force when it began */
		SET_NULL(C_LEVEL);
		SET_NULL(C_LEVEL_RULE_SET);
		if (!N(C_KIND) && text_is(V(C_KIND), "incident"))
		{
			bool		found;

			/* as PL/pgSQL evaluated the expression: a new snapshot */
			CommandCounterIncrement();
			PushActiveSnapshot(GetTransactionSnapshot());
			found = cr_verification_level(fcinfo->flinfo->fn_oid, inc, &outcome, &vset);
			PopActiveSnapshot();
			if (found)
			{
				SET(C_LEVEL, CStringGetTextDatum(outcome));
				SET(C_LEVEL_RULE_SET, PointerGetDatum(vset));
			}
		}

		{
			Name		who = (Name) palloc0(NAMEDATALEN);

			namestrcpy(who, GetUserNameFromId(GetUserId(), false));
			SET(C_CHANGED_BY, NameGetDatum(who));
		}
	}

	/* the derived columns, of a new revision and a restored one alike */
	if (op_found)
		SET(C_SECTOR_CODE, CStringGetTextDatum(out_sector(op_sector)));
	else
		SET_NULL(C_SECTOR_CODE);
	{
		const char *ministry = NULL;

		if (op_found && !N(C_REPORTED))
		{
			DateADT		day = DatumGetDateADT(DirectFunctionCall1(timestamp_date,
																  TimestampGetDatum(tokyo_local(DatumGetTimestampTz(V(C_REPORTED))))));

			ministry = cr_ministry(op_sector, day);
		}
		if (ministry)
			SET(C_MINISTRY_CODE, CStringGetTextDatum(ministry));
		else
			SET_NULL(C_MINISTRY_CODE);
	}
	if (!N(C_TLP))
	{
		Tlp			t = DatumGetTlp(V(C_TLP));

		(void) cr_tlp_label(t); /* validates, as tlp_rank() */
		SET(C_TLP_RANK, Int16GetDatum((int16) t));
	}
	else
		SET_NULL(C_TLP_RANK);
	SET(C_IS_EXERCISE, BoolGetDatum(!N(C_EXERCISE)));
	SET(C_IS_REVOKED, BoolGetDatum(!N(C_REVOKED)));
	if (inc)
	{
		SET(C_BEGAN, TimestampTzGetDatum(inc->began));
		if (inc->known & CR_KNOWN_LASTED)
		{
			Interval   *iv = palloc0(sizeof(Interval));

			iv->time = inc->lasted;
			SET(C_LASTED, IntervalPGetDatum(iv));
		}
		else
			SET_NULL(C_LASTED);
		SET(C_CAUSE, CStringGetTextDatum(cr_cause_names[inc->cause]));
		if ((inc->known & CR_KNOWN_LASTED) && (inc->known & (1 << CR_M_USERS)))
			SET(C_USER_HOURS, Float8GetDatum((double) inc->measure[CR_M_USERS] *
											 ((double) inc->lasted / USECS_PER_HOUR)));
		else
			SET_NULL(C_USER_HOURS);
		SET(C_FISCAL_YEAR, Int32GetDatum(fiscal_year(inc->began)));
	}
	else
	{
		SET_NULL(C_BEGAN);
		SET_NULL(C_LASTED);
		SET_NULL(C_CAUSE);
		SET_NULL(C_USER_HOURS);
		if (!N(C_REPORTED))
			SET(C_FISCAL_YEAR, Int32GetDatum(fiscal_year(DatumGetTimestampTz(V(C_REPORTED)))));
		else
			SET_NULL(C_FISCAL_YEAR);
	}

	result = heap_modify_tuple(newtup, desc, v, n, repl);
	return PointerGetDatum(result);
}
