"""The audit log as a reader sees it: actions, entities and fields in the
reader's language (tracker/messages/audit.toml), rows written under older
action names read in today's vocabulary, and times in Helsinki time with the
zone said (the log stores UTC)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from tracker import i18n
from tracker.write import audit

HELSINKI = ZoneInfo("Europe/Helsinki")


def local_time(utc: datetime, lang: str) -> str:
    """A stored UTC time as Helsinki time, zone named: "10.1.2022 14:05 (Helsinki)"."""
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
    parts = [name or entity_id or ""]
    if day is not None:
        parts.append(date_text(day))
    if section is not None:
        parts.append(f"§ {section}")
    return " ".join([word, *(part for part in parts if part)])


def changes_text(before, after, lang: str, value_text: Callable) -> str:
    """ "field: old → new; ..." with the fields named in the reader's language."""
    return "; ".join(
        f"{field_label(field, lang)}: {value_text(old)} → {value_text(new)}"
        for field, old, new in audit.describe_changes(before, after)
    )
