/*
 * classify.c
 *		Classification of incidents against rule sets (verification levels,
 *		legal reporting thresholds, operators' service levels).
 *
 * The rules live in the tables ceptoar.rule_set and ceptoar.rule.  Each
 * backend keeps them parsed in a cache (CacheMemoryContext), and the cache
 * answers exactly as the calling statement's own queries would: it follows
 * the statement's snapshot (GetActiveSnapshot()), not the latest one.
 *
 * - The cache is tagged with the versions of rule_set and rule it was built
 *   from (cr_table_version: a hash of the visible row versions, read by a
 *   heap scan of each small table under the snapshot).
 * - Once per snapshot, not per row (cr_snapshot_key_same), the versions are
 *   read again under the statement's snapshot; the cache is rebuilt, with
 *   SPI under that same snapshot, only when they differ.
 * So a READ COMMITTED statement sees what other sessions committed before it
 * began, REPEATABLE READ keeps its transaction's rules, a cursor keeps the
 * rules of its own snapshot, this transaction's own uncommitted changes are
 * seen (new row versions) and a rollback brings the old versions, hence the
 * old version hash, back.  (The snapshot key counts aborted subtransactions,
 * whose rows vanish without a new command id: see snapshot_key.c.)
 *
 * The cache is built, swapped and guarded as every cache of the extension
 * is (cache.c): rebuilt in a new context and swapped in only when complete,
 * and every call checks, through a memo per user, that the current user may
 * read both tables, exactly as a plain query would be refused.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_type.h"
#include "common/int.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"

#include "ceptoar_registry.h"

typedef struct CachedRule
{
	Service		service;
	Criterion  *criterion;
	CrCompiled	compiled;		/* the criterion, for once a row */
	char	   *clause_ja;
	char	   *clause_en;
	/* what classify() returns for this rule, made once with the cache */
	text	   *clause;			/* clause_ja, else clause_en; NULL if neither */
	char	   *level;			/* "; level: <criterion described>" */
	int			level_len;
	char	   *level_above;	/* the same + " (rule for <service>)" */
	int			level_above_len;
} CachedRule;

/*
 * The first instant of a day in Japan, so that "the day an incident began is
 * at least d" is one comparison of its instant, without the division
 * cr_japan_day() makes: cr_japan_day(t) >= d exactly when t >= d * USECS_PER_DAY
 * - CR_JST_OFFSET_USEC (cr_japan_day(t) is floor((t + offset) / day)).  When
 * that instant is outside the int64 range every t is after it (BOUND_BELOW)
 * or before it (BOUND_ABOVE).
 */
typedef enum
{
	BOUND_AT,
	BOUND_BELOW,
	BOUND_ABOVE
} TimeBoundKind;

typedef struct TimeBound
{
	TimeBoundKind kind;
	TimestampTz t;
} TimeBound;

static TimeBound
day_start(DateADT d)
{
	TimeBound	b = {BOUND_AT, 0};
	int64		x;

	if (pg_mul_s64_overflow((int64) d, USECS_PER_DAY, &x))
		b.kind = d < 0 ? BOUND_BELOW : BOUND_ABOVE;
	else if (pg_sub_s64_overflow(x, CR_JST_OFFSET_USEC, &b.t))
		b.kind = BOUND_BELOW;
	return b;
}

/* t is at or after the bound: cr_japan_day(t) >= the bound's day */
static inline bool
at_or_after(TimestampTz t, TimeBound b)
{
	return b.kind == BOUND_BELOW || (b.kind == BOUND_AT && t >= b.t);
}

typedef struct CachedSet
{
	char	   *code;
	int			codelen;
	text	   *code_text;		/* code as a text, for classify() */
	bool		verification;	/* of kind verification_level */
	bool		has_from;
	bool		has_to;
	DateADT		valid_from;		/* may be -infinity or beyond any timestamp */
	DateADT		valid_to;		/* exclusive; may be infinity */
	/* the same as instants: an incident's began against them (began_from) */
	TimeBound	from;			/* the first instant of valid_from in Japan */
	TimeBound	to;				/* the first instant of valid_to in Japan */
	int			nrules;
	CachedRule *rules;			/* sorted by service */
	CachedRule **nearest;		/* by catalogue position: the rule that
								 * applies */
	char	  **no_rule;		/* by catalogue position, where nearest is
								 * NULL: classify()'s explanation */
	int		   *no_rule_len;
} CachedSet;

/* the cache (cache.c): complete or absent, never half-built */
static CrCache rules_cache = {
	.ntables = 2,
	.nchecked = 2,
	.tables = {"rule_set", "rule"},
	.shared_detail = "The rules are cached once for every role of a session.",
};
static CachedSet *sets = NULL;
static int	nsets = 0;
static uint64 built_rule_set_version;	/* the versions the cache was built
										 * from */
