/*
 * catalog.c
 *		The compiled-in catalogues of plans, ministries and CEPTOARs, and the
 *		set-returning functions behind the ceptoar.* catalogue views.
 *
 * Each row carries its source: a seed file of ../shared/seeds, a law, or
 * "inferred".  Dates given to the month only in a source are stored as the
 * first of that month and say so in their source.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "ceptoar_registry.h"

/* sector bits, by NISC position */
#define B(s)		(1u << (s))
#define TELECOM		B(1)
#define FINANCE		B(2)
#define AVIATION	B(3)
#define AIRPORT		B(4)
#define RAIL		B(5)
#define ELECTRICITY	B(6)
#define GAS			B(7)
#define GOVERNMENT	B(8)
#define MEDICAL		B(9)
#define WATER		B(10)
#define LOGISTICS	B(11)
#define CHEMICAL	B(12)
#define CREDIT		B(13)
#define PETROLEUM	B(14)
#define PORT		B(15)

#define SECTORS_2000 (TELECOM | FINANCE | AVIATION | RAIL | ELECTRICITY | GAS | GOVERNMENT)
#define SECTORS_10	(SECTORS_2000 | MEDICAL | WATER | LOGISTICS)
#define SECTORS_13	(SECTORS_10 | CHEMICAL | CREDIT | PETROLEUM)
#define SECTORS_14	(SECTORS_13 | AIRPORT)
#define SECTORS_15	(SECTORS_14 | PORT)

typedef struct YMD
{
	int			y,
				m,
				d;
} YMD;

typedef struct CrPlan
{
	const char *code;
	const char *name_ja;
	const char *name_en;
	const char *decided_by_ja;
	YMD			decided;
	const char *period;
	const char *source;
} CrPlan;

static const CrPlan plans[] = {
	{"special-2000", "重要インフラのサイバーテロ対策に係る特別行動計画",
		"Special Action Plan on Countermeasures to Cyber-terrorism of Critical Infrastructure",
	"情報セキュリティ対策推進会議", {2000, 12, 15}, NULL, "seed 003"},
	{"1st", "重要インフラの情報セキュリティ対策に係る行動計画",
		"Action Plan on Information Security Measures for Critical Infrastructure",
		"情報セキュリティ政策会議", {2005, 12, 13}, "FY2006-FY2008",
	"seed 000 (period, 10 sectors); decision date not in the seeds"},
	{"2nd", "重要インフラの情報セキュリティ対策に係る第2次行動計画",
		"Second Action Plan on Information Security Measures for Critical Infrastructure",
		"情報セキュリティ政策会議", {2009, 2, 3}, "FY2009-FY2013",
	"seeds 000, 001 (平成21年2月策定、平成24年4月改定)"},
	{"3rd", "重要インフラの情報セキュリティ対策に係る第3次行動計画",
		"Third Action Plan on Information Security Measures for Critical Infrastructure",
		"情報セキュリティ政策会議", {2014, 5, 19}, "FY2014-FY2016",
	"seed 004 (平成26年5月決定、平成27年5月改訂); days not in the seeds"},
	{"4th", "重要インフラの情報セキュリティ対策に係る第4次行動計画",
		"Fourth Action Plan on Information Security Measures for Critical Infrastructure",
		"サイバーセキュリティ戦略本部", {2017, 4, 18}, "FY2017-FY2021",
	"not in the seeds"},
	{"2022", "重要インフラのサイバーセキュリティに係る行動計画",
		"Cybersecurity Action Plan for Critical Infrastructure",
		"サイバーセキュリティ戦略本部", {2022, 6, 17}, "FY2022-",
	"not in the seeds"},
};


/* Every decision or revision of a plan, with the sectors in force from it. */
typedef struct CrPlanEdition
{
	int			plan;			/* index into plans[] */
	YMD			effective;
	uint32		sectors;
	const char *note;
	const char *source;
} CrPlanEdition;

