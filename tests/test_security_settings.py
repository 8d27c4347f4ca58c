"""Settings with ranges (issue 17) and a settings page in words and widgets
(issue 12): every setting refuses a value out of its range with a message, a
stored value out of range (written before this release or by hand) never
crashes a page for anyone, and the admin is told which default is in use."""

from __future__ import annotations

import pytest

from tests.page_app import opened
from tracker import db, i18n, settings, write
from tracker.auth import SYSTEM, Caller
from tracker.errors import ValidationError
from ui.pages import PAGES

ADMIN = Caller(role="admin", email="admin@joensuu.example")
# The probe's cases: each made every page raise, or signed every user out.
PROBE_VALUES = {"stale_days": "99999999999", "upcoming_days": "3000000000", "session_idle_minutes": "-5"}
OUT_OF_RANGE = {
    "fresh_days": ["0", "-1", "3651", "1e3", "", "30 days"],
    "acceptable_days": ["0", "99999999999"],
    "stale_days": ["99999999999", "-180"],
    "upcoming_days": ["3000000000", "0"],
    "session_idle_minutes": ["-5", "0", "4", "1441", "NaN"],
    "public_programme_id": ["-1", "0", "abc", "99999999999"],
    "public_show_money": ["perhaps", "None"],
    "open_data_licence": ["", "x" * 201, "CC\nBY"],
    "open_data_licence_url": ["javascript:alert(1)", "ftp://x.example", "https://x.example/" + "a" * 500],
    "accessibility_feedback_contact": ["a" * 201, "a@b.example\n[x](https://evil.example)"],
    "accessibility_statement_date": ["28.11.2026", "0001-01-01", "2101-01-01"],
    "session_max_hours": ["0", "169", "-1", "12h"],
    "smtp_host": ["x" * 201, "mail\nexample"],
    "smtp_port": ["0", "65536", "smtp"],
    "smtp_security": ["tls", "", "STARTTLS please"],
    "smtp_user": ["x" * 201],
    "smtp_from": ["not an address", "a@b.example\nBcc: c@d.example"],
    "app_base_url": ["javascript:alert(1)", "ilmasto.example.fi"],
    "embed_allowed_origins": ["https://www.example.fi/path", "javascript:alert(1)", "https://"],
    "feedback_contact_retention_days": ["-1", "731", "a month"],
}
ANONYMOUS_PAGES = [page for page in PAGES if page.least_role == "anonymous"]


def store_by_hand(path, values: dict) -> None:
    """Write settings past the write service, as an older release or a person in the database could."""
    con = db.connect(path)
    try:
        for key, value in values.items():
            con.execute("DELETE FROM settings WHERE key = ?", [key])
            con.execute("INSERT INTO settings (key, value) VALUES (?, ?)", [key, value])
    finally:
        con.close()


def test_every_setting_has_a_range_and_a_label_in_every_language():
    assert set(OUT_OF_RANGE) == set(settings.DEFAULTS), "a new setting needs its out-of-range cases here"
    for key, (default, parser) in settings.DEFAULTS.items():
        assert parser not in (int, str, float), f"{key} has no range"
        parser(default)  # every default is inside its own range
        for lang in i18n.LANGUAGES:
            assert i18n.t(f"setting.{key}", lang) != key


@pytest.mark.parametrize(("key", "value"), [(k, v) for k, values in OUT_OF_RANGE.items() for v in values])
def test_a_setting_out_of_its_range_is_refused_with_a_message(con, key, value):
    with pytest.raises(ValidationError) as refused:
        write.settings.set_setting(con, SYSTEM, key, value)
    message_key, params = refused.value.problems[key]
    for lang in i18n.LANGUAGES:
        assert i18n.t(message_key, lang, **params)
    assert con.execute("SELECT count(*) FROM settings WHERE key = ?", [key]).fetchone()[0] == 0


def test_the_probes_values_are_refused_with_the_range_said():
    problems = {}
    for key, value in PROBE_VALUES.items():
        try:
            settings.parse(key, value)
        except settings.SettingRefused as refused:
            problems[key] = (refused.key, refused.params)
    assert problems == {
        "stale_days": ("validation.whole_number", {"low": 1, "high": 3650}),
        "upcoming_days": ("validation.whole_number", {"low": 1, "high": 3650}),
        "session_idle_minutes": ("validation.whole_number", {"low": 5, "high": 1440}),
    }


def test_freshness_limits_keep_their_order_said_beside_the_one_changed(con):
    with pytest.raises(ValidationError) as refused:
        write.settings.set_setting(con, SYSTEM, "fresh_days", "100")
    assert refused.value.problems == {"fresh_days": ("validation.setting_at_most", {"value": 60})}
    with pytest.raises(ValidationError) as refused:
        write.settings.set_settings(con, SYSTEM, {"acceptable_days": "40", "stale_days": "35"})
    assert refused.value.problems == {"stale_days": ("validation.setting_at_least", {"value": 40})}
    write.settings.set_settings(con, SYSTEM, {"fresh_days": "100", "acceptable_days": "120", "stale_days": "200"})
    assert (settings.get(con, "fresh_days"), settings.get(con, "stale_days")) == (100, 200)


def test_the_public_programme_must_exist(demo_con):
    with pytest.raises(ValidationError) as refused:
        write.settings.set_setting(demo_con, SYSTEM, "public_programme_id", "999")
    assert refused.value.problems == {"public_programme_id": ("validation.setting_id", {})}
    write.settings.set_setting(demo_con, SYSTEM, "public_programme_id", "1")
    assert settings.get(demo_con, "public_programme_id") == 1


