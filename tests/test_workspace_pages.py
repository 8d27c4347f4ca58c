"""AppTest: navigation per role, sign-in through a session cookie, sign-out,
idle timeout, the throttle's notice, two sessions editing the same measure,
and hostile text shown as text."""

import json
import re
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from tests import page_app
from tests.conftest import ROOT
from tests.html_tables import html_tables
from tracker import db, write
from tracker.auth import SYSTEM, Caller
from tracker.errors import AuthError
from ui import session as ui_session

EDITOR = Caller(role="editor", email="coordinator@joensuu.example")
WORKSPACE_PAGES = [
    "app_pages/weekly.py",
    "app_pages/measure_form.py",
    "app_pages/budget_lines.py",
    "app_pages/decisions_register.py",
    "app_pages/audit.py",
]
EDIT_PAGES = {"weekly", "measure-form", "budget-lines", "decisions-register", "users", "settings"}
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> [klik](javascript:alert(1))'


def app(who: Caller | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if who:
        at.session_state["app_caller"] = who
    if lang:
        at.query_params["lang"] = lang
    return at


def registered(at: AppTest) -> dict[str, str]:
    """url path -> the script that runs there, as st.navigation registered them."""
    return {info["url_pathname"]: str(info["script_path"]) for info in at._registered_pages.values()}


def test_anonymous_visitors_get_the_sign_in_page_at_every_editing_url(demo_db_path):
    at = app()
    at.run()
    assert not at.exception
    pages = registered(at)
    assert EDIT_PAGES <= set(pages)
    assert all(pages[url].endswith("app_pages/signin.py") for url in EDIT_PAGES)
    assert pages["sign-in"].endswith("app_pages/signin.py")


@pytest.mark.parametrize(
    ("role", "opens"), [("viewer", {"audit"}), ("editor", (EDIT_PAGES - {"users", "settings"}) | {"audit"})]
)
def test_each_role_opens_exactly_its_pages(demo_db_path, role, opens):
    at = app(Caller(role=role, email=f"{role}@x.example"))
    at.run()
    pages = registered(at)
    editing = {url for url in EDIT_PAGES | {"audit"} if not pages[url].endswith("signin.py")}
    assert editing == opens
    assert "sign-in" not in pages


@pytest.mark.parametrize("page", WORKSPACE_PAGES)
@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_workspace_pages_run_for_an_editor(demo_db_path, page, lang):
    at = app(EDITOR, lang)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


@pytest.mark.parametrize("page", [*WORKSPACE_PAGES, "app_pages/users.py", "app_pages/settings.py"])
def test_workspace_pages_handle_an_empty_database(empty_db_path, page):
    at = app(Caller(role="admin", email="a@x.example"))
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception


def signed_in(at: AppTest) -> bool:
    return "app_caller" in at.session_state and at.session_state["app_caller"].signed_in


@pytest.fixture
def cookies(monkeypatch):
    """The browser's cookie jar as the pages read it (AppTest's client has none)."""
    jar = {}
    monkeypatch.setattr(ui_session, "_cookie", jar.get)
    return jar


def sign_in_app(email: str, password: str, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = page_app.opened("signin")
    at.text_input(key="signin_email").input(email)
    at.text_input(key="signin_password").input(password)
    at.button[-1].click().run()
    return at


def followed(at: AppTest, route: str) -> dict[str, str]:
    """The query of the full page load a run sent the browser on to (``route``)."""
    scripts = [h.value for h in at.html if "window.location.replace" in h.value]
    assert len(scripts) == 1, scripts
    url = json.loads(scripts[0].split("window.location.replace(", 1)[1].rsplit(");", 1)[0])
    assert urlsplit(url).path == route, url
    return dict(parse_qsl(urlsplit(url).query))


def redeem(con, at: AppTest, cookies: dict) -> None:
    """What /auth/session does with the page's hand-off: the browser gets the session cookie."""
    token = followed(at, "/auth/session")["token"]
    redeemed = write.sessions.redeem_handoff(con, token, max_hours=12)
    cookies[write.sessions.SESSION_COOKIE] = redeemed.session_token


def test_signing_in_with_a_local_account_and_out_again(demo_db_path, cookies):
    con = db.connect(demo_db_path)
    password = write.accounts.add_user(con, SYSTEM, "ed@x.example", "editor")
    wrong = sign_in_app("ed@x.example", "not the password")
    assert [e.value for e in wrong.error] == ["Sähköposti tai salasana on väärä."]
    assert not any("window.location.replace" in h.value for h in wrong.html)
    at = sign_in_app("ed@x.example", password)
    assert not at.exception
    redeem(con, at, cookies)
    # reload, a new tab, a link: a new browser session with the same cookie
    for _ in range(2):
        at = app()
        at.run()
        assert not at.exception
        assert at.session_state["app_caller"].role == "editor"
        assert any("ed@x.example" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="app_sign_out").click().run()
    assert followed(at, "/auth/signout") == {"next": "/?lang=fi&programme=1"}
    assert not signed_in(at)
    # the other tab's next action: signed out, and told why on the sign-in page
    other = app()
    other.run()
    assert not signed_in(other)
    other.switch_page("app_pages/signin.py").run()
    assert [w.value for w in other.warning] == [
        "Sinut kirjattiin ulos toisessa välilehdessä tai ikkunassa. Kirjaudu uudelleen jatkaaksesi."
    ]
    con.close()


def test_too_many_failures_ask_the_visitor_to_wait(demo_db_path, cookies):
    con = db.connect(demo_db_path)
    # eight failures on this address a moment ago (the sequence itself: tests/test_sessions.py)
    con.execute(
        "INSERT INTO sign_in_throttle VALUES ('account', 'nobody@x.example', 8, ?, ?, '198.51.100.1', 0)",
        [db.utcnow(), db.utcnow()],
    )
    con.close()
    at = sign_in_app("nobody@x.example", "wrong")
    (message,) = [e.value for e in at.error]
    assert re.fullmatch(
        r"Liian monta epäonnistunutta kirjautumisyritystä. Odota (\d+) s ja yritä sitten uudelleen.", message
    )
    assert 20 < int(re.search(r"\d+", message)[0]) <= 32


def sign_in_an_editor(con, cookies: dict) -> None:
    """A new editor account signed in on the sign-in page; the browser holds its session cookie."""
    password = write.accounts.add_user(con, SYSTEM, "ed@x.example", "editor")
    redeem(con, sign_in_app("ed@x.example", password), cookies)


def assert_signed_out_and_told(at: AppTest, reason: str) -> None:
    """The app's next run has ended the session; the sign-in page says why (``reason`` in a warning)."""
    at.run()
    assert not signed_in(at)
    assert not any(b.key == "app_sign_out" for b in at.sidebar.button)
    at.switch_page("app_pages/signin.py").run()
    assert any(reason in w.value for w in at.warning)


def test_a_disabled_account_loses_its_session_at_once(demo_db_path, cookies):
    con = db.connect(demo_db_path)
    sign_in_an_editor(con, cookies)
    at = app()
    at.run()
    assert signed_in(at)
    write.accounts.set_active(con, SYSTEM, "ed@x.example", False)
    con.close()
    assert_signed_out_and_told(at, "rooli tai käyttöoikeus muuttui")


def test_an_idle_session_ends(demo_db_path, cookies):
    con = db.connect(demo_db_path)
    sign_in_an_editor(con, cookies)
    con.execute("UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 29 MINUTE")
    at = app()
    at.run()
    assert at.session_state["app_caller"].role == "editor"
    con.execute("UPDATE sessions SET last_seen_at = last_seen_at - INTERVAL 31 MINUTE")
    con.close()
    assert_signed_out_and_told(at, "30")


def test_the_sign_in_page_says_how_long_a_session_lasts(demo_db_path):
    at = page_app.opened("signin", lang="en")
    assert any("after 30 minutes without activity, and after 12 hours at the latest" in c.value for c in at.caption)


def test_the_admin_sees_accounts_someone_keeps_failing_to_sign_in_to(demo_db_path):
    con = db.connect(demo_db_path)
    write.accounts.add_user(con, SYSTEM, "ed@x.example", "editor")
    now = db.utcnow() - timedelta(minutes=30)
    for index in range(write.password_sign_in.ALERT_FAILURES):
        with pytest.raises(AuthError):
            write.password_sign_in.sign_in_with_password(
                con, "ed@x.example", "wrong", client=f"198.51.100.{index}", now=now
            )
        now += timedelta(seconds=write.password_sign_in.wait_after(index + 1))
    con.close()
    at = app(Caller(role="admin", email="a@x.example"))
    at.run()
    assert any("Toistuvia epäonnistuneita kirjautumisia (tunnuksia: 1)" in w.value for w in at.sidebar.warning)
    at.switch_page("app_pages/users.py").run()
    assert any("ed@x.example: 10 epäonnistunutta peräkkäin" in t.value for t in at.text)
    at.selectbox(key="users_chosen").set_value("ed@x.example").run()
    at.button(key="users_lift_wait").click().run()
    assert not at.exception
    assert not any("Toistuvia" in w.value for w in at.sidebar.warning)


def open_form(page: str, chooser_key: str, record_id: int) -> AppTest:
    """An editor's session with ``page`` open on the record ``record_id``."""
    at = app(EDITOR)
    at.run()
    at.switch_page(page).run()
    at.selectbox(key=chooser_key).set_value(record_id).run()
    return at


def save(at: AppTest) -> AppTest:
    return next(b for b in at.button if b.label == "Tallenna").click().run()


def test_two_sessions_editing_one_measure_never_lose_an_edit(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id = con.execute("SELECT id FROM measures WHERE code = '1.1'").fetchone()[0]
    first, second = (open_form("app_pages/measure_form.py", "measureform_choice", measure_id) for _ in range(2))
    first.text_input(key="measureform_title_en").input("Changed by the first")
    save(first)
    assert not first.exception
    assert any(s.value == "Tallennettu." for s in first.success)

    second.text_input(key="measureform_title_sv").input("Ändrad av den andra")
    save(second)
    assert not second.exception
    assert any("versio" in e.value for e in second.error), (second.success, second.info, second.error, second.warning)
    assert any("Changed by the first" in m.value for m in second.markdown)
    assert second.text_input(key="measureform_title_sv").value == "Ändrad av den andra"
    assert write.measures.read_measure(con, measure_id)["title_sv"] != "Ändrad av den andra"

    next(b for b in second.button if b.key is None and "pidä omat" in b.label).click().run()
    assert second.text_input(key="measureform_title_en").value == "Changed by the first"
    assert second.text_input(key="measureform_title_sv").value == "Ändrad av den andra"
    save(second)
    saved = write.measures.read_measure(con, measure_id)
    assert (saved["title_en"], saved["title_sv"]) == ("Changed by the first", "Ändrad av den andra")
    con.close()


def test_weekly_update_from_two_sessions_refuses_the_stale_one(demo_db_path):
    con = db.connect(demo_db_path)
    measure_id, progress = con.execute("SELECT id, progress FROM measures WHERE code = '2.1'").fetchone()
    sessions = []
    for _ in range(2):
        at = page_app.opened("weekly", EDITOR)
        sessions.append(at)
    first, second = sessions
    first.number_input(key=f"weekly_progress_{measure_id}").set_value(min(progress + 10, 100))
    save(first)
    assert any("Tallennettu 1" in s.value for s in first.success), (first.success, first.info, first.error)
    second.text_input(key=f"weekly_note_{measure_id}").input("Kokous pidetty")
    save(second)
    assert any("versio" in e.value for e in second.error), (second.success, second.info, second.error, second.warning)
    assert second.text_input(key=f"weekly_note_{measure_id}").value == "Kokous pidetty"
    con.close()


def test_bad_euros_get_a_message_beside_the_field(demo_db_path):
    at = page_app.opened("budget_lines", EDITOR)
    at.number_input(key="budgetlines_year").set_value(2031)
    at.text_input(key="budgetlines_planned_eur").input("-5")
    save(at)
    assert "Summa ei voi olla negatiivinen." in [e.value for e in at.error]


def test_hostile_text_is_shown_as_text(demo_db_path):
    con = db.connect(demo_db_path)
    programme_id, theme_id = con.execute("SELECT programme_id, theme_id FROM measures WHERE code = '6.1'").fetchone()
    write.measures.create_measure(
        con,
        EDITOR,
        programme_id,
        {
            "code": "66.6",
            "title_fi": HOSTILE,
            "description_fi": HOSTILE,
            "internal_note": HOSTILE,
            "theme_id": theme_id,
        },
    )
    con.close()
    for page in ("app_pages/weekly.py", "app_pages/audit.py", "app_pages/measure.py", "app_pages/overview.py"):
        at = app(EDITOR)
        at.query_params["code"] = "66.6"
        at.run()
        at.switch_page(page).run()
        assert not at.exception
        for element in [*at.markdown, *at.caption, *at.error, *at.info, *at.warning, *at.title]:
            if element.value and "alert" in element.value:
                allows_html = getattr(element.proto, "allow_html", False)
                assert "<script" not in element.value or not allows_html, (page, element.value)
                # A javascript: link in Markdown is dropped by the renderer; the browser test checks that.


def test_weekly_update_shows_twenty_measures_a_page_stalest_first(demo_db_path):
    con = db.connect(demo_db_path)
    open_ids = [
        row[0]
        for row in con.execute(
            "SELECT id FROM measures WHERE status NOT IN ('done', 'cancelled') ORDER BY updated_at, id"
        ).fetchall()
    ]
    con.close()
    assert len(open_ids) > 20
    at = page_app.opened("weekly", EDITOR)
    shown = {w.key for w in at.number_input if w.key.startswith("weekly_progress_")}
    assert shown == {f"weekly_progress_{i}" for i in open_ids[:20]}
    at.number_input(key="weekly_page").set_value(2).run()
    shown = {w.key for w in at.number_input if w.key.startswith("weekly_progress_")}
    assert shown == {f"weekly_progress_{i}" for i in open_ids[20:40]}


def test_the_budget_page_and_the_budget_lines_page_keep_their_own_year(demo_con, demo_db_path):
    """Each page's widget keys carry its own prefix (the two once shared "budget_year")."""
    line_id, line_year = demo_con.execute(
        "SELECT b.id, b.year FROM budget_lines b JOIN measures m ON m.id = b.measure_id"
        " WHERE m.code = '1.1' AND b.year <> 2024 ORDER BY b.year LIMIT 1"
    ).fetchone()
    at = page_app.opened("budget", EDITOR)
    next(s for s in at.selectbox if s.label == "Vuosi").select(2024).run()
    at.switch_page("app_pages/budget_lines.py").run()
    assert not at.exception
    # a new line starts without a year, whatever year the budget page shows
    year = next(n for n in at.number_input if n.label == "Vuosi")
    assert (year.key, year.value) == ("budgetlines_year", None)
    next(s for s in at.selectbox if s.label == "Muokattava rivi").select(line_id).run()
    assert next(n for n in at.number_input if n.label == "Vuosi").value == line_year
    at.switch_page("app_pages/budget.py").run()
    assert not at.exception
    # the budget page keeps its own choice, not the year of the line edited
    year = next(s for s in at.selectbox if s.label == "Vuosi")
    assert (year.key, year.value) == ("budget_year", 2024)
    assert set(html_tables(at)[1]["Vuosi"]) != {str(line_year), "Kaikki yhteensä"}


def test_two_sessions_editing_one_decision_keep_both_edits(demo_con, demo_db_path):
    decision_id = demo_con.execute("SELECT min(id) FROM decisions").fetchone()[0]
    first, second = (open_form("app_pages/decisions_register.py", "decisions_choice", decision_id) for _ in range(2))
    first.text_input(key="decisions_case_number").input("JNS/1/2022")
    save(first)
    assert any(s.value == "Tallennettu." for s in first.success)
    second.text_input(key="decisions_title").input("Toisen otsikko")
    save(second)
    assert any("versio" in e.value for e in second.error)
    assert any("JNS/1/2022" in m.value for m in second.markdown)
    assert second.text_input(key="decisions_title").value == "Toisen otsikko"
    next(b for b in second.button if "pidä omat" in b.label).click().run()
    assert second.text_input(key="decisions_case_number").value == "JNS/1/2022"
    save(second)
    assert not second.exception
    saved = write.decisions.read_decision(demo_con, decision_id)
    assert (saved["case_number"], saved["title"]) == ("JNS/1/2022", "Toisen otsikko")


def test_a_decision_without_a_title_is_named_by_its_body_and_date_alone(demo_con, demo_db_path):
    organisation_id = demo_con.execute("SELECT organisation_id FROM programmes WHERE id = 1").fetchone()[0]
    untitled = {"body": "Ympäristölautakunta", "outcome": "approved"}
    write.decisions.add_decision(demo_con, EDITOR, organisation_id, untitled)
    at = app(EDITOR)
    at.run()
    at.switch_page("app_pages/decisions_register.py").run()
    names = at.selectbox(key="decisions_choice").options
    assert "Ympäristölautakunta päivämäärä ei tiedossa" in names
    assert not any(name.endswith("nan") for name in names)


def test_a_budget_line_conflict_can_discard_the_users_input(demo_con, demo_db_path):
    line_id = demo_con.execute(
        "SELECT b.id FROM budget_lines b JOIN measures m ON m.id = b.measure_id WHERE m.code = '1.1' ORDER BY b.year"
    ).fetchone()[0]
    at = page_app.opened("budget_lines", EDITOR)
    at.selectbox(key="budgetlines_line").set_value(line_id).run()
    line = write.budget.read_budget_line(demo_con, line_id)
    write.budget.save_budget_line(
        demo_con, EDITOR, line_id, {**line, "funding_source": "Toisen lähde"}, expected_version=line["version"]
    )
    at.text_area(key="budgetlines_note").input("Oma huomautus")
    save(at)
    assert any("versio" in e.value for e in at.error)
    assert at.text_area(key="budgetlines_note").value == "Oma huomautus"
    next(b for b in at.button if "Hylkää omat" in b.label).click().run()
    assert at.text_input(key="budgetlines_funding_source").value == "Toisen lähde"
    assert at.text_area(key="budgetlines_note").value == ""
    assert not any("versio" in e.value for e in at.error)