static const CrPlanEdition editions[] = {
	{0, {2000, 12, 15}, SECTORS_2000, "decided: 7 sectors", "seed 003"},
	{1, {2005, 12, 13}, SECTORS_10, "decided: medical, water and logistics added", "seed 000"},
	{2, {2009, 2, 3}, SECTORS_10, "decided", "seeds 000, 001"},
	{2, {2012, 4, 26}, SECTORS_10, "revised; sectors unchanged", "seed 000"},
	{3, {2014, 5, 19}, SECTORS_13, "decided: chemical, credit and petroleum added",
	"seed 004 (month); domain.md"},
	{3, {2015, 5, 25}, SECTORS_13, "revised after the Cybersecurity Basic Act; sectors unchanged",
	"seed 004 (month)"},
	{4, {2017, 4, 18}, SECTORS_13, "decided", "not in the seeds"},
	{4, {2018, 7, 25}, SECTORS_14, "revised: airports split from aviation", "not in the seeds"},
	{5, {2022, 6, 17}, SECTORS_14, "decided", "not in the seeds"},
	{5, {2024, 3, 8}, SECTORS_15, "revised: ports added", "not in the seeds"},
};


typedef struct CrMinistry
{
	const char *code;
	const char *name_ja;
	const char *name_en;
	YMD			established;
	YMD			abolished;		/* {0} = still exists; day after the last day */
	const char *source;
} CrMinistry;

static const CrMinistry ministries[] = {
	{"fsa", "金融庁", "Financial Services Agency", {2000, 7, 1}, {0}, "seed 000"},
	{"mic", "総務省", "Ministry of Internal Affairs and Communications", {2001, 1, 6}, {0}, "seed 000"},
	{"mhlw", "厚生労働省", "Ministry of Health, Labour and Welfare", {2001, 1, 6}, {0}, "seed 000"},
	{"mlit", "国土交通省", "Ministry of Land, Infrastructure, Transport and Tourism", {2001, 1, 6}, {0}, "seed 000"},
	{"meti", "経済産業省", "Ministry of Economy, Trade and Industry", {2001, 1, 6}, {0}, "seed 000"},
	{"mpt", "郵政省", "Ministry of Posts and Telecommunications", {0}, {2001, 1, 6},
	"inferred (before the 2001-01-06 central government reform)"},
	{"mot", "運輸省", "Ministry of Transport", {0}, {2001, 1, 6},
	"inferred (before the 2001-01-06 central government reform)"},
	{"miti", "通商産業省", "Ministry of International Trade and Industry", {0}, {2001, 1, 6},
	"inferred (before the 2001-01-06 central government reform)"},
	{"mha", "自治省", "Ministry of Home Affairs", {0}, {2001, 1, 6},
	"inferred (before the 2001-01-06 central government reform)"},
};


/* Which ministry is competent for a sector, over [from, to). */
typedef struct CrCompetence
{
	Sector		sector;
	const char *ministry;
	YMD			from;
	YMD			to;				/* {0} = to this day */
	const char *source;
} CrCompetence;

#define REFORM {2001, 1, 6}
#define PRE_REFORM "inferred (competent ministry before the 2001-01-06 central government reform)"

static const CrCompetence competences[] = {
	{1, "mpt", {2000, 12, 15}, REFORM, PRE_REFORM},
	{1, "mic", REFORM, {0}, "seed 000"},
	{2, "fsa", {2000, 12, 15}, {0}, "seed 000"},
	{3, "mot", {2000, 12, 15}, REFORM, PRE_REFORM},
	{3, "mlit", REFORM, {0}, "seed 000"},
	{4, "mlit", {2018, 7, 25}, {0}, "4th Action Plan as revised 2018-07-25 (not in the seeds)"},
	{5, "mot", {2000, 12, 15}, REFORM, PRE_REFORM},
	{5, "mlit", REFORM, {0}, "seed 000"},
	{6, "miti", {2000, 12, 15}, REFORM, PRE_REFORM},
	{6, "meti", REFORM, {0}, "seed 000"},
	{7, "miti", {2000, 12, 15}, REFORM, PRE_REFORM},
	{7, "meti", REFORM, {0}, "seed 000"},
	{8, "mha", {2000, 12, 15}, REFORM, PRE_REFORM},
	{8, "mic", REFORM, {0}, "seed 000"},
	{9, "mhlw", {2005, 12, 13}, {0}, "seed 000"},
	{10, "mhlw", {2005, 12, 13}, {2024, 4, 1}, "seed 000"},
	{10, "mlit", {2024, 4, 1}, {0},
	"water supply administration moved from MHLW to MLIT on 2024-04-01 (not in the seeds)"},
	{11, "mlit", {2005, 12, 13}, {0}, "seed 000"},
	{12, "meti", {2014, 5, 19}, {0}, "3rd Action Plan (not in the seeds)"},
	{13, "meti", {2014, 5, 19}, {0}, "3rd Action Plan (not in the seeds)"},
	{14, "meti", {2014, 5, 19}, {0}, "3rd Action Plan (not in the seeds)"},
	{15, "mlit", {2024, 3, 8}, {0}, "Action Plan 2022 as revised 2024-03-08 (not in the seeds)"},
};


