"""The public view without a browser: its queries hold only published, public
data; the page in three languages; money hidden by the setting; open data; the
embed builder for admins."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, TODAY
from tests.public_data import MARKERS
from tracker import db, i18n, settings, write
from tracker.auth import ANONYMOUS, SYSTEM, Caller
from tracker.errors import PermissionDenied, ValidationError
from tracker.present import embed, open_data

PUBLIC_PAGE = "app_pages/public.py"


def public_app(caller=None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    if caller is not None:
        at.session_state["app_caller"] = caller
    at.run()
    return at.switch_page(PUBLIC_PAGE).run()


def html_of(at: AppTest) -> str:
    parts = [str(e.proto) for e in at.get("html")]
    parts += [m.value for m in at.markdown] + [h.value for h in at.header] + [h.value for h in at.subheader]
    parts += [t.value for t in at.title] + [str(m.value) for m in at.warning] + [str(m.value) for m in at.info]
    return "\n".join(parts)


def test_public_queries_return_nothing_internal(private_con):
    programme_id = 1
    ids = [row[0] for row in private_con.execute("SELECT id FROM measures").fetchall()]
    frames = [
        db.query(
            private_con,
            "public_measures",
            today=TODAY,
            programme_id=programme_id,
            lang=lang,
            theme_position=None,
            status=None,
        )
        for lang in ("fi", "sv", "en")
    ]
    frames.append(db.query(private_con, "public_open_data", programme_id=programme_id, lang="fi", include_money=True))
    for measure_id in ids:
        frames.append(db.query(private_con, "public_measure_events", measure_id=measure_id))
        frames.append(db.query(private_con, "public_measure_money", measure_id=measure_id))
    codes = [row[0] for row in private_con.execute("SELECT code FROM measures").fetchall()]
    for code in codes:
        frames.append(
            db.query(private_con, "public_measure", today=TODAY, programme_id=programme_id, code=code, lang="fi")
        )
    text = "\n".join(frame.to_csv() for frame in frames)
    assert "Liittyminen ICLEI-verkostoon" in text
    for marker in MARKERS:
        assert marker not in text, marker


def test_unpublished_measure_has_no_public_page_events_or_money(private_con):
    measure_id, code = private_con.execute("SELECT id, code FROM measures WHERE NOT is_published LIMIT 1").fetchone()
    assert db.query(private_con, "public_measure", today=TODAY, programme_id=1, code=code, lang="fi").empty
    assert db.query(private_con, "public_measure_events", measure_id=measure_id).empty
    # the same query shows the events of a published measure, so the emptiness above means something
    assert not db.query(private_con, "public_measure_events", measure_id=37).empty


def test_headline_counts_only_published_measures(private_con):
    done, total = private_con.execute(
        "SELECT count(*) FILTER (status = 'done'), count(*) FROM measures WHERE is_published AND programme_id = 1"
    ).fetchone()
    everything = private_con.execute("SELECT count(*) FROM measures WHERE programme_id = 1").fetchone()[0]
    assert everything > total
    row = db.query(private_con, "public_headline", programme_id=1, theme_position=None).iloc[0]
    assert (row["done"], row["total"]) == (done, total)


@pytest.mark.parametrize(
    ("lang", "headline", "item"),
    [
        ("fi", "toimenpidettä valmis", "Liittyminen ICLEI-verkostoon</a> — "),
        ("sv", "åtgärder klara", "Anslutning till ICLEI-nätverket</a> — "),
        ("en", "measures done", "Joining the ICLEI network</a> — "),
    ],
)
def test_public_page_in_each_language_shows_only_public_data(private_db_path, lang, headline, item):
    at = public_app(lang=lang)
    assert not at.exception, at.exception
    page = html_of(at)
    assert headline in page and "public-headline" in page
    line = next(part for part in page.split("<li>") if item in part)
    assert {"fi": "Valmis", "sv": "Klar", "en": "Done"}[lang] in line
    for marker in MARKERS:
        assert marker not in page, marker


def test_measure_page_shows_description_public_timeline_and_money(private_db_path):
    at = public_app(measure="6.1")
    assert not at.exception, at.exception
    page = html_of(at)
    assert at.header[-1].value == "6.1 Liittyminen ICLEI-verkostoon"
    assert "1\u00a0200\u00a0€" in page
    assert "Kaupunginhallitus päätti liittyä ICLEI-verkostoon" in page
    for marker in MARKERS:
        assert marker not in page, marker


def test_measure_money_totals_come_from_the_query(private_db_path, private_con):
    measure_id = private_con.execute("SELECT id FROM measures WHERE code = '6.1'").fetchone()[0]
    money = db.query(private_con, "public_measure_money", measure_id=measure_id)
    planned, actual = private_con.execute(
        "SELECT sum(planned_eur), sum(actual_eur) FROM budget_lines WHERE measure_id = ?", [measure_id]
    ).fetchone()
    assert (money["planned_total"].iloc[0], money["actual_total"].iloc[0]) == (planned, actual) == (3600, 2400)
    summary = "Talousarviossa yhteensä 3\u00a0600\u00a0€, toteutunut 2\u00a0400\u00a0€."
    assert f"<p>{summary}</p>" in html_of(public_app(measure="6.1"))
    # no actual recorded yet: nothing spent, said as 0 €
    private_con.execute("UPDATE budget_lines SET actual_eur = NULL WHERE measure_id = ?", [measure_id])
    assert db.query(private_con, "public_measure_money", measure_id=measure_id)["actual_total"].iloc[0] == 0


def test_money_is_hidden_when_the_admin_setting_says_so(private_db_path, private_con):
    write.settings.set_setting(private_con, SYSTEM, "public_show_money", "false")
    at = public_app(measure="6.1")
    assert not at.exception
    assert "1\u00a0200\u00a0€" not in html_of(at)
    assert "Liittyminen ICLEI-verkostoon" in html_of(at)


def test_unpublished_measure_url_shows_not_published(private_db_path, private_con):
    code = private_con.execute("SELECT code FROM measures WHERE NOT is_published LIMIT 1").fetchone()[0]
    at = public_app(measure=code)
    assert not at.exception
    assert any(code in w.value for w in at.warning)
    assert "UNPUBLISHED" not in html_of(at)


def test_theme_and_status_from_the_url_narrow_the_list(private_db_path):
    at = public_app(theme="6", status="done")
    assert not at.exception
    page = html_of(at)
    assert "6.1 Liittyminen ICLEI-verkostoon" in page
    assert "1.1 " not in page  # another theme
    assert "6.2 " not in page  # same theme, not done
    assert at.selectbox(key="public_theme").value == 6


def test_programme_falls_back_to_the_configured_then_the_default(demo_db_path, demo_con):
    at = public_app(programme="999")
    assert not at.exception
    assert "Joensuu" in at.title[0].value


def test_empty_database_says_so(empty_db_path):
    at = public_app()
    assert not at.exception
    assert at.info


def test_open_data_files_hold_only_public_fields_and_state_the_licence(private_con):
    rows = db.query(private_con, "public_open_data", programme_id=1, lang="fi", include_money=True)
    csv_text = open_data.measures_csv(rows, "fi", include_money=True).decode("utf-8-sig")
    document = json.loads(
        open_data.measures_json(
            rows,
            "fi",
            include_money=True,
            organisation="Joensuun kaupunki",
            programme="P",
            licence="CC BY 4.0",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
        )
    )
    assert document["licence"]["name"] == "CC BY 4.0"
    iclei = next(m for m in document["measures"] if m["code"] == "6.1")
    assert (iclei["status"], iclei["status_label"], iclei["planned_eur"]) == ("done", "Valmis", 3600.0)
    assert "Liittyminen ICLEI-verkostoon" in csv_text
    published = private_con.execute("SELECT count(*) FROM measures WHERE is_published").fetchone()[0]
    assert len(document["measures"]) == published
    for marker in MARKERS:
        assert marker not in csv_text and marker not in json.dumps(document), marker
    hidden = open_data.measures_csv(rows, "fi", include_money=False).decode("utf-8-sig")
    assert "planned_eur" in csv_text and "planned_eur" not in hidden


def test_public_settings_are_checked_and_admin_only(con):
    assert settings.get(con, "public_show_money") is True
    assert settings.get(con, "open_data_licence") == "CC BY 4.0"
    with pytest.raises(ValidationError):
        write.settings.set_setting(con, SYSTEM, "public_show_money", "perhaps")
    with pytest.raises(ValidationError):
        write.settings.set_setting(con, SYSTEM, "accessibility_statement_date", "28.11.2026")
    for caller in (ANONYMOUS, Caller(role="viewer", email="v@example.org")):
        with pytest.raises(PermissionDenied):
            write.settings.set_setting(con, caller, "public_show_money", "false")
    write.settings.set_setting(con, SYSTEM, "public_programme_id", "")
    assert settings.get(con, "public_programme_id") is None


def test_embed_builder_gives_the_iframe_code_to_an_admin(demo_db_path):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.session_state["app_caller"] = Caller(role="admin", email="admin@example.org")
    at.run()
    at.switch_page("app_pages/embed_builder.py").run()
    assert not at.exception, at.exception
    at.selectbox(key="embed_language").set_value("sv").run()
    snippet = at.code[0].value
    assert snippet.startswith("<iframe ") and "embed=true" in snippet and "lang=sv" in snippet
    assert 'title="' in snippet and 'height="900"' in snippet


def test_embed_builder_warns_while_no_site_may_embed_the_view(demo_db_path, demo_con):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.query_params["lang"] = "sv"
    at.session_state["app_caller"] = Caller(role="admin", email="admin@example.org")
    at.run()
    at.switch_page("app_pages/embed_builder.py").run()
    assert not at.exception, at.exception
    label = i18n.t("setting.embed_allowed_origins", "sv")
    warnings = [w.value for w in at.warning]
    assert warnings == [embed.unlisted_warning((), "sv")] and f"”{label}”" in warnings[0]
    # the setting, as its own form on this page labels it: listed there, the warning goes
    origins = at.text_area(key="embed_settings_embed_allowed_origins")
    assert origins.label == label
    origins.input("https://www.joensuu.example")
    next(b for b in at.button if b.label == i18n.t("form.save", "sv")).click().run()
    assert not at.exception, at.exception
    assert settings.get(demo_con, "embed_allowed_origins") == ("https://www.joensuu.example",)
    assert not at.warning


def test_embed_builder_saves_public_settings(demo_db_path, demo_con):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
    at.session_state["app_caller"] = Caller(role="admin", email="admin@example.org")
    at.run()
    at.switch_page("app_pages/embed_builder.py").run()
    at.checkbox[0].uncheck()
    at.text_input[3].input("saavutettavuus@joensuu.example")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.success
    assert settings.get(demo_con, "public_show_money") is False
    assert settings.get(demo_con, "accessibility_feedback_contact") == "saavutettavuus@joensuu.example"


def test_accessibility_statement_names_the_feedback_contact(demo_db_path, demo_con):
    write.settings.set_setting(demo_con, SYSTEM, "accessibility_feedback_contact", "palaute@joensuu.example")
    for lang, title in (("fi", "Saavutettavuusseloste"), ("sv", "Tillgänglighetsutlåtande")):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=30)
        at.query_params["lang"] = lang
        at.run()
        at.switch_page("app_pages/accessibility.py").run()
        assert not at.exception, at.exception
        assert at.title[0].value == title
        assert "mailto:palaute@joensuu.example" in html_of(at)


def test_public_queries_never_name_internal_columns_and_filter_on_published():
    names = [name for name in db.query_names() if name.startswith("public_")]
    assert len(names) >= 6
    for name in names:
        sql = "\n".join(line for line in db.query_sql(name).splitlines() if not line.startswith("--"))
        for column in ("internal_note", "contact_email", "contact_name", "actor", "b.note", "funding_source"):
            assert column not in sql, f"{name}.sql names {column}"
        # published measures only: read through the visible-measures macros with unpublished excluded
        # (migrations/0002_shared_sql.sql), or through public_measure_rows, which is built on them
        # (checked below), never from the measures table itself
        assert re.search(r"(visible_measures(_of)?\([^)]*\bfalse\)|public_measure_rows\(.*\)) AS m\b", sql, re.S), (
            f"{name}.sql must keep to published measures"
        )
        assert not re.search(r"\b(FROM|JOIN)\s+measures\b", sql), f"{name}.sql must keep to published measures"
    macros = "\n".join(path.read_text(encoding="utf-8") for path in sorted(db.MIGRATIONS_DIR.glob("*.sql")))
    public_rows = re.search(r"CREATE MACRO public_measure_rows\(.*?;", macros, re.S).group(0)
    assert re.search(r"FROM visible_measures_of\(for_programme, false\) AS m\b", public_rows)
    for column in ("internal_note", "contact_email", "contact_name"):
        assert column not in public_rows
