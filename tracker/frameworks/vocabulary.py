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


def _terms(*terms: Term) -> dict[str, Term]:
    return {term.code: term for term in terms}


# The GPC sectors (GHG Protocol for Cities), at the sub-sector level the Covenant's sectors need.
SECTORS = _terms(
    Term(
        "stationary_residential",
        "framework.sector.stationary_residential",
        "Stationary energy",
        "Residential buildings",
        "I.1",
    ),
    Term(
        "stationary_commercial",
        "framework.sector.stationary_commercial",
        "Stationary energy",
        "Tertiary (non municipal) buildings, equipment/facilities",
        "I.2",
    ),
    Term(
        "stationary_municipal",
        "framework.sector.stationary_municipal",
        "Stationary energy",
        "Municipal buildings, equipment/facilities",
        "I.2",
    ),
    Term(
        "stationary_public_lighting",
        "framework.sector.stationary_public_lighting",
        "Stationary energy",
        "Public lighting",
        "I.2",
    ),
    Term("stationary_industry", "framework.sector.stationary_industry", "Stationary energy", "Industry", "I.3"),
    Term(
        "stationary_energy_electricity",
        "framework.sector.stationary_energy_electricity",
        "Stationary energy",
        "Local electricity production",
        "I.4",
    ),
    Term(
        "stationary_energy_heat",
        "framework.sector.stationary_energy_heat",
        "Stationary energy",
        "Local heat/cold production",
        "I.4",
    ),
    Term("stationary_agriculture", "framework.sector.stationary_agriculture", "Stationary energy", "Other", "I.5"),
    Term("transport", "framework.sector.transport", "Transportation", "Transport", "II"),
    Term("waste", "framework.sector.waste", "Waste", "Waste", "III"),
    Term("ippu", "framework.sector.ippu", "IPPU", "Industry", "IV"),
    Term("afolu", "framework.sector.afolu", "AFOLU", "Other", "V"),
    Term("cross_sector", "framework.sector.cross_sector", "Cross-sector", "Other", ""),
)

FINANCING_SOURCES = _terms(
    Term("own", "framework.financing.own", "Jurisdiction's own resources", "Local authority's own resources"),
    Term("national", "framework.financing.national", "National funds and programmes", "National funds and programmes"),
    Term("regional", "framework.financing.regional", "Regional funds and programmes", "Regional funds and programmes"),
    Term("eu", "framework.financing.eu", "International (including ODA)", "EU funds and programmes"),
    Term("international", "framework.financing.international", "International (including ODA)", "Other"),
    Term("ppp", "framework.financing.ppp", "Public-private partnerships", "Public-private partnerships"),
    Term("private", "framework.financing.private", "Other: private funding", "Private partnerships"),
    Term("other", "framework.financing.other", "Other", "Other"),
)

# The status of financing; the CDP export folds it into the action's status (2024 wording)
# and also writes it in words in its own column.
FINANCE_STATUSES = _terms(
    Term("not_needed", "framework.finance.not_needed", "Finance not needed"),
    Term("not_secured", "framework.finance.not_secured", "Finance not secured"),
    Term("partially_secured", "framework.finance.partially_secured", "Finance partially secured"),
    Term("secured", "framework.finance.secured", "Finance secured"),
)

# Co-benefits, written "Category: benefit" as CDP's 2024-cycle data does.
CO_BENEFITS = _terms(
    Term("air_quality", "framework.co_benefit.air_quality", "Public Health: Improved air quality"),
    Term("physical_health", "framework.co_benefit.physical_health", "Public Health: Improved physical health"),
    Term("noise", "framework.co_benefit.noise", "Public Health: Reduced noise pollution"),
    Term("reduced_costs", "framework.co_benefit.reduced_costs", "Economic: Reduced costs"),
    Term("jobs", "framework.co_benefit.jobs", "Economic: Job creation"),
    Term("energy_security", "framework.co_benefit.energy_security", "Economic: Enhanced energy security"),
    Term("green_space", "framework.co_benefit.green_space", "Environmental: Increased/improved green space"),
    Term("biodiversity", "framework.co_benefit.biodiversity", "Environmental: Improved biodiversity"),
    Term("energy_poverty", "framework.co_benefit.energy_poverty", "Social: Reduced fuel/energy poverty"),
    Term("resilience", "framework.co_benefit.resilience", "Social: Enhanced resilience"),
)