/*
 * The 15 CEPTOARs of seed 000's table "重要インフラ セプター一覧表", one entry per
 * business scope as the seed counts them.  code names the CEPTOAR (stable ASCII,
 * what tables store): the finance council (金融CEPTOAR連絡協議会) is one CEPTOAR
 * over four scopes, so its four entries share the code "finance".
 */
typedef struct CrCeptoar
{
	const char *code;
	Sector		sector;
	const char *scope_ja;
	const char *scope_en;
	const char *name;
	const char *secretariat_ja;
	const char *secretariat_en;
	const char *members_ja;
	YMD			emergency_contact;	/* month; {0} = not given */
	YMD			handling_rules; /* month */
	const char *information_ja;
	const char *means[8];
} CrCeptoar;

#define MAIL "メール"
#define TEL "電話"
#define FAX "FAX"
#define WEB "WEB"
#define MOBILE "携帯電話"
#define SAT "衛星電話"
#define INCIDENTS "障害事例情報等"

static const CrCeptoar ceptoars[] = {
	{"telecommunications", 1, "電気通信", "telecommunications", "T-CEPTOAR",
		"一般財団法人日本データ通信協会 テレコム・アイザック推進会議",
		"Japan Data Communications Association, Telecom-ISAC Japan",
		"27社・団体 (固定系のネットワークを構築する電気通信事業者、7セブシの電気通信事業者、ISP事業者、携帯電話事業者等)",
	{2007, 4, 1}, {2007, 1, 1}, INCIDENTS, {MAIL, TEL, FAX}},
	{"cable_tv", 1, "放送", "broadcasting", "ケーブルテレビ CEPTOAR",
		"一般社団法人日本ケーブルテレビ連盟", "Japan Cable Television Federation",
		"246社 (一般社団法人日本ケーブルテレビ連盟の正会員ケーブルテレビ事業者)",
	{2012, 12, 1}, {2012, 11, 1}, INCIDENTS, {MAIL, TEL}},
	{"broadcasting", 1, "放送", "broadcasting", "放送 CEPTOAR",
		"一般社団法人日本民間放送連盟", "Japan Commercial Broadcasters Association",
		"194社・団体 (日本放送協会、地上系民間放送事業者、一般社団法人日本民間放送連盟)",
	{2007, 4, 1}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL, FAX, WEB}},
	{"finance", 2, "銀行等", "banks", "金融CEPTOAR連絡協議会",
		"一般社団法人全国銀行協会 事務システム部", "Japanese Bankers Association",
		"1,561社 (銀行、信用金庫、信用組合、労働、商工中金、農協等)",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL, WEB}},
	{"finance", 2, "証券", "securities", "金融CEPTOAR連絡協議会",
		"日本証券業協会 IT管理部", "Japan Securities Dealers Association",
		"253社 8機関 (証券会社、取引所等証券関係機関)",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL, FAX, WEB}},
	{"finance", 2, "生命保険", "life insurance", "金融CEPTOAR連絡協議会",
		"社団法人生命保険協会 総務部コンプライアンス統括グループ",
		"The Life Insurance Association of Japan",
		"43社 (社団法人生命保険協会の社員および特別会員)",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL}},
	{"finance", 2, "損害保険", "non-life insurance", "金融CEPTOAR連絡協議会",
		"一般社団法人日本損害保険協会 業務企画部共同システム開発室",
		"The General Insurance Association of Japan",
		"29社(含むオプザーバー3社) (情報システム委員会参加会社)",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL}},
	{"aviation", 3, "航空", "aviation", "航空分野における CEPTOAR",
		"国土交通省 航空局 安全企画課", "MLIT Civil Aviation Bureau",
		"2グループ 3機関 (航空運送事業者、定期航空協会及び官庁(航空局・気象庁))",
	{2008, 4, 1}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL}},
	{"rail", 5, "鉄道", "railway", "鉄道 CEPTOAR",
		"国土交通省 鉄道局 危機管理室", "MLIT Railway Bureau",
		"22社1団体 1機関 (鉄道事業者 22社、1団体及び官庁(鉄道局))",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL}},
	{"electricity", 6, "電力", "electric power", "電力 CEPTOAR",
		"電気事業連合会 情報通信部", "Federation of Electric Power Companies of Japan",
		"12社2機関 (一般電気事業者、日本原電(株)、電源開発(株)、電気事業連合会、電力中央研究所)",
		{0}, {2006, 9, 1}, "脆弱性に関する情報等",
	{MAIL, TEL, MOBILE, FAX, "電子会議室", "TV会議", "会議体"}},
	{"gas", 7, "ガス", "gas", "GAS CEPTOAR",
		"一般社団法人日本ガス協会 保安技術グループ", "The Japan Gas Association",
		"10社 (主要な一般都市ガス事業者 10社)",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL, FAX}},
	{"local_government", 8, "地方公共団体", "local governments", "自治体 CEPTOAR",
		"財団法人 地方自治情報センター 自治体セキュリティ支援室",
		"LASDEC (Local Authorities Systems Development Center)",
		"47都道府県 1,742市区町村",
	{0}, {2007, 3, 1}, INCIDENTS, {MAIL, TEL, WEB}},
	{"medical", 9, "医療", "medical", "医療 CEPTOAR",
		"厚生労働省 医政局研究開発 疫学課 医療技術情報推進室",
		"MHLW Health Policy Bureau",
		"1グループ 2機関 (医療機関、日本医師会(情報共有機能)、保健医療福祉情報システム工業会(情報分析機能))",
	{0}, {2008, 3, 1}, INCIDENTS, {MAIL, TEL, MOBILE, SAT, FAX}},
	{"water", 10, "水道", "water", "水道 CEPTOAR",
		"社団法人日本水道協会 総務部総務課", "Japan Water Works Association",
		"8水道事業者 (会員水道事業者のうち会長都市並びに地方支部長都市) [補足] 障害の内容によって、構成員を通じ、全国の日本水道協会の会員水道事業者(1,350事業者)への情報を提供。",
	{0}, {2008, 3, 1}, INCIDENTS, {MAIL, TEL, MOBILE, SAT, FAX}},
	{"logistics", 11, "物流", "logistics", "物流 CEPTOAR",
		"一般社団法人日本物流団体連合会", "Japan Federation of Logistics",
		"16社6団体 (物流事業者)",
	{0}, {2008, 3, 1}, INCIDENTS, {MAIL, TEL}},
};