static uint64 built_rule_version;

/*
 * Per call site: the rule set last asked for, resolved against the cache of
 * one generation.  The code is compared on every call unless the call's
 * expression gives it as a Const: even a Param is not the same from call to
 * call (PL/pgSQL evaluates a simple expression with one state while its
 * variables change).
 */
typedef struct SetLookup
{
	uint64		generation;
	int			set;
	bool		code_const;		/* the code is a constant of the call */
	int			codelen;		/* -1: code too long to keep */
	char		code[NAMEDATALEN * 2];
	/* classify() only: its result type, and the verdicts' fixed parts */
	TupleDesc	verdict;		/* blessed once */
	MemoryContext verdict_cxt;	/* the templates', below the call site's */
	bool		templates_usable;	/* the explanation last, a packable text */
	uint64		tmpl_generation;	/* templates made from this cache ... */
	int			tmpl_set;		/* ... for this rule set */
	int			ntmpl;
	struct VerdictTemplate *tmpl;	/* 3 outcomes a rule, then no_rule */
} SetLookup;

static CachedRule *find_rule(CachedSet *set, Service s);

static int
rule_cmp(const void *a, const void *b)
{
	Service		x = ((const CachedRule *) a)->service;
	Service		y = ((const CachedRule *) b)->service;

	return (x > y) - (x < y);
}

/*
 * The parts of classify()'s verdict that depend on the rule alone, made once
 * when the cache is built (in its context) rather than for every row: the
 * clause as a text, and the end of the explanation, "; level: ..." and the
 * same with " (rule for <service>)" for a service that inherits the rule.
 * The description depends on no setting (cr_criterion_describe), so it is
 * the same for every call while the cache stands.
 */
static void
prepare_verdict_parts(CachedRule *rule)
{
	StringInfoData b;

	rule->clause = (rule->clause_ja || rule->clause_en) ?
		cstring_to_text(rule->clause_ja ? rule->clause_ja : rule->clause_en) : NULL;
	initStringInfo(&b);
	appendStringInfoString(&b, "; level: ");
	appendStringInfoString(&b, cr_criterion_describe(rule->criterion));
	rule->level = pstrdup(b.data);
	rule->level_len = b.len;
	appendStringInfoString(&b, " (rule for ");
	appendStringInfoString(&b, cr_service_info(rule->service)->code);
	appendStringInfoChar(&b, ')');
	rule->level_above = b.data;
	rule->level_above_len = b.len;
}

static char *
copy_text_or_null(HeapTuple tup, TupleDesc desc, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tup, desc, col, &isnull);

	return isnull ? NULL : TextDatumGetCString(d);
}

/*
 * The rule sets and rules of schema nsp as snap sees them, in a new context
 * that replaces the cache only once complete.
 */
static void
load_rules(Oid nsp, Snapshot snap, uint64 rule_set_version, uint64 rule_version)
{
	const char *nspname = get_namespace_name(nsp);
	MemoryContext newcxt,
				oldcxt;
	StringInfoData q;
	CachedSet  *newsets;
	int			nnew = 0;
	SPIPlanPtr	plan;
	int			ret;

	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT s.code, s.valid_from, s.valid_to, r.service, r.criterion, "
					 "r.clause_ja, r.clause_en, s.kind OPERATOR(pg_catalog.=) 'verification_level' "
					 "FROM %s.rule_set s LEFT JOIN %s.rule r ON r.rule_set OPERATOR(pg_catalog.=) s.code "
					 "ORDER BY s.code",
					 quote_identifier(nspname), quote_identifier(nspname));

	newcxt = cr_cache_build_context("ceptoar rules");
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* the statement's snapshot, read-only: what the statement's queries see */
	plan = SPI_prepare(q.data, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "preparing the ceptoar rules query failed: %s",
			 SPI_result_code_string(SPI_result));
	ret = SPI_execute_snapshot(plan, NULL, NULL, snap, InvalidSnapshot,
							   true, false, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "reading the ceptoar rules failed: %s",
			 SPI_result_code_string(ret));

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
			d = SPI_getbinval(tup, desc, 8, &isnull);
			s->verification = !isnull && DatumGetBool(d);
			s->from = day_start(s->valid_from);
			s->to = day_start(s->valid_to);
			s->rules = palloc0(sizeof(CachedRule) * (SPI_processed - i));
		}
		s = &newsets[nnew - 1];
		d = SPI_getbinval(tup, desc, 4, &isnull);
		if (isnull)
			continue;			/* a rule set without rules */
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
		cs->code_text = cstring_to_text_with_len(cs->code, cs->codelen);
		for (int r = 0; r < cs->nrules; r++)
		{
			cr_criterion_compile(cs->rules[r].criterion, &cs->rules[r].compiled);
			prepare_verdict_parts(&cs->rules[r]);
		}
		cs->nearest = palloc(sizeof(CachedRule *) * CR_NCATALOGUE);
		cs->no_rule = palloc0(sizeof(char *) * CR_NCATALOGUE);
		cs->no_rule_len = palloc0(sizeof(int) * CR_NCATALOGUE);
		for (int p = 0; p < CR_NCATALOGUE; p++)
		{
			cs->nearest[p] = find_rule(cs, cr_service_at(p));
			if (cs->nearest[p] == NULL)
			{
				cs->no_rule[p] = psprintf("rule set %s has no rule for %s or a service above it",
										  cs->code, cr_service_info(cr_service_at(p))->code);
				cs->no_rule_len[p] = strlen(cs->no_rule[p]);
			}
		}
	}
	MemoryContextSwitchTo(oldcxt);
	SPI_finish();

	cr_cache_swap(&rules_cache, newcxt);
	sets = newsets;
	nsets = nnew;
	built_rule_set_version = rule_set_version;
	built_rule_version = rule_version;
}

