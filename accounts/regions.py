"""World regions of countries (the UN geoscheme's continents, with Europe's east and west apart), so that
matching can say "also in Western Europe" when a peer works in a country like the requester's."""

from django.utils.translation import gettext_lazy as _

_REGIONS = {
    "western-europe": (_("Western Europe"), "AD AT BE CH CY DE DK ES FI FO FR GB GI GR IE IS IT LI LU MC MT NL NO "
                                            "PT SE SM VA"),
    "eastern-europe": (_("Central and Eastern Europe"), "AL BA BG BY CZ EE HR HU LT LV MD ME MK PL RO RS RU SI "
                                                        "SK UA XK"),
    "middle-east": (_("Middle East and North Africa"), "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SY TN TR "
                                                       "YE"),
    "africa": (_("Sub-Saharan Africa"), "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS "
                                        "MG ML MR MU MW MZ NA NE NG RW SC SD SL SN SO SS ST SZ TD TG TZ UG ZA ZM "
                                        "ZW"),
    "asia": (_("Asia"), "AF AM AZ BD BN BT CN GE HK ID IN JP KG KH KP KR KZ LA LK MM MN MO MV MY NP PH PK SG TH "
                        "TJ TL TM TW UZ VN"),
    "americas": (_("The Americas"), "AG AR BB BO BR BS BZ CA CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI "
                                    "PA PE PR PY SR SV TT US UY VC VE"),
    "oceania": (_("Oceania"), "AU FJ FM KI MH NR NZ PG PW SB TO TV VU WS"),
}

REGION_OF: dict[str, str] = {code: key for key, (_name, codes) in _REGIONS.items() for code in codes.split()}


def region_of(country: str) -> str:
    """The region key of an ISO 3166 country code, "" when unknown."""
    return REGION_OF.get(str(country).upper(), "")


def region_name(key: str) -> str:
    return str(_REGIONS[key][0]) if key in _REGIONS else ""


def countries_in(key: str) -> list[str]:
    return _REGIONS[key][1].split() if key in _REGIONS else []