# The Covenant of Mayors' areas of intervention (SECAP template / MyCovenant).
COM_AREAS = _terms(
    Term(
        "heating_efficiency",
        "framework.com_area.heating_efficiency",
        com="Energy efficiency in space heating and hot water",
    ),
    Term("lighting", "framework.com_area.lighting", com="Energy efficient lighting systems"),
    Term("appliances", "framework.com_area.appliances", com="Energy efficient electrical appliances"),
    Term("building_envelope", "framework.com_area.building_envelope", com="Building envelope"),
    Term("buildings_efficiency", "framework.com_area.buildings_efficiency", com="Energy efficiency in buildings"),
    Term(
        "renewable_heating",
        "framework.com_area.renewable_heating",
        com="Renewable energy for space heating and hot water",
    ),
    Term("ict", "framework.com_area.ict", com="Information and communication technologies"),
    Term(
        "industry_processes", "framework.com_area.industry_processes", com="Energy efficiency in industrial processes"
    ),
    Term("industry_renewables", "framework.com_area.industry_renewables", com="Industry renewable energy"),
    Term("industry_other", "framework.com_area.industry_other", com="Industry other"),
    Term("photovoltaics", "framework.com_area.photovoltaics", com="Photovoltaics"),
    Term("wind", "framework.com_area.wind", com="Wind power"),
    Term("hydro", "framework.com_area.hydro", com="Hydroelectric power"),
    Term("biomass", "framework.com_area.biomass", com="Biomass power plant"),
    Term("chp", "framework.com_area.chp", com="Combined heat and power"),
    Term("smart_grids", "framework.com_area.smart_grids", com="Smart grids"),
    Term(
        "district_heating_network",
        "framework.com_area.district_heating_network",
        com="District heating cooling network",
    ),
    Term("district_heating_plant", "framework.com_area.district_heating_plant", com="District heating cooling plant"),
    Term("cleaner_vehicles", "framework.com_area.cleaner_vehicles", com="Cleaner efficient vehicles"),
    Term("electric_vehicles", "framework.com_area.electric_vehicles", com="Electric vehicles"),
    Term("walking_cycling", "framework.com_area.walking_cycling", com="Modal shift to walking and cycling"),
    Term("public_transport", "framework.com_area.public_transport", com="Modal shift to public transport"),
    Term("car_sharing", "framework.com_area.car_sharing", com="Car sharing pooling"),
    Term("logistics", "framework.com_area.logistics", com="Improvement of logistics and urban freight transport"),
    Term("road_network", "framework.com_area.road_network", com="Road network optimisation"),
    Term("mixed_use", "framework.com_area.mixed_use", com="Mixed use development and sprawl containment"),
    Term("eco_driving", "framework.com_area.eco_driving", com="Eco driving"),
    Term("urban_regeneration", "framework.com_area.urban_regeneration", com="Urban regeneration"),
    Term("tree_planting", "framework.com_area.tree_planting", com="Tree planting in urban areas"),
    Term("agriculture_forestry", "framework.com_area.agriculture_forestry", com="Agriculture and forestry related"),
    Term("waste_water", "framework.com_area.waste_water", com="Waste and wastewater management"),
    Term("behaviour", "framework.com_area.behaviour", com="Behavioural changes"),
    Term("integrated", "framework.com_area.integrated", com="Integrated action"),
)

# The Covenant of Mayors' policy instruments.
COM_INSTRUMENTS = _terms(
    Term("awareness", "framework.com_instrument.awareness", com="Awareness raising training"),
    Term("energy_management", "framework.com_instrument.energy_management", com="Energy management"),
    Term("certification", "framework.com_instrument.certification", com="Energy certification labelling"),
    Term("supplier_obligations", "framework.com_instrument.supplier_obligations", com="Energy suppliers obligations"),
    Term("taxes", "framework.com_instrument.taxes", com="Energy carbon taxes"),
    Term("grants", "framework.com_instrument.grants", com="Grants and subsidies"),
    Term("third_party_financing", "framework.com_instrument.third_party_financing", com="Third party financing"),
    Term("procurement", "framework.com_instrument.procurement", com="Public procurement"),
    Term("building_standards", "framework.com_instrument.building_standards", com="Building standards"),
    Term("performance_standards", "framework.com_instrument.performance_standards", com="Energy performance standards"),
    Term("land_use", "framework.com_instrument.land_use", com="Land use planning"),
    Term("mobility_planning", "framework.com_instrument.mobility_planning", com="Mobility planning regulation"),
    Term("road_pricing", "framework.com_instrument.road_pricing", com="Road pricing"),
    Term("ticketing", "framework.com_instrument.ticketing", com="Integrated ticketing and charging"),
    Term(
        "voluntary_agreements",
        "framework.com_instrument.voluntary_agreements",
        com="Voluntary agreements with stakeholders",
    ),
    Term("not_applicable", "framework.com_instrument.not_applicable", com="Not applicable"),
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