def test_a_stored_value_out_of_range_reads_as_the_default(con):
    con.execute("INSERT INTO settings (key, value) VALUES ('stale_days', '99999999999'), ('fresh_days', 'x')")
    values, refused = settings.read_all(con)
    assert (values["stale_days"], values["fresh_days"]) == (180, 30)
    assert refused == {"stale_days": "99999999999", "fresh_days": "x"}


@pytest.mark.parametrize("page", [page.module for page in ANONYMOUS_PAGES])
def test_stored_values_out_of_range_crash_no_page_for_an_anonymous_visitor(demo_db_path, page):
    store_by_hand(demo_db_path, PROBE_VALUES)
    at = opened(page, code="6.1")
    assert not at.exception, at.exception
    # the visitor is not told about settings: that is the admin's business
    assert not [w for w in at.warning if "asetu" in w.value.lower()]


def test_a_negative_idle_time_stored_by_hand_signs_nobody_out(demo_db_path):
    store_by_hand(demo_db_path, {"session_idle_minutes": "-5"})
    at = opened("weekly", Caller(role="editor", email="coordinator@joensuu.example"))
    assert not at.exception
    at.run()
    assert at.session_state["app_caller"].role == "editor"
    assert not at.get("text_input") or "Sähköposti" not in [t.label for t in at.text_input]


def test_the_admin_sees_which_stored_values_were_refused_and_can_replace_them(demo_db_path):
    store_by_hand(demo_db_path, PROBE_VALUES)
    at = opened("settings", ADMIN)
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert any("asetuksen tallennettu arvo ei kelpaa" in w for w in warnings)  # the notice in the sidebar
    assert any("99999999999" in w and "oletus 180" in w for w in warnings)
    assert any("3000000000" in w and "oletus 90" in w for w in warnings)
    assert any("−5" in w or "-5" in w for w in warnings)
    assert at.number_input(key="settings_form_stale_days").value == 180
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert not at.exception, at.exception
    assert any(s.value == "Tallennettu." for s in at.success)
    con = db.connect(demo_db_path)
    stored = dict(con.execute("SELECT key, value FROM settings").fetchall())
    con.close()
    assert (stored["stale_days"], stored["upcoming_days"], stored["session_idle_minutes"]) == ("180", "90", "30")
    assert not [w for w in at.warning if "99999999999" in w.value]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_settings_page_has_labels_and_widgets_not_raw_keys(demo_db_path, lang):
    at = opened("settings", ADMIN, lang=lang)
    assert not at.exception, at.exception
    labels = [
        w.label
        for kind in ("number_input", "checkbox", "selectbox", "text_input", "text_area", "date_input")
        for w in at.get(kind)
    ]
    for key in settings.DEFAULTS:
        assert key not in labels
        assert i18n.t(f"setting.{key}", lang) in labels
    for kind in ("text_input", "number_input"):
        for widget in at.get(kind):
            assert str(widget.value) not in ("None", "True", "False")
    assert at.checkbox(key="settings_form_public_show_money").value is True
    assert at.selectbox(key="settings_form_public_programme_id").value is None
    assert at.date_input(key="settings_form_accessibility_statement_date").value is None
    assert at.number_input(key="settings_form_stale_days").proto.max == 3650


def test_the_settings_page_saves_and_says_a_problem_beside_its_field(demo_db_path, demo_con):
    at = opened("settings", ADMIN)
    at.number_input(key="settings_form_fresh_days").set_value(100)
    at.checkbox(key="settings_form_public_show_money").uncheck()
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert not at.exception, at.exception
    assert "Anna enintään 60: raja ei voi olla seuraavaa pidempi." in [e.value for e in at.error]
    assert settings.get(demo_con, "public_show_money") is True  # all or nothing
    at.number_input(key="settings_form_fresh_days").set_value(45)
    at.selectbox(key="settings_form_public_programme_id").set_value(1)
    next(b for b in at.button if b.label == "Tallenna").click().run()
    assert not at.error
    values = settings.all_settings(demo_con)
    assert (values["fresh_days"], values["public_show_money"], values["public_programme_id"]) == (45, False, 1)
    actions = demo_con.execute("SELECT entity_id FROM audit_log WHERE action = 'setting.update' ORDER BY id").fetchall()
    assert sorted(a[0] for a in actions) == ["fresh_days", "public_programme_id", "public_show_money"]


def test_the_embed_page_edits_the_public_settings_with_the_same_widgets(demo_db_path, demo_con):
    at = opened("embed_builder", ADMIN, lang="sv")
    assert not at.exception, at.exception
    assert at.checkbox(key="embed_settings_public_show_money").label == i18n.t("setting.public_show_money", "sv")
    # the public view's settings only: no freshness day counts (feedback retention is the one number)
    numbers = [w.key for w in at.get("number_input") if w.key and w.key.startswith("embed_settings_")]
    assert numbers == ["embed_settings_feedback_contact_retention_days"]
    at.text_input(key="embed_settings_open_data_licence_url").input("javascript:alert(1)")
    next(b for b in at.button if b.label == "Spara").click().run()
    assert i18n.t("validation.url", "sv") in [e.value for e in at.error]
    assert settings.get(demo_con, "open_data_licence_url").startswith("https://creativecommons.org/")
