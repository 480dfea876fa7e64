"""psycopg 3 adapters for ceptoar_registry's types (sector, service, tlp, criterion, incident).

Without them psycopg 3 reads our types as str in text mode and as raw bytes in binary
mode (cursor(binary=True), COPY ... (FORMAT binary)), and sends Python str parameters
as text.  With them both modes give the same Python values and parameters go out with
the right type:

    import psycopg, ceptoar_psycopg
    conn = psycopg.connect(...)
    ceptoar_psycopg.register(conn)          # or a cursor; once per connection
    conn.execute("INSERT INTO t (s) VALUES (%b)", [ceptoar_psycopg.Sector("gas")])
    conn.cursor(binary=True).execute("SELECT s, i FROM t").fetchall()

Values: Sector, Service, Tlp and Criterion are str subclasses holding the canonical
text (what the server prints); Incident is a dataclass (service, began, lasted, ongoing,
effect, cause, users, households, lost_kw, cancelled, flags), None where unknown.
The binary formats are those documented in the README ("Binary formats"); version 1.
Works with the Debian 12 package python3-psycopg (3.1); no other dependency.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re
import struct
from typing import FrozenSet, Optional

from psycopg.adapt import Dumper, Loader, PyFormat
from psycopg.pq import Format
from psycopg.types import TypeInfo

__all__ = ["Sector", "Service", "Tlp", "Criterion", "Incident", "register"]

VERSION = 1
TLP_LABELS = ("clear", "green", "amber", "amber+strict", "red")
EFFECTS = ("stop", "degradation", "delay", "loss")
CAUSES = ("attack", "failure", "error", "disaster", "cascade", "unknown")
MEASURES = ("users", "households", "lost_kw", "cancelled")
FLAGS = ("rights_impaired", "water_quality", "cargo_lost", "records_impaired")
KNOWN_LASTED = 0x10
ONGOING = 0x20
PG_EPOCH = _dt.datetime(2000, 1, 1, tzinfo=_dt.timezone.utc)
_INCIDENT_HEAD = struct.Struct(">BBBBBqqqqqq")


class Sector(str):
    """a sector's code, e.g. 'gas'"""


class Service(str):
    """a service's path, e.g. 'finance.bank.deposit'"""


class Tlp(str):
    """a TLP 2.0 label, e.g. 'amber+strict'"""


class Criterion(str):
    """a threshold rule in canonical form, e.g. 'users >= 30000 and duration >= 2 h'"""


@dataclasses.dataclass(frozen=True)
class Incident:
    service: str
    began: _dt.datetime
    lasted: Optional[_dt.timedelta] = None
    ongoing: bool = False
    effect: str = "stop"
    cause: str = "unknown"
    users: Optional[int] = None
    households: Optional[int] = None
    lost_kw: Optional[int] = None
    cancelled: Optional[int] = None
    flags: FrozenSet[str] = frozenset()

    def to_text(self) -> str:
        """the incident's input syntax (what the text dumper sends)"""
        parts = [f"service={self.service}", f"effect={self.effect}",
                 f"began={self.began.isoformat(sep=' ')}"]
        if self.lasted is not None:
            parts.append(f"lasted={_seconds_text(self.lasted)} s")
        elif self.ongoing:
            parts.append("lasted=ongoing")
        parts.append(f"cause={self.cause}")
        for m in MEASURES:
            v = getattr(self, m)
            if v is not None:
                parts.append(f"{m}={v}")
        parts.append("flags={" + ",".join(f for f in FLAGS if f in self.flags) + "}")
        return ", ".join(parts)


