"""The audit log as a reader sees it: actions, entities, fields and values in
the reader's language (tracker/messages/audit.toml; a status, phase, outcome
or role as its word, euros and dates in the reader's format, a setting by its
label), rows written under older action names read in today's vocabulary, and
times in Helsinki time with the zone said (the log stores UTC)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tracker import i18n
from tracker.status import STATUSES
from tracker.write import audit

HELSINKI = ZoneInfo("Europe/Helsinki")
# Bookkeeping a reader has no use for in a list of changes.
UNSHOWN_FIELDS = frozenset({"version"})
DATE_FIELDS = frozenset({"start_date", "end_date", "decided_on"})
TIME_FIELDS = frozenset({"archived_at", "locked_until", "last_login_at"})


def local_time(utc: datetime, lang: str) -> str:
    """A stored UTC time as Helsinki time, zone named: "10.1.2022 14:05 (Helsinki)"."""
    if isinstance(utc, str):
        utc = datetime.fromisoformat(utc)
    if not isinstance(utc, datetime):
        utc = utc.to_pydatetime()
    local = utc.replace(tzinfo=UTC).astimezone(HELSINKI).replace(tzinfo=None)
    return i18n.t("audit.local_time", lang, time=i18n.format_datetime(local, lang))


def action_label(action: str, entity: str, lang: str) -> str:
    """What happened, in words; an action the vocabulary does not know is shown as stored."""
    key = f"audit.event.{audit.current_action(action, entity)}"
    return i18n.t(key, lang) if i18n.has(key) else action


def field_label(field: str, lang: str) -> str:
    key = f"audit.field.{field}"
    return i18n.t(key, lang) if i18n.has(key) else field


def entity_label(
    entity: str, entity_id: str | None, name: str | None, day, section, lang: str, *, date_text: Callable
) -> str:
    """The entity in words: "Talousarviorivi 6.1 · 2022 · 1275", "Päätös
    Kaupunginhallitus 10.1.2022 § 3", or the entity word and its id when the
    row is gone and its name with it."""
    entity, entity_id = audit.current_entity(entity, entity_id)
    key = f"audit.entity.{entity}"
    word = i18n.t(key, lang) if i18n.has(key) else entity
    if entity == "setting" and entity_id and i18n.has(f"setting.{entity_id}"):
        name = i18n.t(f"setting.{entity_id}", lang)
    parts = [name or entity_id or ""]
    if day is not None:
        parts.append(date_text(day))
    if section is not None:
        parts.append(f"§ {section}")
    return " ".join([word, *(part for part in parts if part)])


def value_text(field: str, value, lang: str, plain: Callable, names: dict | None = None) -> str:
    """A value of ``field`` as a reader reads it: codes as words, a reference by the name
    ``names[field][id]`` gives it (a theme, a cost centre), euros and dates in the
    reader's format, times in Helsinki time; anything else as ``plain`` shows it."""
    if value is None:
        return plain(value)
    if names and field in names and value in names[field]:
        return names[field][value]
    if field == "status" and value in STATUSES:
        return i18n.status_label(value, lang)
    if field == "phase":
        return i18n.phase_label(value, lang)
    if field in ("outcome", "role") and i18n.has(f"{field}.{value}"):
        return i18n.t(f"{field}.{value}", lang)
    if field.endswith("_eur"):
        return i18n.format_eur(value, lang, exact=True)
    if field in DATE_FIELDS and isinstance(value, str):
        return i18n.format_date(date.fromisoformat(value[:10]), lang)
    if field in TIME_FIELDS and isinstance(value, str):
        return local_time(value, lang)
    if field == "value" and str(value).strip().lower() in ("true", "false"):  # a yes/no setting stored as text
        return plain(str(value).strip().lower() == "true")
    return plain(value)


def changes_text(before, after, lang: str, plain: Callable, names: dict | None = None) -> str:
    """ "field: old → new; ..." with the fields and values in the reader's language
    (``names``: field -> id -> name, for references such as theme_id)."""
    return "; ".join(
        f"{field_label(field, lang)}: {value_text(field, old, lang, plain, names)}"
        f" → {value_text(field, new, lang, plain, names)}"
        for field, old, new in audit.describe_changes(before, after)
        if field not in UNSHOWN_FIELDS
    )