/*
 * Makes the cache answer for this call: the current user may read the
 * rules, and the cache holds what the statement's snapshot sees.
 */
static void
ensure_rules(Oid fn, const char *fname)
{
	Snapshot	snap = ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot();
	Relation	rs_rel,
				r_rel;
	uint64		rs_version,
				r_version;

	if (cr_cache_still_right(&rules_cache, fn, snap, fname))
		return;

	/* locked as a query would, until the end of the transaction */
	rs_rel = table_open(rules_cache.relids[0], AccessShareLock);
	r_rel = table_open(rules_cache.relids[1], AccessShareLock);
	rs_version = cr_table_version(rs_rel, snap);
	r_version = cr_table_version(r_rel, snap);
	table_close(r_rel, NoLock);
	table_close(rs_rel, NoLock);

	if (rules_cache.cxt == NULL || rs_version != built_rule_set_version ||
		r_version != built_rule_version)
		load_rules(get_func_namespace(fn), snap, rs_version, r_version);
	cr_cache_right_for_snapshot(&rules_cache);
}

/*
 * Whether the call's expression gives the rule set as a Const: then every
 * call of this FmgrInfo has the same code (its value is the Const's), and the
 * set it names is resolved once per cache generation, not compared per row.
 */
static bool
code_is_const(FmgrInfo *flinfo)
{
	Node	   *expr = flinfo->fn_expr;
	List	   *args;

	if (expr == NULL || !IsA(expr, FuncExpr))
		return false;
	args = ((FuncExpr *) expr)->args;
	return list_length(args) == 2 && IsA(lsecond(args), Const) &&
		!castNode(Const, lsecond(args))->constisnull;
}

/* the rule set named by the text argument, through the call site's memo */
static CachedSet *
lookup_set(FunctionCallInfo fcinfo, text *code, const char *fname)
{
	SetLookup  *memo = (SetLookup *) fcinfo->flinfo->fn_extra;
	const char *s = VARDATA_ANY(code);
	int			len = VARSIZE_ANY_EXHDR(code);

	ensure_rules(fcinfo->flinfo->fn_oid, fname);

	/* the same rule set as the last call here, in the same cache */
	if (memo && memo->generation == rules_cache.generation && memo->set >= 0 &&
		memo->codelen == len && memcmp(memo->code, s, len) == 0)
		return &sets[memo->set];

	if (memo == NULL)
	{
		memo = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(SetLookup));
		memo->code_const = code_is_const(fcinfo->flinfo);
	}
	memo->generation = rules_cache.generation;
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

/*
 * The rule set of this call, as lookup_set gives it, told without a call
 * where nothing changed since the last row: the same cache, found right for
 * the same snapshot (cr_snapshot_key_quick) and for the same user, and the
 * same code (a Const, or the same bytes).  Else lookup_set.
 */