#define CEPTOAR_SOURCE "seed 000 (重要インフラ セプター一覧表); dates to the month"
#define CEPTOAR_MEMBERS_NOTE "seed 000; the flattened seed table shifts the member cells of 自治体, 医療 and 水道 by one column, realigned here"

static DateADT
ymd_date(YMD d)
{
	return date2j(d.y, d.m, d.d) - POSTGRES_EPOCH_JDATE;
}

/* a ministry's competence over a sector holds on day: from its start, until its end if it has one */
static bool
competence_in_force(const CrCompetence *cp, DateADT day)
{
	return ymd_date(cp->from) <= day && (cp->to.y == 0 || day < ymd_date(cp->to));
}

static Datum
ymd_datum(YMD d, bool *isnull)
{
	*isnull = (d.y == 0);
	return *isnull ? (Datum) 0 : DateADTGetDatum(ymd_date(d));
}

static Datum
text_or_null(const char *utf8, bool *isnull)
{
	*isnull = (utf8 == NULL);
	return *isnull ? (Datum) 0 : cr_text_datum_utf8(utf8);
}

/* sector[] of the bits set in mask, in NISC order */
static Datum
sector_array(uint32 mask, Oid elemtype)
{
	Datum		elems[CR_NSECTORS];
	int			n = 0;

	for (int s = 1; s <= CR_NSECTORS; s++)
		if (mask & B(s))
			elems[n++] = SectorGetDatum(s);
	return PointerGetDatum(construct_array(elems, n, elemtype, sizeof(Sector),
										   true, TYPALIGN_SHORT));
}

