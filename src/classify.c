/*
 * classify.c
 *		Classification of incidents against rule sets (verification levels,
 *		legal reporting thresholds, operators' service levels).
 *
 * The rules live in the tables ceptoar.rule_set and ceptoar.rule.  Each
 * backend keeps them parsed in a cache (CacheMemoryContext), read once with
 * SPI.  A statement trigger on both tables (cache.c) queues a relcache
 * invalidation of the changed table; PostgreSQL delivers it to this backend at
 * the next command and to every other backend when the change commits, and
 * our relcache callback then marks the cache stale.  So a committed change is
 * seen by the next query in every session, and nothing stale survives an
 * aborted transaction (the invalidation is replayed locally on abort).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"

typedef struct CachedRule
{
	Service		service;
	Criterion  *criterion;
	char	   *clause_ja;
	char	   *clause_en;
} CachedRule;

typedef struct CachedSet
{
	char	   *code;
	int			codelen;
	bool		has_from;
	bool		has_to;
	DateADT		valid_from;
	DateADT		valid_to;		/* exclusive */
	int			nrules;
	CachedRule *rules;			/* sorted by service */
	CachedRule **nearest;		/* by catalogue position: the rule that applies */
	TimestampTz from_ts;		/* valid_from and valid_to as instants (Japan midnight) */
	TimestampTz to_ts;
} CachedSet;

static MemoryContext rules_cxt = NULL;
static CachedSet *sets = NULL;
static int	nsets = 0;
static bool cache_valid = false;
static uint64 cache_generation = 0;
static Oid	rule_relid = InvalidOid;
static Oid	rule_set_relid = InvalidOid;
static bool callback_registered = false;

/* per call site: the rule set last asked for */
typedef struct SetLookup
{
	uint64		generation;
	bool		stable;			/* the argument is a constant or a parameter */
	int			set;
	int			codelen;
	char		code[NAMEDATALEN * 2];
} SetLookup;

#define JST_USEC ((int64) 9 * USECS_PER_HOUR)

static CachedRule *find_rule(CachedSet *set, Service s);

static void
rules_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == rule_relid || relid == rule_set_relid)
	{
		cache_valid = false;
		/* the tables may have been dropped and made again: look them up anew */
		if (relid == InvalidOid)
			rule_relid = rule_set_relid = InvalidOid;
	}
}

static int
rule_cmp(const void *a, const void *b)
{
	Service		x = ((const CachedRule *) a)->service;
	Service		y = ((const CachedRule *) b)->service;

	return (x > y) - (x < y);
}