static pg_attribute_always_inline CachedSet *
current_set(FunctionCallInfo fcinfo, const char *fname)
{
	SetLookup  *memo = (SetLookup *) fcinfo->flinfo->fn_extra;

	if (likely(memo != NULL && memo->set >= 0 &&
			   memo->generation == rules_cache.generation &&
			   rules_cache.cxt != NULL && ActiveSnapshotSet() &&
			   cr_snapshot_key_quick(&rules_cache.key, GetActiveSnapshot(), MyProc->lxid) &&
			   rules_cache.priv_user == GetUserId()))
	{
		text	   *code;

		if (memo->code_const)
			return &sets[memo->set];
		code = PG_GETARG_TEXT_PP(1);
		if (memo->codelen == (int) VARSIZE_ANY_EXHDR(code) &&
			memcmp(memo->code, VARDATA_ANY(code), memo->codelen) == 0)
			return &sets[memo->set];
	}
	return lookup_set(fcinfo, PG_GETARG_TEXT_PP(1), fname);
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

/*
 * The day (in Japan) an incident began, for any instant without overflow.
 * Validity is decided by the day, in classify() and exceeds() alike, so
 * that every date (infinity, or beyond the timestamp range) compares right.
 */
static DateADT
began_day(const Incident *inc)
{
	return cr_japan_day(inc->began);
}

static bool
set_applies(const CachedSet *set, DateADT day)
{
	return (!set->has_from || day >= set->valid_from) &&
		(!set->has_to || day < set->valid_to);
}

/* set_applies(set, began_day(inc)), without computing the day */
static inline bool
set_applies_to(const CachedSet *set, const Incident *inc)
{
	return (!set->has_from || at_or_after(inc->began, set->from)) &&
		(!set->has_to || !at_or_after(inc->began, set->to));
}

/* the rule that applies to s in set (its nearest), or NULL */
static inline CachedRule *
rule_for(CachedSet *set, Service s)
{
	int			pos = cr_service_pos_quick(s);

	return pos >= 0 ? set->nearest[pos] : find_rule(set, s);
}

PG_FUNCTION_INFO_V1(incident_exceeds);
/* exceeds(incident, rule_set): true, false, or NULL when undetermined or no rule */
Datum
incident_exceeds(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	CachedSet  *set = current_set(fcinfo, "exceeds");
	CachedRule *rule;
	CrTri		r;

	if (!set_applies_to(set, inc))
		PG_RETURN_NULL();
	rule = rule_for(set, inc->service);
	if (rule == NULL)
		PG_RETURN_NULL();
	r = cr_compiled_evaluate(&rule->compiled, inc);
	if (r == CR_UNKNOWN)
		PG_RETURN_NULL();
	PG_RETURN_BOOL(r == CR_TRUE);
}

static char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* the outcomes as texts, made once (static storage: heap_form_tuple copies them) */
typedef struct OutcomeText
{
	int32		vl_len_;
	char		data[16];
} OutcomeText;

static OutcomeText outcome_texts[5];	/* the four outcomes, then "" */
static const char *const outcome_names[5] = {"exceeds", "within", "undetermined", "no_rule", ""};

#define OUTCOME_NO_RULE 3
#define EMPTY_TEXT 4

static Datum
outcome_datum(int k)
{
	OutcomeText *t = &outcome_texts[k];

	if (VARSIZE(t) == 0)
	{
		int			len = strlen(outcome_names[k]);

		memcpy(t->data, outcome_names[k], len);
		SET_VARSIZE(t, VARHDRSZ + len);
	}
	return PointerGetDatum(t);
}

/*
 * A verdict as a composite datum is one heap tuple: header, then outcome,
 * rule_set, rule_service, clause, criterion, explanation.  Only the outcome
 * and the explanation change from row to row, and the outcome takes one of
 * three values for a rule (exceeds, within, undetermined) and one when there
 * is none (no_rule).  So a call site forms, once per rule and outcome, the
 * tuple with an empty explanation (heap_form_tuple, which decides layout,
 * alignment and header), keeps its bytes but the empty text's one-byte
 * header, and for a row copies them and writes the explanation after them:
 * a short text (one-byte header) up to 126 bytes, else a 4-byte header at
 * the attribute's alignment, as heap_form_tuple writes them.  The result is
 * the tuple heap_form_tuple would have made, byte for byte.
 *
 * The template also holds the start of the explanation where it is fixed
 * (after a byte for its header): "exceeds: " for a rule, the whole sentence
 * for a service without a rule, the rule set's dates for an incident before
 * or after them (under the DateStyle it was made with).  A row copies that
 * and writes the rest.
 */
typedef struct VerdictTemplate
{
	int			len;			/* bytes of the tuple before the explanation's
								 * header; 0: not made */
	int			fixed;			/* bytes of bytes: the tuple, a header byte,
								 * the explanation's fixed start */
	int			room;			/* the most a row writes after them */
	int			datestyle;		/* NOT_APPLIES: the settings it was made */
	int			dateorder;		/* under */
	char	   *bytes;
	/* a rule whose facts are the effect and flags only: whole verdicts */
	uint8		flags_used;		/* the flags its facts name */
	struct VerdictVariant *variants;	/* by VARIANT_KEY, or NULL */
} VerdictTemplate;

/*
 * A rule that looks at no measure and no duration explains a verdict by the
 * effect and the flags it names alone, so its whole verdicts are made once
 * per call site (on first use) and copied: by the effect, the flags, and
 * whether the rule is the service's own or one above it.
 */
typedef struct VerdictVariant
{
	int			len;			/* 0: not made */
	char	   *bytes;			/* the whole tuple */
} VerdictVariant;

#define VARIANT_KEY(above, effect, flags) (((above) << 6) | ((effect) << 4) | (flags))
#define NVARIANTS 128

#define VERDICT_EXPLANATION 5	/* the explanation's attribute number - 1 */

/* the most a date takes in an explanation, as date_out writes it */
#define DATE_ROOM MAXDATELEN

/*
 * The templates of a call site, by what decides the verdict: 3 outcomes a
 * rule, then no_rule for each catalogue position, then no_rule without one,
 * then the rule set not in force.
 */
#define TMPL_RULE(set, rule, outcome) ((int) ((rule) - (set)->rules) * 3 + (outcome))
#define TMPL_NO_RULE(set, pos)	((set)->nrules * 3 + (pos))
#define TMPL_NO_RULE_ANY(set)	((set)->nrules * 3 + CR_NCATALOGUE)
#define TMPL_NOT_APPLIES(set)	((set)->nrules * 3 + CR_NCATALOGUE + 1)
#define TMPL_COUNT(set)			((set)->nrules * 3 + CR_NCATALOGUE + 2)

/* the values of a verdict's columns but the explanation */
static void
verdict_values(CachedSet *set, CachedRule *rule, int outcome, Datum *v, bool *n)
{
	v[0] = outcome_datum(outcome);
	n[0] = false;
	v[1] = PointerGetDatum(set->code_text);
	n[1] = false;
	n[2] = n[3] = n[4] = true;
	if (rule)
	{
		v[2] = ServiceGetDatum(rule->service);
		n[2] = false;
		if (rule->clause)
		{
			v[3] = PointerGetDatum(rule->clause);
			n[3] = false;
		}
		v[4] = PointerGetDatum(rule->criterion);
		n[4] = false;
	}
}

static char *put_date(char *p, DateADT d);

/*
 * The fixed start of the explanation of the verdicts of template k of set,
 * appended to buf; returns the most the rest of it takes (see
 * write_explanation).
 */
static int
explanation_start(StringInfo buf, CachedSet *set, int k)
{
	if (k < set->nrules * 3)
	{
		static const char *const heads[3] = {"exceeds: ", "within: ", "undetermined: "};

		appendStringInfoString(buf, heads[k % 3]);
		return CR_FACTS_MAXLEN + set->rules[k / 3].level_above_len;
	}
	if (k < TMPL_NO_RULE_ANY(set))
	{
		appendStringInfoString(buf, set->no_rule[k - TMPL_NO_RULE(set, 0)]);
		return 0;
	}
	if (k == TMPL_NO_RULE_ANY(set))
		return 64 + set->codelen + NAMEDATALEN * 4;
	else
	{
		/* "rule set X applies from D until D (exclusive); the incident ..." */
		char		date[DATE_ROOM];

		appendStringInfo(buf, "rule set %s applies", set->code);
		if (set->has_from)
			appendStringInfo(buf, " from %.*s", (int) (put_date(date, set->valid_from) - date), date);
		if (set->has_to)
			appendStringInfo(buf, " until %.*s (exclusive)",
							 (int) (put_date(date, set->valid_to) - date), date);
		appendStringInfoString(buf, "; the incident began on ");
		return DATE_ROOM + 16;
	}
}

/* the template k of set, made in the call site's context */
static void
make_template(SetLookup *memo, CachedSet *set, int k, VerdictTemplate *t)
{
	Datum		v[VERDICT_EXPLANATION + 1];
	bool		n[VERDICT_EXPLANATION + 1];
	CachedRule *rule = k < set->nrules * 3 ? &set->rules[k / 3] : NULL;
	int			outcome = rule ? k % 3 : OUTCOME_NO_RULE;
	HeapTuple	tup;
	char	   *last;
	char	   *bytes;
	int			len;
	int			room;
	StringInfoData start;

	initStringInfo(&start);
	room = explanation_start(&start, set, k);

	verdict_values(set, rule, outcome, v, n);
	v[VERDICT_EXPLANATION] = outcome_datum(EMPTY_TEXT);
	n[VERDICT_EXPLANATION] = false;
	tup = heap_form_tuple(memo->verdict, v, n);
	last = (char *) tup->t_data + tup->t_len - 1;
	if (!(VARATT_IS_1B(last) && VARSIZE_1B(last) == VARHDRSZ_SHORT))
		elog(ERROR, "unexpected layout of a ceptoar.verdict tuple");
	len = tup->t_len - 1;
	bytes = MemoryContextAlloc(memo->verdict_cxt, len + VARHDRSZ_SHORT + start.len);
	memcpy(bytes, tup->t_data, len);
	bytes[len] = 0;				/* the header, written per row */
	memcpy(bytes + len + VARHDRSZ_SHORT, start.data, start.len);
	heap_freetuple(tup);
	pfree(start.data);

	/* complete: replaces what t held */
	if (t->bytes)
		pfree(t->bytes);
	if (rule && CR_FACTS_MEASURES(rule->compiled.facts) == 0 && t->variants == NULL)
		t->variants = MemoryContextAllocZero(memo->verdict_cxt,
											 sizeof(VerdictVariant) * NVARIANTS);
	t->flags_used = rule ? CR_FACTS_FLAGS(rule->compiled.facts) : 0;
	t->bytes = bytes;
	t->len = len;
	t->fixed = len + VARHDRSZ_SHORT + start.len;
	t->room = room;
	t->datestyle = DateStyle;
	t->dateorder = DateOrder;
}

/* the template k of set for this call site */
static pg_attribute_always_inline VerdictTemplate *
verdict_template(SetLookup *memo, CachedSet *set, int k)
{
	VerdictTemplate *t;

	/* templates of another rule set or cache: made again */
	if (unlikely(memo->tmpl == NULL || memo->tmpl_generation != rules_cache.generation ||
				 &sets[memo->tmpl_set] != set))
	{
		memo->tmpl = NULL;
		MemoryContextReset(memo->verdict_cxt);
		memo->ntmpl = TMPL_COUNT(set);
		memo->tmpl = MemoryContextAllocZero(memo->verdict_cxt,
											sizeof(VerdictTemplate) * memo->ntmpl);
		memo->tmpl_generation = rules_cache.generation;
		memo->tmpl_set = set - sets;
	}
	t = &memo->tmpl[k];
	if (unlikely(t->len == 0 ||
				 (k == TMPL_NOT_APPLIES(set) &&
				  (t->datestyle != DateStyle || t->dateorder != DateOrder))))
		make_template(memo, set, k, t);
	return t;
}

/*
 * What decides classify()'s verdict: the rule (or NULL), the outcome, and
 * the template (TMPL_*) of the verdict.
 */
typedef struct Decision
{
	CachedRule *rule;
	int			outcome;
	int			tmpl;
} Decision;

static pg_attribute_always_inline void
decide(CachedSet *set, const Incident *inc, Decision *d)
{
	int			pos;
	CrTri		r;

	d->rule = NULL;
	d->outcome = OUTCOME_NO_RULE;
	if (unlikely(!set_applies_to(set, inc)))
	{
		d->tmpl = TMPL_NOT_APPLIES(set);
		return;
	}
	pos = cr_service_pos_quick(inc->service);
	d->rule = pos >= 0 ? set->nearest[pos] : find_rule(set, inc->service);
	if (d->rule == NULL)
	{
		d->tmpl = pos >= 0 ? TMPL_NO_RULE(set, pos) : TMPL_NO_RULE_ANY(set);
		return;
	}
	r = cr_compiled_evaluate(&d->rule->compiled, inc);
	d->outcome = (r == CR_TRUE) ? 0 : (r == CR_FALSE) ? 1 : 2;
	d->tmpl = TMPL_RULE(set, d->rule, d->outcome);
}

static inline char *
put(char *p, const char *s, int len)
{
	memcpy(p, s, len);
	return p + len;
}

/* a string literal, its length known when compiled */
#define PUT_LITERAL(p, s) put((p), (s), sizeof(s) - 1)

/*
 * A date as date_out writes it under the session's DateStyle: by hand for
 * ISO and the years 1 to 9999 (every day an incident can begin on), else by
 * date_out.  At most DATE_ROOM bytes.
 */
static char *
put_date(char *p, DateADT d)
{
	if (DateStyle == USE_ISO_DATES && !DATE_NOT_FINITE(d))
	{
		int			y,
					m,
					day;

		j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
		if (y >= 1 && y <= 9999)
		{
			p[0] = '0' + y / 1000;
			p[1] = '0' + y / 100 % 10;
			p[2] = '0' + y / 10 % 10;
			p[3] = '0' + y % 10;
			p[4] = '-';
			p[5] = '0' + m / 10;
			p[6] = '0' + m % 10;
			p[7] = '-';
			p[8] = '0' + day / 10;
			p[9] = '0' + day % 10;
			return p + 10;
		}
	}
	{
		char	   *s = date_text(d);

		return put(p, s, strlen(s));
	}
}

/*
 * The rest of the explanation of a verdict, after the template's fixed
 * start, written at p, which has room for the template's room; returns its
 * end.
 */
static pg_attribute_always_inline char *
write_explanation(char *p, CachedSet *set, const Incident *inc, const Decision *d)
{
	if (likely(d->rule != NULL))
	{
		/* "exceeds: " is the template's; the facts, then the level */
		p = cr_write_facts(p, &d->rule->compiled, inc);
		if (d->rule->service != inc->service)
			return put(p, d->rule->level_above, d->rule->level_above_len);
		return put(p, d->rule->level, d->rule->level_len);
	}
	if (d->tmpl == TMPL_NOT_APPLIES(set))
	{
		/* "rule set X applies from D; the incident began on " is made */
		p = put_date(p, began_day(inc));
		return PUT_LITERAL(p, " (Japan time)");
	}
	if (d->tmpl == TMPL_NO_RULE_ANY(set))
	{
		const CrServiceInfo *si = cr_service_info(inc->service);

		if (si == NULL)
			elog(ERROR, "invalid ceptoar.service value %08x", (uint32) inc->service);
		p = PUT_LITERAL(p, "rule set ");
		p = put(p, set->code, set->codelen);
		p = PUT_LITERAL(p, " has no rule for ");
		p = put(p, si->code, strnlen(si->code, NAMEDATALEN * 4));
		return PUT_LITERAL(p, " or a service above it");
	}
	/* a service without a rule: the whole sentence is the template's */
	return p;
}

/* the explanation of a verdict whole, appended to buf */
static void
explain_whole(StringInfo buf, CachedSet *set, const Incident *inc, const Decision *d)
{
	int			room = explanation_start(buf, set, d->tmpl);

	enlargeStringInfo(buf, room + 1);
	buf->len = write_explanation(buf->data + buf->len, set, inc, d) - buf->data;
	buf->data[buf->len] = '\0';
}

/* the call site's result type, once (see VerdictTemplate) */
static void
prepare_verdict_type(FunctionCallInfo fcinfo, SetLookup *memo)
{
	MemoryContext oldcxt = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	TupleDesc	desc;
	Form_pg_attribute att;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "classify must return a composite type");
	desc = BlessTupleDesc(desc);
	att = TupleDescAttr(desc, VERDICT_EXPLANATION);
	memo->templates_usable = desc->natts == VERDICT_EXPLANATION + 1 &&
		att->atttypid == TEXTOID && att->attlen == -1 &&
		att->attstorage != TYPSTORAGE_PLAIN && !att->attisdropped;
	if (memo->verdict_cxt == NULL)
		memo->verdict_cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "ceptoar verdicts",
												  ALLOCSET_SMALL_SIZES);
	memo->verdict = desc;
	MemoryContextSwitchTo(oldcxt);
}

