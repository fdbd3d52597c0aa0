"""The serious offences a criterion may target: its ``purpose``.

EU PNR Directive 2016/681 allows PNR processing only for terrorist offences
(art. 3(8)) and the serious crimes of its Annex II; the CJEU (C-817/19) added that
the offence needs an objective link, even indirect, with air travel.  A criterion
names one of these, so oversight can check that each rule serves a lawful purpose
and a jurisdiction can narrow the list in its policy.
"""

from __future__ import annotations

from enum import StrEnum


class Offence(StrEnum):
    TERRORISM = "terrorism"  # art. 3(8), Directive (EU) 2017/541
    # Annex II, items 1-26, in order
    CRIMINAL_ORGANISATION = "criminal_organisation"
    HUMAN_TRAFFICKING = "human_trafficking"
    CHILD_SEXUAL_EXPLOITATION = "child_sexual_exploitation"
    DRUG_TRAFFICKING = "drug_trafficking"
    WEAPONS_TRAFFICKING = "weapons_trafficking"
    CORRUPTION = "corruption"
    FRAUD = "fraud"
    MONEY_LAUNDERING_COUNTERFEITING = "money_laundering_counterfeiting"
    CYBERCRIME = "cybercrime"
    ENVIRONMENTAL_CRIME = "environmental_crime"
    FACILITATION_OF_UNAUTHORISED_ENTRY = "facilitation_of_unauthorised_entry"
    MURDER_GRIEVOUS_BODILY_INJURY = "murder_grievous_bodily_injury"
    ORGAN_TRAFFICKING = "organ_trafficking"
    KIDNAPPING_HOSTAGE_TAKING = "kidnapping_hostage_taking"
    ORGANISED_ARMED_ROBBERY = "organised_armed_robbery"
    CULTURAL_GOODS_TRAFFICKING = "cultural_goods_trafficking"
    COUNTERFEITING_PIRACY_OF_PRODUCTS = "counterfeiting_piracy_of_products"
    DOCUMENT_FORGERY = "document_forgery"
    HORMONE_TRAFFICKING = "hormone_trafficking"
    NUCLEAR_MATERIALS_TRAFFICKING = "nuclear_materials_trafficking"
    RAPE = "rape"
    INTERNATIONAL_CRIMINAL_COURT_CRIMES = "international_criminal_court_crimes"
    UNLAWFUL_SEIZURE_OF_AIRCRAFT_SHIPS = "unlawful_seizure_of_aircraft_ships"
    SABOTAGE = "sabotage"
    STOLEN_VEHICLE_TRAFFICKING = "stolen_vehicle_trafficking"
    INDUSTRIAL_ESPIONAGE = "industrial_espionage"
