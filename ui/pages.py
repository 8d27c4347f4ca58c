"""The page registry: every page of the app as a small named record, in menu
order. dashboard.py builds the navigation from it; the benchmark and the tests
import it. No Streamlit import here."""

from __future__ import annotations

from dataclasses import dataclass

# Navigation sections (catalogue keys), in menu order.
PROGRAMME = "nav.section_programme"
NATIONAL = "nav.section_national"
PUBLIC = "nav.section_public"
WORKSPACE = "nav.section_workspace"
ADMIN = "nav.section_admin"


@dataclass(frozen=True)
class Page:
    module: str  # the page's script: app_pages/<module>.py
    title_key: str  # its menu title in the catalogue
    icon: str  # a Material Symbols icon, its own for each page
    url_path: str
    least_role: str  # the least role that opens it (tracker.auth.ROLES, or "anonymous")
    section_key: str  # its navigation section in the catalogue

    @property
    def file(self) -> str:
        """The page's script, relative to the repository root (as st.Page takes it)."""
        return f"app_pages/{self.module}.py"


PAGES: tuple[Page, ...] = (
    Page("overview", "nav.overview", ":material/dashboard:", "overview", "anonymous", PROGRAMME),
    Page("measures", "nav.measures", ":material/list:", "measures", "anonymous", PROGRAMME),
    Page("measure", "nav.measure", ":material/description:", "measure", "anonymous", PROGRAMME),
    Page("budget", "nav.budget", ":material/payments:", "budget", "anonymous", PROGRAMME),
    # -- indicators and emissions (issue 16) --
    Page("indicators", "nav.indicators", ":material/monitoring:", "indicators", "anonymous", PROGRAMME),
    # -- the reporting cycle (issue 14): leadership pages --
    Page("report", "nav.report", ":material/summarize:", "report", "viewer", PROGRAMME),
    Page("period_compare", "nav.period_compare", ":material/compare_arrows:", "compare", "viewer", PROGRAMME),
    # -- end of the reporting cycle's leadership pages --
    Page("national", "nav.national", ":material/domain:", "national", "anonymous", NATIONAL),
    Page("public", "nav.public", ":material/public:", "public", "anonymous", PUBLIC),
    Page("accessibility", "nav.accessibility", ":material/accessibility:", "accessibility", "anonymous", PUBLIC),
    Page("weekly", "nav.weekly", ":material/edit_note:", "weekly", "editor", WORKSPACE),
    Page("measure_form", "nav.measure_form", ":material/edit:", "measure-form", "editor", WORKSPACE),
    Page("budget_lines", "nav.budget_lines", ":material/euro:", "budget-lines", "editor", WORKSPACE),
    Page("decisions_register", "nav.decisions_register", ":material/gavel:", "decisions-register", "editor", WORKSPACE),
    Page("audit", "nav.audit", ":material/history:", "audit", "viewer", WORKSPACE),
    Page("import_export", "import_page.nav_title", ":material/upload_file:", "import-export", "editor", WORKSPACE),
    Page("decision_paste", "decisions.page", ":material/content_paste:", "decision", "editor", WORKSPACE),
    # -- indicators and emissions (issue 16) --
    Page("indicator_form", "nav.indicator_form", ":material/query_stats:", "indicator-form", "editor", WORKSPACE),
    # -- the reporting cycle (issue 14): workspace pages --
    Page("periods", "nav.periods", ":material/event_available:", "periods", "editor", WORKSPACE),
    Page("reminders", "nav.reminders", ":material/notifications:", "reminders", "editor", WORKSPACE),
    # -- end of the reporting cycle's workspace pages --
    # -- issue 15: residents' feedback --
    Page("feedback_inbox", "inbox.nav", ":material/inbox:", "feedback", "editor", WORKSPACE),
    Page("embed_builder", "nav.embed_builder", ":material/code:", "embed", "admin", ADMIN),
    Page("users", "nav.users", ":material/group:", "users", "admin", ADMIN),
    Page("settings", "nav.settings", ":material/settings:", "settings", "admin", ADMIN),
)

# The sign-in page: in the menu for visitors not signed in, and run at the URL of
# every page the caller's role does not open.
SIGN_IN = Page("signin", "nav.sign_in", ":material/login:", "sign-in", "anonymous", WORKSPACE)