/*
 * The verdict of d for inc from template t, in a new allocation of cxt (as
 * heap_form_tuple would make it, see VerdictTemplate); its length in *total.
 */
static pg_attribute_always_inline char *
assemble(MemoryContext cxt, SetLookup *memo, VerdictTemplate *t, CachedSet *set,
		 const Incident *inc, const Decision *d, int *total)
{
	/* room for a 4-byte header at its alignment, should it be long */
	char	   *buf = MemoryContextAlloc(cxt, t->fixed + t->room + VARHDRSZ + MAXIMUM_ALIGNOF);
	char	   *e = buf + t->len + VARHDRSZ_SHORT;
	int			len;

	memcpy(buf, t->bytes, t->fixed);
	len = write_explanation(buf + t->fixed, set, inc, d) - e;
	if (likely(len + VARHDRSZ_SHORT <= VARATT_SHORT_MAX))
	{
		SET_VARSIZE_SHORT(buf + t->len, len + VARHDRSZ_SHORT);
		*total = t->len + VARHDRSZ_SHORT + len;
	}
	else
	{
		/* too long for a short header: 4 bytes, aligned */
		Form_pg_attribute att = TupleDescAttr(memo->verdict, VERDICT_EXPLANATION);
		int			start = att_align_nominal(t->len, att->attalign);

		memmove(buf + start + VARHDRSZ, e, len);
		memset(buf + t->len, 0, start - t->len);
		SET_VARSIZE(buf + start, len + VARHDRSZ);
		*total = start + VARHDRSZ + len;
	}
	HeapTupleHeaderSetDatumLength((HeapTupleHeader) buf, *total);
	return buf;
}

