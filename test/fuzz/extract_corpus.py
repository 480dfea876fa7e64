#!/usr/bin/env python3
"""Seed corpora and dictionaries for the fuzz targets, from the regression tests.

    extract_corpus.py TOP CORPUS_DIR DICT_DIR
        Text seeds: every SQL string literal of sql/*.sql, test/*.sql and README.md
        cast to a ceptoar type, or whose content looks like a value of one; every
        value printed in expected/*.out; every input quoted by an "invalid input
        syntax for type ceptoar.X" error.  Written to CORPUS_DIR/<type>_in/.
        Dictionaries of the words each type's parser knows, taken from the C
        catalogues in src/, to DICT_DIR/<type>.dict.

    extract_corpus.py --binary-extra TYPE DIR
        Adds hand-made malformed binary seeds for TYPE's receive target to DIR
        (the well-formed ones are made by the text targets, see Makefile).
"""
import hashlib
import os
import re
import sys

TYPES = ("sector", "service", "incident", "criterion", "tlp")
MAX_SEEDS = 600

CRITERION_WORDS = re.compile(
    r"^\s*(not\b|\(|any\b|users\b|households\b|lost_kw\b|cancelled\b|duration\b|effect\s+in\b|"
    r"rights_impaired\b|water_quality\b|cargo_lost\b|records_impaired\b)", re.I)
TLP_LIKE = re.compile(r"^[\s\u3000]*(tlp\s*[:\-]?\s*)?(clear|green|amber|amber\+strict|red|white)\b", re.I)
NAME_LIKE = re.compile(r"^[\s\u3000]*[^\s,=<>;{}]{1,60}[\s\u3000]*$")
SQL_LITERAL = re.compile(r"(?:\b[Ee])?'((?:[^']|'')*)'(\s*::\s*(?:ceptoar\.)?(\w+))?")
TYPED_PREFIX = re.compile(r"\b(?:ceptoar\.)?(sector|service|incident|criterion|tlp)\s+'((?:[^']|'')*)'")
ERROR_INPUT = re.compile(r'invalid input syntax for type ceptoar\.(\w+): "(.*)"$')


def classify(s):
    """The types a literal without a cast may be a value of."""
    if "service=" in s or "began=" in s:
        return ["incident"]
    if CRITERION_WORDS.match(s):
        return ["criterion"]
    if TLP_LIKE.match(s) or s.strip().lower().startswith("tlp"):
        return ["tlp"]
    if NAME_LIKE.match(s) and not re.match(r"^-?\d", s.strip()):
        return ["sector", "service"]
    return []


def add(seeds, typ, s):
    if typ in TYPES and s is not None and "\0" not in s and len(s.encode()) <= 16384:
        seeds[typ].add(s)


def from_sql(text, seeds):
    for m in TYPED_PREFIX.finditer(text):
        add(seeds, m.group(1), m.group(2).replace("''", "'"))
    for m in SQL_LITERAL.finditer(text):
        s = m.group(1).replace("''", "'")
        cast = m.group(3)
        if cast in TYPES:
            add(seeds, cast, s)
        else:
            for t in classify(s):
                add(seeds, t, s)


def from_expected(text, seeds):
    for line in text.splitlines():
        m = ERROR_INPUT.search(line)
        if m:
            add(seeds, m.group(1), m.group(2))
            continue
        for cell in line.split("|"):
            cell = cell.strip()
            if cell.startswith("service=") or (CRITERION_WORDS.match(cell) and len(cell) < 400):
                for t in classify(cell):
                    add(seeds, t, cell)


def c_strings(path):
    with open(path, encoding="utf-8") as f:
        return re.findall(r'"((?:[^"\\]|\\.)*)"', f.read())


def dict_entry(word):
    out = []
    for b in word.encode("utf-8"):
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C):
            out.append(chr(b))
        else:
            out.append("\\x%02X" % b)
    return '"' + "".join(out) + '"'


