"""What SYKE's ALas emission files hold, and a file's rows read and checked.

Two layouts (docs/emissions.md):

- per municipality, ``kunta_<kuntanumero>.csv``: ``;``-separated, decimal comma,
  ``NA`` for missing; columns ``vuosi``, ``taso_3``, ``taso_4``, ``taso_5`` (sector
  levels as abbreviations), ``hinku_laskenta``, ``päästökauppa``, ``kt``,
  ``kt_tuuli``, ``GWh``; the municipality is the file's;
- all municipalities, ``KAIKKI KUNNAT_ALas <version>_<years>.xlsx``, sheet ``DATA``:
  ``vuosi``, ``kuntanumero``, ``kunta``, ``maakunta``, ``taso_1`` ... ``taso_5`` (full
  names), ``hinku-laskenta``, ``päästökauppa`` (``On``/``Ei``), ``ktCO2e``,
  ``ktCO2e_tuuli``, ``energiankulutus (GWh)``.

Either layout may come with the other's spellings (a CSV export of the workbook, a
renamed file): headers are matched loosely, levels may be codes or names, and the
booleans may be ``TRUE``/``FALSE``, ``true``/``false``, ``1``/``0`` or ``On``/``Ei``. A
year written ``2023e`` (or a file name with ``2005-2023e``) is preliminary.

The sector codes are SYKE's, one list per level (one code can mean different things
on different levels: ``MaL`` is Maalämpö at level 4 and Matkustajaliikenne at level
5); levels 1 and 2 follow from level 3. An unknown code is kept as it is, with a
warning.

The module is long because about a hundred lines of it are SYKE's sector table;
the parsers check every row against that table, and keeping the two together
keeps what a SYKE file means in one place.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from tracker import rules
from tracker.spreadsheet.plan import Problem
from tracker.spreadsheet.read import UnusableFile

# -- the sectors --

# level-3 code, its name, and the level-1 and level-2 names it falls under
LEVEL_3: tuple[tuple[str, str, str, str], ...] = (
    ("Kul", "Kulutussähkö", "Energia", "Kulutussähkö"),
    ("Säh", "Sähkölämmitys", "Energia", "Rakennusten lämmitys"),
    ("Kau", "Kaukolämpö", "Energia", "Rakennusten lämmitys"),
    ("Ölj", "Öljylämmitys", "Energia", "Rakennusten lämmitys"),
    ("Muu", "Muu lämmitys", "Energia", "Rakennusten lämmitys"),
    ("Teo", "Teollisuus", "Energia", "Teollisuus ja työkoneet"),
    ("Työ", "Työkoneet", "Energia", "Työkoneet"),
    ("Tie", "Tieliikenne", "Energia", "Liikenne"),
    ("Rai", "Raideliikenne", "Energia", "Liikenne"),
    ("Ves", "Vesiliikenne", "Energia", "Liikenne"),
    ("Maa", "Maatalous", "Maatalous", "Maatalous"),
    ("Jät", "Jätteiden käsittely", "Jätteiden käsittely", "Jätteiden käsittely"),
    ("F-k", "F-kaasut", "Teollisuusprosessit", "F-kaasut"),
    ("Tuu", "Päästöhyvitykset", "Kompensaatiot", "Kompensaatiot"),
)
LEVEL_4 = {
    "Kul": "Kulutussähkö",
    "Säh": "Sähkölämmitys",
    "Kau": "Kaukolämpö",
    "Ölj": "Öljylämmitys",
    "Muu": "Muu lämmitys",
    "MaL": "Maalämpö",
    "Puu": "Puulämmitys",
    "Kad": "Kadut",
    "Ti": "Tiet",
    "TaL": "Tavaraliikenne",
    "HeL": "Henkilöliikenne",
    "LäL": "Lähiliikenne",
    "Läp": "Läpiajoliikenne",
    "MoM": "Moottoripyörät ja mopot",
    "HuV": "Huviveneet",
    "Lai": "Laivat",
    "TyV": "Työveneet",
    "Teo": "Teollisuus",
    "Työ": "Työkoneet",
    "Maa": "Maatalous",
    "Kot": "Kotieläimet",
    "Pel": "Peltoviljely",
    "Kom": "Kompostointi",
    "Mäd": "Mädätys",
    "JäP": "Jätevesien puhdistus",
    "Kaa": "Kaatopaikat",
    "AjI": "Ajoneuvojen ilmastointilaitteet",
    "RaI": "Rakennusten ilmastointilaitteet",
    "KAK": "Kaupan ja ammattikeittiöiden kylmälaitteet",
    "MuF": "Muut F-kaasujen lähteet",
    "Tuu": "Tuulivoima",
}
LEVEL_5 = {
    "Asu": "Asuminen",
    "Pal": "Palvelut",
    "Teo": "Teollisuus",
    "Maa": "Maatalous",
    "TeP": "Teollisuuden polttoaineet",
    "MuT": "Muut työkoneet",
    "MMK": "Maa- ja metsätalouskoneet",
    "RaK": "Rakennustyökoneet",
    "Kai": "Kaivos- ja teollisuustyökoneet",
    "TiK": "Tietyökoneet",
    "HuV": "Huviveneet",
    "MaL": "Matkustajaliikenne",
    "TaL": "Tavaraliikenne",
    "Kal": "Kalastusalukset",
    "Lau": "Lautat ja lossit",
    "TyV": "Työveneet ja alukset",
    "Elä": "Eläinten ruuansulatus",
    "Lai": "Laidunnus",
    "Epä": "Epäorgaaniset lannoitteet",
    "Lan": "Lannankäsittely",
    "Ma": "Maaperä",
    "MuV": "Muut viljelysmaiden päästöt",
    "Org": "Orgaaniset lannoitteet",
    "Yhd": "Yhdyskuntajäte",
    "KAK": "Kaupan ja ammattikeittiöiden kylmälaitteet",
    "RaI": "Rakennusten ilmastointilaitteet",
    "AjI": "Ajoneuvojen ilmastointilaitteet",
    "MuF": "Muut F-kaasujen lähteet",
    "Hen": "Henkilöautot",
    "KuA": "Kuorma-autot",
    "LiA": "Linja-autot",
    "PaA": "Pakettiautot",
    "Läp": "Läpiajoliikenne",
    "MoM": "Moottoripyörät ja mopot",
    "Met": "Metrot ja raitiovaunut",
    "LäJ": "Lähijunat",
    "Die": "Diesel",
    "Sä": "Sähkö",
    "Tuu": "Tuulivoima",
}
LEVEL_3_BY_CODE = {code: (name, level_1, level_2) for code, name, level_1, level_2 in LEVEL_3}
LEVEL_3_BY_NAME = {name: (code, level_1, level_2) for code, name, level_1, level_2 in LEVEL_3}
# Older workbooks name the credit rows' level 3 "Tuulivoima"; credits may grow beyond wind (CCS).
CREDIT_LEVEL_1 = "Kompensaatiot"
CREDIT_LEVEL_3 = frozenset({"Päästöhyvitykset", "Tuulivoima"})

# -- the files --

# Column key -> the headers SYKE has used for it (compared folded: lower case, "-" and
# spaces as "_"). Known columns the import does not need are listed as None.
HEADERS: dict[str, tuple[str, ...]] = {
    "year": ("vuosi",),
    "municipality": ("kuntanumero", "kuntanro", "kunta_nro", "kuntakoodi"),
    "level_1": ("taso_1",),
    "level_2": ("taso_2",),
    "level_3": ("taso_3",),
    "level_4": ("taso_4",),
    "level_5": ("taso_5",),
    "hinku": ("hinku_laskenta", "hinku"),
    "ets": ("päästökauppa", "paastokauppa"),
    "kt": ("kt", "ktco2e", "kt_co2e"),
    "kt_wind": ("kt_tuuli", "ktco2e_tuuli", "kt_co2e_tuuli"),
    "gwh": ("gwh", "energiankulutus_(gwh)", "energiankulutus"),
}
IGNORED_HEADERS = ("kunta", "maakunta", "kunta_fi", "maakunta_fi")
REQUIRED = ("year", "level_3", "hinku", "ets", "kt")
TRUE_WORDS = frozenset({"true", "1", "on", "kyllä", "yes"})
FALSE_WORDS = frozenset({"false", "0", "ei", "no"})
MISSING_WORDS = frozenset({"", "na", "null", "nan", "#n/a"})
# values are stored with 9 decimals (DECIMAL(24, 9)); SYKE's CSV writes up to 15 digits
KT_QUANTUM = Decimal("0.000000001")
KT_LARGEST = Decimal("1000000000")
# a file stops listing errors after this many (the count goes on)
MAX_ERRORS = 200

_FILE_NUMBER = re.compile(r"(?i)kunta_(\d{1,3})(?!\d)")
_MODEL_VERSION = re.compile(r"(?i)ALas[ _]?(\d+(?:[.,]\d+)*)")
_PRELIMINARY_IN_NAME = re.compile(r"(?<!\d)(\d{4})[eE](?![A-Za-z])|(?<![A-Za-z])[eE](\d{4})(?!\d)")
_YEAR_TEXT = re.compile(r"^(?:(\d{4})\s*[eE]?|[eE]\s*(\d{4}))$")


def fold_header(name) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


_HEADER_KEYS = {fold_header(alias): key for key, aliases in HEADERS.items() for alias in aliases}


@dataclass(frozen=True)
class FileName:
    """What a SYKE file's name says: the municipality (kunta_167.csv), the ALas version
    (ALas 1.7) and the preliminary year (2005-2023e)."""

    municipality_number: int | None
    model_version: str | None
    preliminary_years: frozenset[int]


def read_file_name(name: str) -> FileName:
    number = _FILE_NUMBER.search(name)
    version = _MODEL_VERSION.search(name)
    preliminary = {int(a or b) for a, b in _PRELIMINARY_IN_NAME.findall(name)}
    return FileName(
        int(number[1]) if number else None,
        f"ALas {version[1].replace(',', '.')}" if version else None,
        frozenset(y for y in preliminary if rules.year_in_range(y)),
    )


class CellError(Exception):
    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and value.strip().lower() in MISSING_WORDS


def parse_year(value) -> tuple[int, bool]:
    """(year, preliminary) of ``2023``, ``2023.0``, ``"2023"``, ``"2023e"`` or ``"E2023"``."""
    if isinstance(value, bool) or _is_missing(value):
        raise CellError("syke.cell.year", value=str(value if value is not None else "")[:40])
    preliminary = False
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise CellError("syke.cell.year", value=str(value)[:40])
        year = int(value)
    else:
        found = _YEAR_TEXT.match(str(value).strip())
        if not found:
            raise CellError("syke.cell.year", value=str(value).strip()[:40])
        year = int(found[1] or found[2])
        preliminary = "e" in str(value).lower()
    if not rules.year_in_range(year):
        raise CellError("syke.cell.year", value=str(value).strip()[:40])
    return year, preliminary


def parse_flag(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = "" if value is None else str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError("syke.cell.flag", value=str(value if value is not None else "")[:40])


def parse_kt(value) -> Decimal | None:
    """A number as SYKE writes it (decimal comma, ``NA``, maybe ``1,5e-05``), or None."""
    if _is_missing(value):
        return None
    if isinstance(value, bool):
        raise CellError("syke.cell.number", value=str(value))
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise CellError("syke.cell.number", value=str(value))
        # Excel holds binary floats: their shortest form is what the file shows
        number = Decimal(repr(value))
    elif isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
        if text.count(",") > 1 or ("," in text and "." in text):
            raise CellError("syke.cell.number", value=value.strip()[:40])
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise CellError("syke.cell.number", value=value.strip()[:40]) from None
    else:
        raise CellError("syke.cell.number", value=str(value)[:40])
    if not number.is_finite() or abs(number) >= KT_LARGEST:
        raise CellError("syke.cell.number", value=str(value)[:40])
    return number.quantize(KT_QUANTUM, rounding=ROUND_HALF_EVEN)


def parse_text(value) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, (datetime, date)) or isinstance(value, bool):
        raise CellError("syke.cell.text", value=str(value)[:40])
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if len(text) > rules.NAME_MAX or "\x00" in text:
        raise CellError("syke.cell.text", value=text[:40])
    return text


def parse_municipality(value) -> int:
    if isinstance(value, bool) or _is_missing(value):
        raise CellError("syke.cell.municipality", value=str(value if value is not None else "")[:40])
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise CellError("syke.cell.municipality", value=str(value).strip()[:40]) from None
    if (
        not number.is_finite()
        or number != number.to_integral_value()
        or not rules.MIN_MUNICIPALITY_NUMBER <= number <= rules.MAX_MUNICIPALITY_NUMBER
    ):
        raise CellError("syke.cell.municipality", value=str(value).strip()[:40])
    return int(number)


@dataclass
class Columns:
    """Column key -> index in the file, and the header the file gave it (for messages)."""

    index: dict[str, int]
    header: dict[str, str]
    warnings: list[Problem]


def map_columns(headers: list) -> Columns:
    """The file's columns; UnusableFile when a required one is missing or one is there twice."""
    index: dict[str, int] = {}
    names: dict[str, str] = {}
    warnings = []
    ignored = {fold_header(h) for h in IGNORED_HEADERS}
    for position, raw in enumerate(headers):
        name = "" if raw is None else str(raw).strip()
        folded = fold_header(name)
        if not folded or folded.startswith("unnamed") or folded in ignored:
            continue
        key = _HEADER_KEYS.get(folded)
        if key is None:
            warnings.append(Problem(1, name, "syke.warning.unknown_column", {"column": name[:60]}))
            continue
        if key in index:
            raise UnusableFile(name, key="syke.file.duplicate_column", column=name[:60])
        index[key] = position
        names[key] = name
    missing = [key for key in REQUIRED if key not in index]
    if missing:
        wanted = ", ".join(HEADERS[key][0] for key in missing)
        raise UnusableFile(wanted, key="syke.file.missing_columns", columns=wanted)
    return Columns(index, names, warnings)


