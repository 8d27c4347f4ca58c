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
    file: str  # the page's script, relative to the repository root
    title_key: str  # its menu title in the catalogue
    icon: str  # a Material Symbols icon, its own for each page
    url_path: str
    least_role: str  # the least role that opens it (tracker.auth.ROLES, or "anonymous")
    section_key: str  # its navigation section in the catalogue


PAGES: tuple[Page, ...] = (
    Page("app_pages/overview.py", "nav.overview", ":material/dashboard:", "overview", "anonymous", PROGRAMME),
    Page("app_pages/measures.py", "nav.measures", ":material/list:", "measures", "anonymous", PROGRAMME),
    Page("app_pages/measure.py", "nav.measure", ":material/description:", "measure", "anonymous", PROGRAMME),
    Page("app_pages/budget.py", "nav.budget", ":material/payments:", "budget", "anonymous", PROGRAMME),
    Page("app_pages/national.py", "nav.national", ":material/domain:", "national", "anonymous", NATIONAL),
    Page("app_pages/public.py", "nav.public", ":material/public:", "public", "anonymous", PUBLIC),
    Page(
        "app_pages/accessibility.py",
        "nav.accessibility",
        ":material/accessibility:",
        "accessibility",
        "anonymous",
        PUBLIC,
    ),
    Page("app_pages/weekly.py", "nav.weekly", ":material/edit_note:", "weekly", "editor", WORKSPACE),
    Page("app_pages/measure_form.py", "nav.measure_form", ":material/edit:", "measure-form", "editor", WORKSPACE),
    Page("app_pages/budget_lines.py", "nav.budget_lines", ":material/euro:", "budget-lines", "editor", WORKSPACE),
    Page(
        "app_pages/decisions_register.py",
        "nav.decisions_register",
        ":material/gavel:",
        "decisions-register",
        "editor",
        WORKSPACE,
    ),
    Page("app_pages/audit.py", "nav.audit", ":material/history:", "audit", "viewer", WORKSPACE),
    Page(
        "app_pages/import_export.py",
        "import_page.nav_title",
        ":material/upload_file:",
        "import-export",
        "editor",
        WORKSPACE,
    ),
    Page("app_pages/decision_paste.py", "decisions.page", ":material/content_paste:", "decision", "editor", WORKSPACE),
    Page("app_pages/embed_builder.py", "nav.embed_builder", ":material/code:", "embed", "admin", ADMIN),
    Page("app_pages/users.py", "nav.users", ":material/group:", "users", "admin", ADMIN),
    Page("app_pages/settings.py", "nav.settings", ":material/settings:", "settings", "admin", ADMIN),
)

# The sign-in page: in the menu for visitors not signed in, and run at the URL of
# every page the caller's role does not open.
SIGN_IN = Page("app_pages/signin.py", "nav.sign_in", ":material/login:", "sign-in", "anonymous", WORKSPACE)
