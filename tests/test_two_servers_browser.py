"""Two app servers on one lake, in a real browser (issue 13's proof): editor A
saves a status on server 1 and server 2 shows it on its next run; editor B
on server 2, still holding the version from before, is refused with the
conflict screen; meanwhile `users add` and an `import` run from the command
line against the same lake, and succeed."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import ROOT
from tests.integrity import problems
from tests.live_app import running_app, settle
from tracker import db, write
from tracker.auth import SYSTEM
from tracker.spreadsheet import importer

pytestmark = [pytest.mark.browser, pytest.mark.lake_only]

PASSWORD = "kaksi-palvelinta-yksi-järvi"


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/sign-in")
    page.get_by_label("Sähköposti").fill(email)
    page.get_by_label("Salasana").fill(PASSWORD)
    page.get_by_role("button", name="Kirjaudu", exact=True).click()
    page.get_by_text(email).first.wait_for(timeout=60000)
    settle(page)


def open_weekly(page) -> None:
    """Within the session (a new URL would be a new, signed-out session)."""
    page.locator("[data-testid='stSidebar']").get_by_text("Viikkopäivitys").click()
    page.get_by_role("button", name="Tallenna").wait_for(timeout=60000)
    settle(page)


def set_status(page, measure_id: int, status_label: str) -> None:
    """Pick the measure's new status in its row of the weekly update and save."""
    page.locator(f".st-key-weekly_status_{measure_id} input").click()
    page.get_by_role("option").filter(has_text=status_label).first.click()
    page.get_by_role("button", name="Tallenna").click()


def test_two_app_servers_one_lake_and_the_cli_at_the_same_time(demo_db_path, browser, tmp_path):
    con = db.connect(demo_db_path)
    for name in ("a", "b"):
        write.accounts.add_user(con, SYSTEM, f"{name}@joensuu.example", "editor", password=PASSWORD)
    programme_id = int(db.query(con, "programmes", lang="fi")["id"].iloc[0])
    # a published measure on the weekly update's first page (the public page shows published ones)
    measures = db.query(
        con,
        "workspace_measures",
        programme_id=programme_id,
        lang="fi",
        theme_id=None,
        include_closed=False,
        keep=[],
        today=date.today(),
    ).head(20)
    first = measures[measures["is_published"] & (measures["status"] != "postponed")].iloc[0]
    measure_id, code, title = int(first["id"]), first["code"], first["title"]
    con.close()
    sheet = tmp_path / "toimenpiteet.csv"
    importer.write_sample_file(sheet, measures=40, years=2)

    with running_app(demo_db_path) as server_1, running_app(demo_db_path) as server_2:
        a = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        b = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        sign_in(a, server_1, "a@joensuu.example")
        sign_in(b, server_2, "b@joensuu.example")
        open_weekly(a)
        open_weekly(b)  # B now holds the measure's version from before A's save

        cli = [sys.executable, "-m", "tracker", "--db", demo_db_path]
        commands = [
            [*cli, "users", "add", "c@joensuu.example", "--role", "viewer"],
            [*cli, "import", str(sheet), "--programme", "Kahden palvelimen ohjelma", "--organisation", "Järvikunta"],
        ]
        running = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for c in commands]

        set_status(a, measure_id, "Lykätty")
        a.get_by_text("Tallennettu 1 toimenpide").wait_for(timeout=60000)

        # server 2 shows it on its next run
        visitor = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
        visitor.goto(f"{server_2}/measure?code={code}")
        visitor.get_by_text(title).first.wait_for(timeout=60000)
        settle(visitor)
        assert "Lykätty" in visitor.inner_text("[data-testid='stMain']")

        # B's page still holds the version from before A's save: refused, not overwritten
        set_status(b, measure_id, "Myöhässä")
        b.get_by_text("Joku muu muutti tätä samaan aikaan").first.wait_for(timeout=60000)

        for process, command in zip(running, commands, strict=True):
            out, _ = process.communicate(timeout=300)
            assert process.returncode == 0, (command[3:], out.decode(errors="replace"))

    con = db.connect(demo_db_path)
    try:
        assert con.execute(
            "SELECT status FROM measures WHERE code = ? AND programme_id = ?", [code, programme_id]
        ).fetchone() == ("postponed",)
        assert con.execute("SELECT role FROM users WHERE email = 'c@joensuu.example'").fetchone() == ("viewer",)
        imported = con.execute(
            "SELECT count(*) FROM measures m JOIN programmes p ON p.id = m.programme_id"
            " WHERE p.name = 'Kahden palvelimen ohjelma'"
        ).fetchone()[0]
        assert imported == 40
        assert problems(con) == {}
    finally:
        con.close()