@dataclass
class ReadRows:
    """A file's rows, checked: per municipality number (None: the file's one
    municipality), every problem by row and column, and what the file says."""

    rows: dict[int | None, list[dict]] = field(default_factory=dict)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    row_count: int = 0
    error_count: int = 0
    duplicates: int = 0
    preliminary_years: set[int] = field(default_factory=set)
    municipalities: set[int] = field(default_factory=set)


class RowReader:
    """Reads rows one at a time into ReadRows. ``wanted``: only these municipality numbers
    are kept (the rest are counted, not checked); ``preliminary``: years to mark
    preliminary besides those the rows mark."""

    def __init__(self, columns: Columns, *, wanted: set[int] | None = None, preliminary: frozenset[int] = frozenset()):
        self.columns = columns
        self.wanted = wanted
        self.result = ReadRows(warnings=list(columns.warnings))
        self.preliminary = set(preliminary)
        self._seen: set[tuple] = set()
        self._unknown: dict[tuple[str, str], list[int]] = {}

    def _error(self, row: int, key: str | None, error_key: str, params: dict) -> None:
        self.result.error_count += 1
        if len(self.result.errors) < MAX_ERRORS:
            column = self.columns.header.get(key) if key else None
            self.result.errors.append(Problem(row, column, error_key, params))

    def _cell(self, values: list, key: str):
        position = self.columns.index.get(key)
        return None if position is None or position >= len(values) else values[position]

    def municipality_of(self, values: list) -> int | None:
        """The row's municipality number, for a file that has the column (else None)."""
        if "municipality" not in self.columns.index:
            return None
        return parse_municipality(self._cell(values, "municipality"))

    def add(self, number: int, values: list) -> None:
        """Check one row (``number`` as the file's reader counts rows) and keep it."""
        if all(_is_missing(v) for v in values):
            return
        self.result.row_count += 1
        try:
            municipality = self.municipality_of(values)
        except CellError as problem:
            self._error(number, "municipality", problem.key, problem.params)
            return
        if municipality is not None:
            self.result.municipalities.add(municipality)
            if self.wanted is not None and municipality not in self.wanted:
                return
        parsed, problems = {}, []
        for key in self.columns.index:
            refused = self._cell(values, key)
            if not isinstance(refused, (str, int, float)) and hasattr(refused, "key"):
                # a cell the table reader would not hand on (a NUL, an over-long cell): its own message
                problems.append((key, CellError(refused.key, **dict(getattr(refused, "params", {})))))
        if problems:
            for key, problem in problems:
                self._error(number, key, problem.key, problem.params)
            return
        for key, parse in (
            ("year", parse_year),
            ("hinku", parse_flag),
            ("ets", parse_flag),
            ("kt", parse_kt),
            ("kt_wind", parse_kt),
            ("gwh", parse_kt),
            *((f"level_{level}", parse_text) for level in range(1, 6)),
        ):
            try:
                parsed[key] = parse(self._cell(values, key))
            except CellError as problem:
                problems.append((key, problem))
        if parsed.get("level_3") is None and not any(key == "level_3" for key, _ in problems):
            problems.append(("level_3", CellError("syke.cell.level_missing")))
        for key, problem in problems:
            self._error(number, key, problem.key, problem.params)
        if problems:
            return
        year, marked = parsed["year"]
        if marked:
            self.result.preliminary_years.add(year)
        row = self._sectors(number, parsed)
        row.update(
            year=year,
            is_hinku=parsed["hinku"],
            is_ets=parsed["ets"],
            kt=parsed["kt"],
            kt_wind=parsed["kt_wind"],
            gwh=parsed["gwh"],
        )
        identity = (municipality, *row.values())
        if identity in self._seen:
            self.result.duplicates += 1
            return
        self._seen.add(identity)
        self.result.rows.setdefault(municipality, []).append(row)

    def _sectors(self, number: int, parsed: dict) -> dict:
        """Levels 1-5 as names; level 3's code; whether the row is a credit."""
        raw_3 = parsed["level_3"]
        if raw_3 in LEVEL_3_BY_CODE:
            code = raw_3
            name_3, level_1, level_2 = LEVEL_3_BY_CODE[raw_3]
        elif raw_3 in LEVEL_3_BY_NAME:
            name_3 = raw_3
            code, level_1, level_2 = LEVEL_3_BY_NAME[raw_3]
        else:
            code, name_3, level_1, level_2 = None, raw_3, None, None
            if parsed["level_1"] is None or parsed["level_2"] is None:
                self._unknown.setdefault(("3", raw_3), []).append(number)
        # the workbook's own levels 1 and 2 are SYKE's word; a CSV has none
        level_1 = parsed["level_1"] or level_1 or name_3
        level_2 = parsed["level_2"] or level_2 or name_3
        levels = {}
        for level, known in ((4, LEVEL_4), (5, LEVEL_5)):
            raw = parsed[f"level_{level}"]
            if raw is None or raw in known.values():
                levels[level] = raw
            elif raw in known:
                levels[level] = known[raw]
            else:
                levels[level] = raw
                self._unknown.setdefault((str(level), raw), []).append(number)
        credit = code == "Tuu" or level_1 == CREDIT_LEVEL_1 or name_3 in CREDIT_LEVEL_3
        return {
            "level_1": level_1,
            "level_2": level_2,
            "level_3": name_3,
            "level_4": levels[4],
            "level_5": levels[5],
            "sector_code": code,
            "is_credit": credit,
        }

    def finish(self) -> ReadRows:
        """The rows with their preliminary marks, and the warnings about unknown codes and duplicates."""
        result = self.result
        years = result.preliminary_years | self.preliminary
        result.preliminary_years = years
        for rows in result.rows.values():
            for row in rows:
                row["is_preliminary"] = row["year"] in years
        for (level, code), numbers in self._unknown.items():
            shown = ", ".join(str(n) for n in numbers[:5]) + (" …" if len(numbers) > 5 else "")
            result.warnings.append(
                Problem(
                    numbers[0],
                    self.columns.header.get(f"level_{level}"),
                    "syke.warning.unknown_code",
                    {"code": code[:60], "level": level, "rows": shown, "count": len(numbers)},
                )
            )
        if result.duplicates:
            result.warnings.append(Problem(None, None, "syke.warning.duplicates", {"count": result.duplicates}))
        if result.error_count > len(result.errors):
            result.errors.append(
                Problem(None, None, "syke.errors_more", {"count": result.error_count - len(result.errors)})
            )
        return result