static char *
copy_text_or_null(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/* (Re)load every rule set and rule of the extension's schema "nsp". */
static void
load_rules(Oid nsp)
{
	const char *nspname = get_namespace_name(nsp);
	MemoryContext newcxt,
				oldcxt;
	StringInfoData q;
	int			ret;

	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(rules_relcache_callback, (Datum) 0);
		callback_registered = true;
	}
	rule_relid = get_relname_relid("rule", nsp);
	rule_set_relid = get_relname_relid("rule_set", nsp);

	/* marked valid first: an invalidation during the load marks it stale again */
	cache_valid = true;
	cache_generation++;

	newcxt = AllocSetContextCreate(CacheMemoryContext, "ceptoar rules",
								   ALLOCSET_SMALL_SIZES);
	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT s.code, s.valid_from, s.valid_to, r.service, r.criterion, "
					 "r.clause_ja, r.clause_en "
					 "FROM %s.rule_set s LEFT JOIN %s.rule r ON r.rule_set OPERATOR(pg_catalog.=) s.code "
					 "ORDER BY s.code",
					 quote_identifier(nspname), quote_identifier(nspname));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PG_TRY();
	{
		CachedSet  *newsets;
		int			nnew = 0;
		SPIPlanPtr	plan;

		/* the latest rules, not this transaction's snapshot (see impact.c) */
		plan = SPI_prepare(q.data, 0, NULL);
		if (plan == NULL)
			elog(ERROR, "preparing the ceptoar rules query failed");
		ret = SPI_execute_snapshot(plan, NULL, NULL, GetLatestSnapshot(),
								   InvalidSnapshot, true, false, 0);
		if (ret != SPI_OK_SELECT)
			elog(ERROR, "reading the ceptoar rules failed: %d", ret);

		oldcxt = MemoryContextSwitchTo(newcxt);
		newsets = palloc0(sizeof(CachedSet) * Max(SPI_processed, 1));
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	desc = SPI_tuptable->tupdesc;
			char	   *code = copy_text_or_null(tup, desc, 1);
			CachedSet  *s;
			bool		isnull;
			Datum		d;

			if (nnew == 0 || strcmp(newsets[nnew - 1].code, code) != 0)
			{
				s = &newsets[nnew++];
				s->code = code;
				s->codelen = strlen(code);
				d = SPI_getbinval(tup, desc, 2, &isnull);
				s->has_from = !isnull;
				s->valid_from = isnull ? 0 : DatumGetDateADT(d);
				d = SPI_getbinval(tup, desc, 3, &isnull);
				s->has_to = !isnull;
				s->valid_to = isnull ? 0 : DatumGetDateADT(d);
				s->rules = palloc0(sizeof(CachedRule) * (SPI_processed - i));
			}
			s = &newsets[nnew - 1];
			d = SPI_getbinval(tup, desc, 4, &isnull);
			if (isnull)
				continue;		/* a rule set without rules */
			s->rules[s->nrules].service = DatumGetService(d);
			d = SPI_getbinval(tup, desc, 5, &isnull);
			{
				Criterion  *c = DatumGetCriterionP(d);
				Criterion  *copy = palloc(VARSIZE(c));

				memcpy(copy, c, VARSIZE(c));
				s->rules[s->nrules].criterion = copy;
			}
			s->rules[s->nrules].clause_ja = copy_text_or_null(tup, desc, 6);
			s->rules[s->nrules].clause_en = copy_text_or_null(tup, desc, 7);
			s->nrules++;
		}
		for (int k = 0; k < nnew; k++)
		{
			CachedSet  *cs = &newsets[k];

			qsort(cs->rules, cs->nrules, sizeof(CachedRule), rule_cmp);
			cs->nearest = palloc(sizeof(CachedRule *) * CR_NCATALOGUE);
			for (int p = 0; p < CR_NCATALOGUE; p++)
				cs->nearest[p] = find_rule(cs, cr_service_at(p));
			cs->from_ts = cs->has_from ?
				(TimestampTz) cs->valid_from * USECS_PER_DAY - JST_USEC : PG_INT64_MIN;
			cs->to_ts = cs->has_to ?
				(TimestampTz) cs->valid_to * USECS_PER_DAY - JST_USEC : PG_INT64_MAX;
		}
		MemoryContextSwitchTo(oldcxt);

		if (rules_cxt)
			MemoryContextDelete(rules_cxt);
		rules_cxt = newcxt;
		sets = newsets;
		nsets = nnew;
	}
	PG_CATCH();
	{
		cache_valid = false;
		MemoryContextDelete(newcxt);
		PG_RE_THROW();
	}
	PG_END_TRY();
	SPI_finish();
}

/* the rule set named by the text argument, through the call site's memo */
static CachedSet *
lookup_set(FunctionCallInfo fcinfo, text *code)
{
	SetLookup  *memo = (SetLookup *) fcinfo->flinfo->fn_extra;
	const char *s = VARDATA_ANY(code);
	int			len = VARSIZE_ANY_EXHDR(code);

	if (!cache_valid || rule_relid == InvalidOid)
		load_rules(get_func_namespace(fcinfo->flinfo->fn_oid));

	/* a constant rule set (the usual case): resolved once per query */
	if (memo && memo->generation == cache_generation && memo->set >= 0 &&
		(memo->stable || (memo->codelen == len && memcmp(memo->code, s, len) == 0)))
		return &sets[memo->set];

	if (memo == NULL)
	{
		memo = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SetLookup));
		memo->stable = get_fn_expr_arg_stable(fcinfo->flinfo, 1);
	}
	memo->generation = cache_generation;
	memo->set = -1;
	memo->codelen = -1;
	for (int i = 0; i < nsets; i++)
		if (sets[i].codelen == len && memcmp(sets[i].code, s, len) == 0)
			memo->set = i;
	if (len < (int) sizeof(memo->code))
	{
		memcpy(memo->code, s, len);
		memo->codelen = len;
	}
	if (memo->set < 0)
	{
		const char **codes = palloc(sizeof(char *) * Max(nsets, 1));

		for (int i = 0; i < nsets; i++)
			codes[i] = sets[i].code;
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rule set \"%.*s\"", len, s),
				 errhint("Rule sets are: %s.", cr_join(codes, nsets))));
	}
	return &sets[memo->set];
}