PG_FUNCTION_INFO_V1(incident_classify);
/*
 * classify(incident, rule_set) -> verdict
 *
 * Called once a row by the registry and by users' queries, so everything
 * that does not depend on the incident is made once: the result's tuple
 * descriptor, and the verdict's fixed columns for each rule and outcome (a
 * template tuple, above) per call site; each rule's clause, the end of its
 * explanation ("; level: ...") and the explanation of a service without a
 * rule with the cache.  Per row: the rule (by catalogue position, as
 * exceeds()), its evaluation, and one allocation holding a copy of the
 * template and the explanation written after it.
 */
Datum
incident_classify(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	CachedSet  *set = current_set(fcinfo, "classify");
	SetLookup  *memo = (SetLookup *) fcinfo->flinfo->fn_extra;
	Decision	d;

	decide(set, inc, &d);
	if (unlikely(memo->verdict == NULL))
		prepare_verdict_type(fcinfo, memo);

	if (likely(memo->templates_usable))
	{
		VerdictTemplate *t = verdict_template(memo, set, d.tmpl);
		char	   *buf;
		int			total;

		if (t->variants && likely(inc->effect < CR_NEFFECTS && inc->flags < (1 << CR_NFLAGS)))
		{
			/* the whole verdict, made once */
			VerdictVariant *v = &t->variants[VARIANT_KEY(d.rule->service != inc->service,
														 inc->effect, inc->flags & t->flags_used)];

			if (unlikely(v->len == 0))
			{
				v->bytes = assemble(memo->verdict_cxt, memo, t, set, inc, &d, &total);
				v->len = total;
			}
			buf = palloc(v->len);
			memcpy(buf, v->bytes, v->len);
		}
		else
			buf = assemble(CurrentMemoryContext, memo, t, set, inc, &d, &total);

		/*
		 * HeapTupleHeaderGetDatum but its call: nothing of a verdict is
		 * toasted
		 */
		if (unlikely(HeapTupleHeaderHasExternal((HeapTupleHeader) buf)))
			PG_RETURN_DATUM(HeapTupleHeaderGetDatum((HeapTupleHeader) buf));
		PG_RETURN_POINTER(buf);
	}
	else
	{
		/* the explanation whole, then heap_form_tuple */
		Datum		v[VERDICT_EXPLANATION + 1];
		bool		n[VERDICT_EXPLANATION + 1];
		StringInfoData expl;

		initStringInfo(&expl);
		appendStringInfoSpaces(&expl, VARHDRSZ);
		explain_whole(&expl, set, inc, &d);
		SET_VARSIZE(expl.data, expl.len);
		verdict_values(set, d.rule, d.outcome, v, n);
		v[VERDICT_EXPLANATION] = PointerGetDatum(expl.data);
		n[VERDICT_EXPLANATION] = false;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(memo->verdict, v, n)));
	}
}