def write_dicts(top, dict_dir):
    src = os.path.join(top, "src")
    sector_words = [s for s in c_strings(os.path.join(src, "sector.c"))
                    if s and len(s) < 80 and not s.endswith(".h")
                    and not s.startswith(("seed", "4th Action", "3rd Action", "Action Plan"))]
    service_words = set()
    for s in c_strings(os.path.join(src, "service.c")):
        if re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)+", s):
            service_words.add(s)
            service_words.update(s.split("."))
            service_words.add("." + s.split(".", 1)[1])
    service_words.update(w for w in sector_words if re.fullmatch(r"[a-z]+", w))
    sector_extra = [" ", "\u3000", "(", ")", "\uff08", "\uff09", "\u30fb"]
    incident_words = ["service=", "effect=", "began=", "lasted=", "cause=", "users=",
                      "households=", "lost_kw=", "cancelled=", "flags=", ", ", "unknown",
                      "ongoing", "stop", "degradation", "delay", "loss", "attack", "failure",
                      "error", "disaster", "cascade", "{", "}", "rights_impaired",
                      "water_quality", "cargo_lost", "records_impaired", "2024-01-15",
                      "0001-01-01", "9999-12-31", " 09:00", "T23:59:59.999999", "+09", "Z",
                      "UTC", "-15:59", " d", " h", " min", " s", " days", " hours", "1.5",
                      "9223372036854775807", "_000"]
    criterion_words = ["not ", " and ", " or ", "(", ")", "any", "users", "households",
                       "lost_kw", "cancelled", "duration", "effect in (", "stop", "degradation",
                       "delay", "loss", ">=", ">", "<=", "<", "=", "<>", "!=", "rights_impaired",
                       "water_quality", "cargo_lost", "records_impaired", " d", " h", " min",
                       " s", "30000", "9223372036854775807", "_000", ".5"]
    tlp_words = [s for s in c_strings(os.path.join(src, "tlp.c"))
                 if re.fullmatch(r"[a-z+:]+", s)]
    tlp_words += ["TLP:", "tlp:", "TLP", ":", "+", "+strict", " ", "\u3000", "CLEAR", "GREEN", "AMBER",
                  "AMBER+STRICT", "RED", "WHITE"]
    words = {
        "sector": sector_words + sector_extra,
        "service": sorted(service_words) + sector_words + sector_extra,
        "incident": incident_words + sorted(service_words),
        "criterion": criterion_words,
        "tlp": tlp_words,
    }
    os.makedirs(dict_dir, exist_ok=True)
    for t, ws in words.items():
        seen = []
        for w in ws:
            if w not in seen:
                seen.append(w)
        with open(os.path.join(dict_dir, t + ".dict"), "w") as f:
            f.write("# generated by extract_corpus.py from src/\n")
            f.writelines(dict_entry(w) + "\n" for w in seen)


def write_seeds(dirname, items):
    os.makedirs(dirname, exist_ok=True)
    for old in os.listdir(dirname):
        os.unlink(os.path.join(dirname, old))
    for data in items:
        name = "seed-" + hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(dirname, name), "wb") as f:
            f.write(data)


def binary_extra(typ, dirname):
    extra = [b"", b"\x00", b"\x01", b"\x02", b"\x02gas", b"\x01\x00", b"\x01gas\x00",
             b"\x01\xe9\x9b\xbb\xe5\x8a\x9b", b"\x01\xff\xfe", b"\x01 Gas ", b"\x01" + b"a" * 200]
    if typ == "incident":
        head = b"\x01\x00\x05\x00\x00"
        z8 = b"\x00" * 8
        extra += [head + z8 * 6 + b"gas.supply",
                  head + z8 * 6,
                  head + b"\x7f" + b"\xff" * 7 + z8 * 5 + b"gas.supply",
                  b"\x01\x09\x09\xff\xff" + b"\x80" + b"\x00" * 7 + b"\xff" * 40 + b"gas"]
    if typ == "criterion":
        extra += [b"\x01not any", b"\x01(" * 70, b"\x01users >= 9223372036854775808"]
    if typ == "tlp":
        extra += [b"\x01\x04", b"\x01\x05", b"\x01\xff", b"\x00\x02", b"\x02\x02", b"\x01\x03\x00",
                  b"\x01\x80", b"\xff\x00"]
    for data in extra:
        name = "extra-" + hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(dirname, name), "wb") as f:
            f.write(data)


def main():
    if sys.argv[1] == "--binary-extra":
        binary_extra(sys.argv[2], sys.argv[3])
        return
    top, corpus_dir, dict_dir = sys.argv[1:4]
    seeds = {t: set() for t in TYPES}
    for sub in ("sql", "test"):
        d = os.path.join(top, sub)
        for name in sorted(os.listdir(d)):
            if name.endswith((".sql", ".psql")):
                with open(os.path.join(d, name), encoding="utf-8") as f:
                    from_sql(f.read(), seeds)
    with open(os.path.join(top, "README.md"), encoding="utf-8") as f:
        from_sql(f.read(), seeds)
    d = os.path.join(top, "expected")
    for name in sorted(os.listdir(d)):
        if name.endswith(".out"):
            with open(os.path.join(d, name), encoding="utf-8") as f:
                from_expected(f.read(), seeds)
    # a few deep and long ones the tests build with repeat()
    seeds["criterion"].update(["not " * 64 + "any", "not " * 65 + "any",
                               "(" * 64 + "any" + ")" * 64, "not (" * 32 + "any" + ")" * 32,
                               " or ".join(["users >= 1"] * 130)])
    for t in TYPES:
        items = sorted(s.encode("utf-8") for s in seeds[t])
        items.sort(key=len)
        write_seeds(os.path.join(corpus_dir, t + "_in"), items[:MAX_SEEDS])
        print("%s/%s_in: %d seeds" % (corpus_dir, t, min(len(items), MAX_SEEDS)))
    write_dicts(top, dict_dir)


if __name__ == "__main__":
    main()