/* the rule for s, or for its nearest ancestor that has one */
static CachedRule *
find_rule(CachedSet *set, Service s)
{
	for (;;)
	{
		int			lo = 0,
					hi = set->nrules - 1;

		while (lo <= hi)
		{
			int			mid = (lo + hi) / 2;

			if (set->rules[mid].service == s)
				return &set->rules[mid];
			if (set->rules[mid].service < s)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		if (cr_service_depth(s) == 1)
			return NULL;
		s = cr_service_parent(s);
	}
}

/* the day (in Japan) an incident began */
static DateADT
began_day(const Incident *inc)
{
	int64		t = inc->began + (int64) 9 * USECS_PER_HOUR;
	int64		days = t / USECS_PER_DAY;

	if (t < 0 && t % USECS_PER_DAY != 0)
		days--;
	return (DateADT) days;
}

static bool
set_applies(const CachedSet *set, DateADT day)
{
	return (!set->has_from || day >= set->valid_from) &&
		(!set->has_to || day < set->valid_to);
}

PG_FUNCTION_INFO_V1(incident_exceeds);
/* exceeds(incident, rule_set): true, false, or NULL when undetermined or no rule */
Datum
incident_exceeds(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	CachedSet  *set = lookup_set(fcinfo, PG_GETARG_TEXT_PP(1));
	CachedRule *rule;
	CrTri		r;

	int			pos;

	if (inc->began < set->from_ts || inc->began >= set->to_ts)
		PG_RETURN_NULL();
	pos = cr_service_pos(inc->service);
	rule = pos >= 0 ? set->nearest[pos] : find_rule(set, inc->service);
	if (rule == NULL)
		PG_RETURN_NULL();
	r = cr_evaluate(rule->criterion, inc);
	if (r == CR_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(r == CR_TRUE);
}

static char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

PG_FUNCTION_INFO_V1(incident_classify);
/* classify(incident, rule_set) -> verdict */
Datum
incident_classify(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	text	   *code = PG_GETARG_TEXT_PP(1);
	CachedSet  *set = lookup_set(fcinfo, code);
	CachedRule *rule = NULL;
	TupleDesc	desc;
	Datum		v[6];
	bool		n[6] = {false, false, true, true, true, false};
	const char *outcome;
	StringInfoData expl;
	DateADT		day = began_day(inc);
	const char *svc = cr_service_info(inc->service)->code;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "classify must return a composite type");
	desc = BlessTupleDesc(desc);
	initStringInfo(&expl);

	if (!set_applies(set, day))
	{
		outcome = "no_rule";
		appendStringInfo(&expl, "rule set %s applies", set->code);
		if (set->has_from)
			appendStringInfo(&expl, " from %s", date_text(set->valid_from));
		if (set->has_to)
			appendStringInfo(&expl, " until %s (exclusive)", date_text(set->valid_to));
		appendStringInfo(&expl, "; the incident began on %s (Japan time)", date_text(day));
	}
	else if ((rule = find_rule(set, inc->service)) == NULL)
	{
		outcome = "no_rule";
		appendStringInfo(&expl, "rule set %s has no rule for %s or a service above it",
						 set->code, svc);
	}
	else
	{
		CrTri		r = cr_evaluate(rule->criterion, inc);
		const char *rs = cr_service_info(rule->service)->code;

		outcome = (r == CR_TRUE) ? "exceeds" : (r == CR_FALSE) ? "within" : "undetermined";
		appendStringInfo(&expl, "%s: %s; level: %s", outcome,
						 cr_incident_facts(rule->criterion, inc),
						 cr_criterion_describe(rule->criterion));
		if (rule->service != inc->service)
			appendStringInfo(&expl, " (rule for %s)", rs);
		v[2] = ServiceGetDatum(rule->service);
		n[2] = false;
		if (rule->clause_ja || rule->clause_en)
		{
			v[3] = CStringGetTextDatum(rule->clause_ja ? rule->clause_ja : rule->clause_en);
			n[3] = false;
		}
		v[4] = PointerGetDatum(rule->criterion);
		n[4] = false;
	}
	v[0] = CStringGetTextDatum(outcome);
	v[1] = CStringGetTextDatum(set->code);
	v[5] = CStringGetTextDatum(expl.data);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, v, n)));
}