/*
 * The verification_level rule set in force on a day (Japan time): of those
 * valid that day, the one with the latest start (no start counts as the
 * earliest), then the first by code.  The cache holds the sets in the order
 * of their codes (ORDER BY s.code, the column's collation), so the first one
 * met among equal starts is the one a query ordered by code would give.
 */
static CachedSet *
verification_set_on(Oid fn, DateADT day)
{
	CachedSet  *best = NULL;

	ensure_rules(fn, "_verification_set");
	for (int i = 0; i < nsets; i++)
	{
		CachedSet  *s = &sets[i];

		if (!s->verification || !set_applies(s, day))
			continue;
		if (best == NULL ||
			(s->has_from && (!best->has_from || s->valid_from > best->valid_from)))
			best = s;
	}
	return best;
}

PG_FUNCTION_INFO_V1(verification_set_of_day);
/* _verification_set(date) -> text, NULL if none */
Datum
verification_set_of_day(PG_FUNCTION_ARGS)
{
	CachedSet  *s = verification_set_on(fcinfo->flinfo->fn_oid, PG_GETARG_DATEADT(0));

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s->code, s->codelen));
}

PG_FUNCTION_INFO_V1(verification_set_of_incident);
/* _verification_set(incident) -> text: of the day (Japan time) it began */
Datum
verification_set_of_incident(PG_FUNCTION_ARGS)
{
	Incident   *inc = PG_GETARG_INCIDENT_P(0);
	CachedSet  *s = verification_set_on(fcinfo->flinfo->fn_oid, began_day(inc));

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(s->code, s->codelen));
}

/*
 * The verification level of an incident, for the report trigger
 * (report_trigger.c), as _verification_set(incident) and then
 * (classify(incident, set)).outcome give it: false if no verification_level
 * set is in force on the day it began; else *outcome and *set_code (a new
 * text).  fn: the calling function, whose schema holds the rule tables.
 */
bool
cr_verification_level(Oid fn, const Incident *inc, const char **outcome, text **set_code)
{
	CachedSet  *set = verification_set_on(fn, began_day(inc));
	CachedRule *rule;

	if (set == NULL)
		return false;
	/* classify(): the set applies that day (it was chosen so) */
	rule = find_rule(set, inc->service);
	if (rule == NULL)
		*outcome = "no_rule";
	else
	{
		CrTri		r = cr_compiled_evaluate(&rule->compiled, inc);

		*outcome = (r == CR_TRUE) ? "exceeds" : (r == CR_FALSE) ? "within" : "undetermined";
	}
	*set_code = cstring_to_text_with_len(set->code, set->codelen);
	return true;
}
