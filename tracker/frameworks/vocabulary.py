"""The vocabularies of the optional per-measure fields the frameworks ask for:
each code with the catalogue key of its fi/sv/en label and the value the
CDP-ICLEI Track and Covenant of Mayors exports write for it.

Sources and what could not be checked: docs/frameworks.md. The codes are what
the database, the form and the spreadsheet hold; a framework's wording may
change between its reporting cycles, the codes stay.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    key: str  # catalogue key of the label
    cdp: str | None = None  # what the CDP export writes (None: nothing)
    com: str | None = None  # what the Covenant of Mayors export writes (None: nothing)
    gpc: str = ""  # the GPC reference number (sectors only)


def _term(key: str, *exports: str | None) -> Term:
    """A term from its label's catalogue key (``framework.<group>.<code>``, written out
    whole so that the catalogue check finds it) and what the exports write (cdp, com, gpc)."""
    return Term(key.rsplit(".", 1)[1], key, *exports)


def _terms(*rows: tuple) -> dict[str, Term]:
    """A vocabulary from rows of (catalogue key, cdp, com, gpc), trailing values optional."""
    return {term.code: term for term in (_term(*row) for row in rows)}


def _covenant_terms(com_by_key: dict[str, str]) -> dict[str, Term]:
    """A vocabulary only the Covenant of Mayors export writes: catalogue key -> its words."""
    return {term.code: term for term in (_term(key, None, com) for key, com in com_by_key.items())}


# The GPC sectors (GHG Protocol for Cities), at the sub-sector level the Covenant's sectors need.
SECTORS = _terms(
    ("framework.sector.stationary_residential", "Stationary energy", "Residential buildings", "I.1"),
    (
        "framework.sector.stationary_commercial",
        "Stationary energy",
        "Tertiary (non municipal) buildings, equipment/facilities",
        "I.2",
    ),
    ("framework.sector.stationary_municipal", "Stationary energy", "Municipal buildings, equipment/facilities", "I.2"),
    ("framework.sector.stationary_public_lighting", "Stationary energy", "Public lighting", "I.2"),
    ("framework.sector.stationary_industry", "Stationary energy", "Industry", "I.3"),
    ("framework.sector.stationary_energy_electricity", "Stationary energy", "Local electricity production", "I.4"),
    ("framework.sector.stationary_energy_heat", "Stationary energy", "Local heat/cold production", "I.4"),
    ("framework.sector.stationary_agriculture", "Stationary energy", "Other", "I.5"),
    ("framework.sector.transport", "Transportation", "Transport", "II"),
    ("framework.sector.waste", "Waste", "Waste", "III"),
    ("framework.sector.ippu", "IPPU", "Industry", "IV"),
    ("framework.sector.afolu", "AFOLU", "Other", "V"),
    ("framework.sector.cross_sector", "Cross-sector", "Other"),
)

FINANCING_SOURCES = _terms(
    ("framework.financing.own", "Jurisdiction's own resources", "Local authority's own resources"),
    ("framework.financing.national", "National funds and programmes", "National funds and programmes"),
    ("framework.financing.regional", "Regional funds and programmes", "Regional funds and programmes"),
    ("framework.financing.eu", "International (including ODA)", "EU funds and programmes"),
    ("framework.financing.international", "International (including ODA)", "Other"),
    ("framework.financing.ppp", "Public-private partnerships", "Public-private partnerships"),
    ("framework.financing.private", "Other: private funding", "Private partnerships"),
    ("framework.financing.other", "Other", "Other"),
)

# The status of financing; the CDP export folds it into the action's status (2024 wording)
# and also writes it in words in its own column.
FINANCE_STATUSES = _terms(
    ("framework.finance.not_needed", "Finance not needed"),
    ("framework.finance.not_secured", "Finance not secured"),
    ("framework.finance.partially_secured", "Finance partially secured"),
    ("framework.finance.secured", "Finance secured"),
)

# Co-benefits, written "Category: benefit" as CDP's 2024-cycle data does.
CO_BENEFITS = _terms(
    ("framework.co_benefit.air_quality", "Public Health: Improved air quality"),
    ("framework.co_benefit.physical_health", "Public Health: Improved physical health"),
    ("framework.co_benefit.noise", "Public Health: Reduced noise pollution"),
    ("framework.co_benefit.reduced_costs", "Economic: Reduced costs"),
    ("framework.co_benefit.jobs", "Economic: Job creation"),
    ("framework.co_benefit.energy_security", "Economic: Enhanced energy security"),
    ("framework.co_benefit.green_space", "Environmental: Increased/improved green space"),
    ("framework.co_benefit.biodiversity", "Environmental: Improved biodiversity"),
    ("framework.co_benefit.energy_poverty", "Social: Reduced fuel/energy poverty"),
    ("framework.co_benefit.resilience", "Social: Enhanced resilience"),
)

# The Covenant of Mayors' areas of intervention (SECAP template / MyCovenant).
COM_AREAS = _covenant_terms(
    {
        "framework.com_area.heating_efficiency": "Energy efficiency in space heating and hot water",
        "framework.com_area.lighting": "Energy efficient lighting systems",
        "framework.com_area.appliances": "Energy efficient electrical appliances",
        "framework.com_area.building_envelope": "Building envelope",
        "framework.com_area.buildings_efficiency": "Energy efficiency in buildings",
        "framework.com_area.renewable_heating": "Renewable energy for space heating and hot water",
        "framework.com_area.ict": "Information and communication technologies",
        "framework.com_area.industry_processes": "Energy efficiency in industrial processes",
        "framework.com_area.industry_renewables": "Industry renewable energy",
        "framework.com_area.industry_other": "Industry other",
        "framework.com_area.photovoltaics": "Photovoltaics",
        "framework.com_area.wind": "Wind power",
        "framework.com_area.hydro": "Hydroelectric power",
        "framework.com_area.biomass": "Biomass power plant",
        "framework.com_area.chp": "Combined heat and power",
        "framework.com_area.smart_grids": "Smart grids",
        "framework.com_area.district_heating_network": "District heating cooling network",
        "framework.com_area.district_heating_plant": "District heating cooling plant",
        "framework.com_area.cleaner_vehicles": "Cleaner efficient vehicles",
        "framework.com_area.electric_vehicles": "Electric vehicles",
        "framework.com_area.walking_cycling": "Modal shift to walking and cycling",
        "framework.com_area.public_transport": "Modal shift to public transport",
        "framework.com_area.car_sharing": "Car sharing pooling",
        "framework.com_area.logistics": "Improvement of logistics and urban freight transport",
        "framework.com_area.road_network": "Road network optimisation",
        "framework.com_area.mixed_use": "Mixed use development and sprawl containment",
        "framework.com_area.eco_driving": "Eco driving",
        "framework.com_area.urban_regeneration": "Urban regeneration",
        "framework.com_area.tree_planting": "Tree planting in urban areas",
        "framework.com_area.agriculture_forestry": "Agriculture and forestry related",
        "framework.com_area.waste_water": "Waste and wastewater management",
        "framework.com_area.behaviour": "Behavioural changes",
        "framework.com_area.integrated": "Integrated action",
    },
)

# The Covenant of Mayors' policy instruments.
COM_INSTRUMENTS = _covenant_terms(
    {
        "framework.com_instrument.awareness": "Awareness raising training",
        "framework.com_instrument.energy_management": "Energy management",
        "framework.com_instrument.certification": "Energy certification labelling",
        "framework.com_instrument.supplier_obligations": "Energy suppliers obligations",
        "framework.com_instrument.taxes": "Energy carbon taxes",
        "framework.com_instrument.grants": "Grants and subsidies",
        "framework.com_instrument.third_party_financing": "Third party financing",
        "framework.com_instrument.procurement": "Public procurement",
        "framework.com_instrument.building_standards": "Building standards",
        "framework.com_instrument.performance_standards": "Energy performance standards",
        "framework.com_instrument.land_use": "Land use planning",
        "framework.com_instrument.mobility_planning": "Mobility planning regulation",
        "framework.com_instrument.road_pricing": "Road pricing",
        "framework.com_instrument.ticketing": "Integrated ticketing and charging",
        "framework.com_instrument.voluntary_agreements": "Voluntary agreements with stakeholders",
        "framework.com_instrument.not_applicable": "Not applicable",
    },
)

# measure column -> its vocabulary, for the fields that hold one code (co_benefits holds a list)
CODED_FIELDS: dict[str, dict[str, Term]] = {
    "sector": SECTORS,
    "financing_source": FINANCING_SOURCES,
    "finance_status": FINANCE_STATUSES,
    "com_area": COM_AREAS,
    "com_instrument": COM_INSTRUMENTS,
}
LIST_FIELDS: dict[str, dict[str, Term]] = {"co_benefits": CO_BENEFITS}
# measure column -> the largest value it holds (DECIMAL(14, 2)); the share is a per cent 0-100
AMOUNT_FIELDS = ("total_cost_eur", "emission_reduction_t", "energy_saved_mwh", "renewable_energy_mwh")
SHARE_FIELD = "municipal_share_pct"
# Every optional framework field of a measure, in the order the form and the spreadsheet show them.
FIELDS = (
    "sector",
    "financing_source",
    "finance_status",
    "total_cost_eur",
    "municipal_share_pct",
    "co_benefits",
    "emission_reduction_t",
    "energy_saved_mwh",
    "renewable_energy_mwh",
    "com_area",
    "com_instrument",
)


def vocabulary(field: str) -> dict[str, Term]:
    return CODED_FIELDS.get(field) or LIST_FIELDS[field]
