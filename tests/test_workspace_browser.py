"""The workspace in a real browser: editing URLs show the sign-in, hostile
text runs no script, and OIDC sign-in against a real local provider."""

import pytest

from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM, Caller

pytestmark = pytest.mark.browser
HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"> [klik](javascript:window.pwned=3)'


def test_an_editing_url_shows_the_sign_in_to_anonymous_visitors(demo_db_path, browser):
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/weekly")
        page.wait_for_selector("input[type='password']", timeout=60000)
        settle(page)
        main = page.inner_text("[data-testid='stMain']")
        assert "Kirjaudu sisään" in main
        assert page.query_selector("input[type='password']") is not None
        nav = page.inner_text("[data-testid='stSidebar']")
        assert "Viikkopäivitys" not in nav
        page.close()


def test_hostile_text_runs_no_script(demo_db_path, browser):
    con = db.connect(demo_db_path)
    programme_id, theme_id = con.execute("SELECT programme_id, theme_id FROM measures WHERE code = '6.1'").fetchone()
    write.measures.create_measure(
        con,
        Caller(role="editor", email="e@x.example"),
        programme_id,
        {"code": "66.6", "title_fi": HOSTILE, "description_fi": HOSTILE, "theme_id": theme_id},
    )
    con.close()
    with running_app(demo_db_path) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("/", "/measure?code=66.6"):
            page.goto(base + path)
            page.get_by_text("window.pwned").first.wait_for(timeout=60000)
            settle(page)
            assert "window.pwned" in page.inner_text("[data-testid='stMain']")
            assert page.evaluate("window.pwned") is None
            assert page.query_selector("[data-testid='stMain'] a[href^='javascript']") is None
        assert dialogs == []
        page.close()


def test_oidc_sign_in_end_to_end(demo_db_path, browser, tmp_path):
    from oidc_provider_mock import run_server_in_thread

    con = db.connect(demo_db_path)
    write.accounts.add_user(con, SYSTEM, "coordinator@joensuu.example", "editor")
    con.close()
    with run_server_in_thread() as provider:
        issuer = f"http://localhost:{provider.server_port}"
        secrets = tmp_path / "secrets.toml"
        secrets.write_text(
            "[auth]\n"
            'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            'cookie_secret = "a-test-cookie-secret-that-is-long-enough-0123456789"\n'
            'client_id = "tracker"\n'
            'client_secret = "tracker-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
            encoding="utf-8",
        )
        with running_app(demo_db_path, env={"STREAMLIT_SECRETS_FILES": str(secrets)}) as base:
            base = base.replace("127.0.0.1", "localhost")
            for email, expect_role in (("stranger@x.example", None), ("coordinator@joensuu.example", "muokkaaja")):
                # Each user in a fresh browser context: no cookie carries over.
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.goto(base + "/sign-in")
                page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for(timeout=60000)
                page.get_by_role("button", name="Kirjaudu organisaation tunnuksella").click()
                page.wait_for_url(f"{issuer}/**")
                page.fill("input[name='sub']", email)
                page.get_by_role("button", name="Authorize").click()
                page.wait_for_url(f"{base}/**")
                page.get_by_text("Kieli").first.wait_for(timeout=60000)
                settle(page)
                if expect_role is None:
                    page.goto(base + "/sign-in")
                    page.get_by_text("ei ole käyttöoikeutta").first.wait_for(timeout=60000)
                    assert "stranger@x.example" in page.inner_text("[data-testid='stMain']")
                    assert "Viikkopäivitys" not in page.inner_text("[data-testid='stSidebar']")
                    page.get_by_role("button", name="Kirjaudu ulos").click()
                    page.get_by_role("button", name="Kirjaudu ulos").wait_for(state="detached", timeout=60000)
                else:
                    page.get_by_text(email).first.wait_for(timeout=60000)
                    sidebar = page.inner_text("[data-testid='stSidebar']")
                    assert email in sidebar and expect_role in sidebar
                    assert "Viikkopäivitys" in sidebar
                    oidc_session_lasts_and_ends(page, context, base, email)
                context.close()


def oidc_session_lasts_and_ends(page, context, base, email):
    """An OIDC sign-in opens the same kind of session as a password: it holds
    across a reload and a new tab; signing out ends it in every tab, and the
    provider's identity, which a tab keeps until it reloads, does not open it again."""
    assert {"tracker_session", "_streamlit_user"} <= {c["name"] for c in context.cookies()}
    page.reload()
    page.get_by_text(email).first.wait_for(timeout=60000)
    other = context.new_page()
    other.goto(base + "/weekly")
    other.get_by_role("heading", name="Viikkopäivitys").wait_for(timeout=60000)
    settle(other)
    page.get_by_role("button", name="Kirjaudu ulos").click()
    # through Streamlit's /auth/logout to the provider's end of session, and back
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{base}/**")
    page.get_by_text("Kieli").first.wait_for(timeout=60000)
    settle(page)
    assert email not in page.inner_text("[data-testid='stSidebar']")
    assert not {"tracker_session", "_streamlit_user"} & {c["name"] for c in context.cookies()}
    other.get_by_role("link", name="Viikkopäivitys").click()
    other.get_by_role("button", name="Kirjaudu organisaation tunnuksella").wait_for(timeout=60000)
    settle(other)
    assert email not in other.inner_text("[data-testid='stSidebar']")
    other.close()