static Datum
text_array(const char *const *items, int nitems)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(nitems, 1));

	for (int i = 0; i < nitems; i++)
		elems[i] = cr_text_datum_utf8(items[i]);
	return PointerGetDatum(construct_array(elems, nitems, TEXTOID, -1, false,
										   TYPALIGN_INT));
}

/* element type of result column "col" (our sector[] columns) */
static Oid
column_elemtype(ReturnSetInfo *rsinfo, int col)
{
	return get_element_type(TupleDescAttr(rsinfo->setDesc, col)->atttypid);
}

/* the sectors of plan p as last revised */
static uint32
plan_sectors(int p)
{
	uint32		mask = 0;

	for (int e = 0; e < NELEM(editions); e++)
		if (editions[e].plan == p)
			mask = editions[e].sectors;
	return mask;
}

static int
plan_lookup(const char *code)
{
	const char *codes[NELEM(plans)];

	for (int p = 0; p < NELEM(plans); p++)
	{
		if (pg_strcasecmp(code, plans[p].code) == 0)
			return p;
		codes[p] = plans[p].code;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown action plan \"%s\"", code),
			 errhint("Valid plans are: %s.", cr_join(codes, lengthof(plans)))));
	pg_unreachable();
}

/* the sectors in force on a day: those of the last edition effective then */
static uint32
sectors_on_date(DateADT day)
{
	uint32		mask = 0;

	for (int e = 0; e < NELEM(editions); e++)
		if (ymd_date(editions[e].effective) <= day)
			mask = editions[e].sectors;
	return mask;
}