def _seconds_text(td: _dt.timedelta) -> str:
    us = (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds
    s, frac = divmod(us, 1_000_000)
    return f"{s}.{frac:06d}".rstrip("0").rstrip(".") if frac else str(s)


def _usec(td: _dt.timedelta) -> int:
    return (td.days * 86400 + td.seconds) * 1_000_000 + td.microseconds


_DURATION_UNITS = {"d": 86400, "h": 3600, "min": 60, "s": 1}
_DURATION_PART = re.compile(r"([0-9]+(?:\.[0-9]+)?) (d|h|min|s)")


def _parse_duration(text: str) -> _dt.timedelta:
    total = _dt.timedelta()
    for num, unit in _DURATION_PART.findall(text):
        total += _dt.timedelta(seconds=float(num) * _DURATION_UNITS[unit]) if "." in num \
            else _dt.timedelta(seconds=int(num) * _DURATION_UNITS[unit])
    return total


def _parse_timestamp(text: str) -> _dt.datetime:
    # the server prints e.g. 2024-01-15 09:00:00.5+09 or ...+05:30
    m = re.fullmatch(r"(.*?)([+-][0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?", text)
    if not m:
        raise ValueError(f"cannot read timestamp {text!r}")
    base, hh, mm, ss = m.groups()
    sign = -1 if hh[0] == "-" else 1
    off = _dt.timedelta(hours=abs(int(hh)), minutes=int(mm or 0), seconds=int(ss or 0))
    naive = _dt.datetime.fromisoformat(base.strip())
    return naive.replace(tzinfo=_dt.timezone(sign * off))


def parse_incident(text: str) -> Incident:
    """an Incident from the server's canonical text"""
    flags_at = text.index("flags={")
    fields = dict(p.split("=", 1) for p in text[:flags_at].rstrip(", ").split(", "))
    flags = text[flags_at + len("flags={"):text.rindex("}")]
    lasted = fields.get("lasted", "unknown")
    kw = {m: (None if fields.get(m, "unknown") == "unknown" else int(fields[m])) for m in MEASURES}
    return Incident(service=fields["service"], began=_parse_timestamp(fields["began"]),
                    lasted=None if lasted in ("unknown", "ongoing") else _parse_duration(lasted),
                    ongoing=lasted == "ongoing", effect=fields.get("effect", "stop"),
                    cause=fields.get("cause", "unknown"),
                    flags=frozenset(f for f in flags.split(",") if f), **kw)


def _check_version(data: bytes, typname: str) -> None:
    if len(data) < 1 or data[0] != VERSION:
        raise ValueError(f"unsupported binary format for ceptoar.{typname}: "
                         f"version {data[0] if data else None}, this adapter reads {VERSION}")


def decode_incident(data: bytes) -> Incident:
    _check_version(data, "incident")
    (_, effect, cause, known, flags, began, lasted,
     *measures) = _INCIDENT_HEAD.unpack_from(data)
    code = bytes(data[_INCIDENT_HEAD.size:]).decode("utf-8")
    kw = {m: (measures[i] if known & (1 << i) else None) for i, m in enumerate(MEASURES)}
    return Incident(service=code, began=PG_EPOCH + _dt.timedelta(microseconds=began),
                    lasted=_dt.timedelta(microseconds=lasted) if known & KNOWN_LASTED else None,
                    ongoing=bool(known & ONGOING), effect=EFFECTS[effect], cause=CAUSES[cause],
                    flags=frozenset(f for i, f in enumerate(FLAGS) if flags & (1 << i)), **kw)


def encode_incident(inc: Incident) -> bytes:
    known = 0
    values = []
    for i, m in enumerate(MEASURES):
        v = getattr(inc, m)
        if v is not None:
            known |= 1 << i
        values.append(v or 0)
    if inc.lasted is not None:
        known |= KNOWN_LASTED
    elif inc.ongoing:
        known |= ONGOING
    began = inc.began
    if began.tzinfo is None:
        raise ValueError("Incident.began needs a time zone")
    flags = sum(1 << i for i, f in enumerate(FLAGS) if f in inc.flags)
    return _INCIDENT_HEAD.pack(VERSION, EFFECTS.index(inc.effect), CAUSES.index(inc.cause), known,
                               flags, _usec(began - PG_EPOCH),
                               _usec(inc.lasted) if inc.lasted is not None else 0,
                               *values) + inc.service.encode("utf-8")


def _name_classes(cls, typname):
    class TextLoader(Loader):
        format = Format.TEXT

        def load(self, data):
            return cls(bytes(data).decode("utf-8"))

    class BinaryLoader(Loader):
        format = Format.BINARY

        def load(self, data):
            data = bytes(data)
            _check_version(data, typname)
            if cls is Tlp:
                return Tlp(TLP_LABELS[data[1]])
            return cls(data[1:].decode("utf-8"))

    class TextDumper(Dumper):
        format = Format.TEXT

        def dump(self, obj):
            return str(obj).encode("utf-8")

    class BinaryDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            # the canonical text only: send Tlp labels as the server prints them
            if cls is Tlp:
                return bytes([VERSION, TLP_LABELS.index(str(obj).lower())])
            return bytes([VERSION]) + str(obj).encode("utf-8")

    return TextLoader, BinaryLoader, TextDumper, BinaryDumper


class _IncidentTextLoader(Loader):
    format = Format.TEXT

    def load(self, data):
        return parse_incident(bytes(data).decode("utf-8"))


class _IncidentBinaryLoader(Loader):
    format = Format.BINARY

    def load(self, data):
        return decode_incident(bytes(data))


class _IncidentTextDumper(Dumper):
    format = Format.TEXT

    def dump(self, obj):
        return obj.to_text().encode("utf-8")


class _IncidentBinaryDumper(Dumper):
    format = Format.BINARY

    def dump(self, obj):
        return encode_incident(obj)


def register(context, schema: str = "ceptoar") -> None:
    """Register the loaders and dumpers on a connection or cursor (arrays too)."""
    conn = getattr(context, "connection", context)
    adapters = context.adapters
    for typname, cls in (("sector", Sector), ("service", Service), ("tlp", Tlp),
                         ("criterion", Criterion), ("incident", Incident)):
        info = TypeInfo.fetch(conn, f"{schema}.{typname}")
        if info is None:
            raise LookupError(f"type {schema}.{typname} not found: is ceptoar_registry installed?")
        info.register(context)
        if cls is Incident:
            classes = (_IncidentTextLoader, _IncidentBinaryLoader,
                       _IncidentTextDumper, _IncidentBinaryDumper)
        else:
            classes = _name_classes(cls, typname)
        tl, bl, td, bd = classes
        adapters.register_loader(info.oid, tl)
        adapters.register_loader(info.oid, bl)
        # dumpers with the type's oid, so the server reads the parameter as our type
        td = type(td.__name__, (td,), {"oid": info.oid})
        bd = type(bd.__name__, (bd,), {"oid": info.oid})
        adapters.register_dumper(cls, td)
        adapters.register_dumper(cls, bd)