PG_FUNCTION_INFO_V1(catalog_plans);
/* rows of ceptoar.plans */
Datum
catalog_plans(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int p = 0; p < NELEM(plans); p++)
	{
		Datum		v[10];
		bool		n[10] = {0};
		YMD			last = {0};
		uint32		mask = plan_sectors(p);

		for (int e = 0; e < NELEM(editions); e++)
			if (editions[e].plan == p &&
				ymd_date(editions[e].effective) != ymd_date(plans[p].decided))
				last = editions[e].effective;
		v[0] = CStringGetTextDatum(plans[p].code);
		v[1] = Int32GetDatum(p + 1);
		v[2] = cr_text_datum_utf8(plans[p].name_ja);
		v[3] = cr_text_datum_utf8(plans[p].name_en);
		v[4] = cr_text_datum_utf8(plans[p].decided_by_ja);
		v[5] = ymd_datum(plans[p].decided, &n[5]);
		v[6] = ymd_datum(last, &n[6]);
		v[7] = text_or_null(plans[p].period, &n[7]);
		v[8] = sector_array(mask, column_elemtype(rsinfo, 8));
		v[9] = cr_text_datum_utf8(plans[p].source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(catalog_plan_revisions);
/* rows of ceptoar.plan_revisions: every decision and revision */
Datum
catalog_plan_revisions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int e = 0; e < NELEM(editions); e++)
	{
		Datum		v[5];
		bool		n[5] = {0};

		v[0] = CStringGetTextDatum(plans[editions[e].plan].code);
		v[1] = DateADTGetDatum(ymd_date(editions[e].effective));
		v[2] = CStringGetTextDatum(editions[e].note);
		v[3] = sector_array(editions[e].sectors, column_elemtype(rsinfo, 3));
		v[4] = cr_text_datum_utf8(editions[e].source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(catalog_sectors);
/* rows of ceptoar.sectors */
Datum
catalog_sectors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int s = 1; s <= CR_NSECTORS; s++)
	{
		Datum		v[7];
		bool		n[7] = {0};
		const char *in_plans[NELEM(plans)];
		int			np = 0;

		for (int p = 0; p < NELEM(plans); p++)
			if (plan_sectors(p) & B(s))
				in_plans[np++] = plans[p].code;
		v[0] = SectorGetDatum(s);
		v[1] = Int32GetDatum(s);
		v[2] = cr_text_datum_utf8(cr_sectors[s].name_ja);
		v[3] = cr_text_datum_utf8(cr_sectors[s].name_en);
		v[4] = text_array(in_plans, np);
		v[5] = CStringGetTextDatum(cr_sectors[s].plan_added);
		v[6] = cr_text_datum_utf8(cr_sectors[s].source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

static Datum
emit_sectors(FunctionCallInfo fcinfo, uint32 mask)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC | MAT_SRF_BLESS);
	for (int s = 1; s <= CR_NSECTORS; s++)
	{
		Datum		v = SectorGetDatum(s);
		bool		n = false;

		if (mask & B(s))
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &v, &n);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(catalog_sectors_of_plan);
/* the sectors of a plan as last revised */
Datum
catalog_sectors_of_plan(PG_FUNCTION_ARGS)
{
	char	   *code = text_to_cstring(PG_GETARG_TEXT_PP(0));

	return emit_sectors(fcinfo, plan_sectors(plan_lookup(code)));
}

PG_FUNCTION_INFO_V1(catalog_sectors_on);
/* the sectors in force on a day */
Datum
catalog_sectors_on(PG_FUNCTION_ARGS)
{
	DateADT		day = PG_GETARG_DATEADT(0);

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sectors_on needs a finite date")));
	return emit_sectors(fcinfo, sectors_on_date(day));
}

PG_FUNCTION_INFO_V1(catalog_ministries);
/* rows of ceptoar.ministries */
Datum
catalog_ministries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DateADT		today = GetSQLCurrentDate();

	InitMaterializedSRF(fcinfo, 0);
	for (int m = 0; m < NELEM(ministries); m++)
	{
		Datum		v[8];
		bool		n[8] = {0};
		uint32		now = 0,
					in_2nd = 0;

		for (int c = 0; c < NELEM(competences); c++)
		{
			const CrCompetence *cp = &competences[c];

			if (strcmp(cp->ministry, ministries[m].code) != 0)
				continue;
			if (competence_in_force(cp, today))
				now |= B(cp->sector);
			/* the 2nd plan's competences as of its 2009-02-03 decision */
			if (competence_in_force(cp, ymd_date(editions[2].effective)))
				in_2nd |= B(cp->sector);
		}
		v[0] = CStringGetTextDatum(ministries[m].code);
		v[1] = cr_text_datum_utf8(ministries[m].name_ja);
		v[2] = cr_text_datum_utf8(ministries[m].name_en);
		v[3] = ymd_datum(ministries[m].established, &n[3]);
		v[4] = ymd_datum(ministries[m].abolished, &n[4]);
		v[5] = sector_array(in_2nd, column_elemtype(rsinfo, 5));
		v[6] = sector_array(now, column_elemtype(rsinfo, 6));
		v[7] = cr_text_datum_utf8(ministries[m].source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(catalog_ministry_sectors);
/* rows of ceptoar.ministry_sectors: competence over time */
Datum
catalog_ministry_sectors(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int c = 0; c < NELEM(competences); c++)
	{
		Datum		v[5];
		bool		n[5] = {0};

		v[0] = SectorGetDatum(competences[c].sector);
		v[1] = CStringGetTextDatum(competences[c].ministry);
		v[2] = ymd_datum(competences[c].from, &n[2]);
		v[3] = ymd_datum(competences[c].to, &n[3]);
		v[4] = cr_text_datum_utf8(competences[c].source);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(catalog_ministry);
/* the ministry competent for a sector on a day; NULL before the sector existed */
Datum
catalog_ministry(PG_FUNCTION_ARGS)
{
	const char *m = cr_ministry(PG_GETARG_SECTOR(0), PG_GETARG_DATEADT(1));

	if (m == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(m));
}

/* ministry(sector, day) in C: the code, NULL before the sector existed */
const char *
cr_ministry(Sector sec, DateADT day)
{
	(void) cr_sector_info(sec);
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("ministry needs a finite date")));
	for (int c = 0; c < NELEM(competences); c++)
	{
		const CrCompetence *cp = &competences[c];

		if (cp->sector == sec && competence_in_force(cp, day))
			return cp->ministry;
	}
	return NULL;
}

PG_FUNCTION_INFO_V1(catalog_ceptoars);
/* rows of ceptoar.ceptoars */
Datum
catalog_ceptoars(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int c = 0; c < NELEM(ceptoars); c++)
	{
		const CrCeptoar *cp = &ceptoars[c];
		Datum		v[13];
		bool		n[13] = {0};
		int			nmeans = 0;

		while (nmeans < NELEM(cp->means) && cp->means[nmeans])
			nmeans++;
		v[0] = Int32GetDatum(c + 1);
		v[1] = SectorGetDatum(cp->sector);
		v[2] = cr_text_datum_utf8(cp->scope_ja);
		v[3] = cr_text_datum_utf8(cp->scope_en);
		v[4] = cr_text_datum_utf8(cp->name);
		v[5] = cr_text_datum_utf8(cp->secretariat_ja);
		v[6] = cr_text_datum_utf8(cp->secretariat_en);
		v[7] = cr_text_datum_utf8(cp->members_ja);
		v[8] = ymd_datum(cp->emergency_contact, &n[8]);
		v[9] = ymd_datum(cp->handling_rules, &n[9]);
		v[10] = cr_text_datum_utf8(cp->information_ja);
		v[11] = text_array(cp->means, nmeans);
		v[12] = cr_text_datum_utf8(c >= 11 && c <= 13 ? CEPTOAR_MEMBERS_NOTE : CEPTOAR_SOURCE);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

/*
 * The code of a row of ceptoar.ceptoars.  A function of its own, not a column of
 * _ceptoars(): the view gains code as its last column with CREATE OR REPLACE VIEW
 * (0.3 -> 0.4), so _ceptoars() keeps the result type that 0.3 declared.
 */
PG_FUNCTION_INFO_V1(catalog_ceptoar_code);
/* the CEPTOAR code of row ordinal of ceptoar.ceptoars */
Datum
catalog_ceptoar_code(PG_FUNCTION_ARGS)
{
	int32		ordinal = PG_GETARG_INT32(0);

	if (ordinal < 1 || ordinal > (int32) NELEM(ceptoars))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no row %d in ceptoar.ceptoars", ordinal),
				 errhint("Ordinals run from 1 to %d.", (int) NELEM(ceptoars))));
	PG_RETURN_TEXT_P(cstring_to_text(ceptoars[ordinal - 1].code));
}

PG_FUNCTION_INFO_V1(catalog_ceptoar_exists);
/* whether a text is the code of a CEPTOAR (exact: codes are lower case) */
Datum
catalog_ceptoar_exists(PG_FUNCTION_ARGS)
{
	text	   *code = PG_GETARG_TEXT_PP(0);
	const char *s = VARDATA_ANY(code);
	size_t		len = VARSIZE_ANY_EXHDR(code);

	for (int c = 0; c < NELEM(ceptoars); c++)
		if (strlen(ceptoars[c].code) == len && memcmp(ceptoars[c].code, s, len) == 0)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

static const char *const kind_names[] = {"sector", "scope", "service", "class"};

static void
put_service(ReturnSetInfo *rsinfo, const CrServiceInfo *si)
{
	Datum		v[11];
	bool		n[11] = {0};

	v[0] = ServiceGetDatum(si->id);
	v[1] = SectorGetDatum(CR_SERVICE_SECTOR(si->id));
	n[2] = (cr_service_depth(si->id) == 1);
	v[2] = n[2] ? (Datum) 0 : ServiceGetDatum(cr_service_parent(si->id));
	v[3] = Int32GetDatum(cr_service_depth(si->id));
	v[4] = CStringGetTextDatum(kind_names[si->kind]);
	v[5] = text_or_null(si->scope_ja, &n[5]);
	v[6] = text_or_null(si->scope_en, &n[6]);
	v[7] = cr_text_datum_utf8(si->name_ja);
	v[8] = cr_text_datum_utf8(si->name_en);
	v[9] = text_or_null(si->unit, &n[9]);
	v[10] = cr_text_datum_utf8(si->source);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

PG_FUNCTION_INFO_V1(catalog_services);
/* rows of ceptoar.services: sector roots and the catalogue, in value order */
Datum
catalog_services(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i = 0;

	InitMaterializedSRF(fcinfo, 0);
	for (int s = 1; s <= CR_NSECTORS; s++)
	{
		put_service(rsinfo, cr_service_info(CR_SERVICE(s, 0, 0, 0)));
		for (; i < cr_nservices && CR_SERVICE_SECTOR(cr_services[i].id) == s; i++)
			put_service(rsinfo, &cr_services[i]);
	}
	return (Datum) 0;
}
