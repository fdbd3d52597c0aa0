"""The ``germany`` profile: a large PIU, about 420,000 travellers a day.

Germany's PIU receives API and PNR data for international flights to and from
Frankfurt, Munich, Berlin, Düsseldorf, Hamburg, Stuttgart, Cologne/Bonn and the
smaller airports.  As in :mod:`openpiu.synth.profiles`, airport and country facts
(time zones, positions, countries) come from airportsdata and pycountry; what is
written here is the traffic pattern.  The carriers and city pairs are real
operators and routes; frequencies, times and load factors are plausible, not a
timetable.  Routes are written compactly (one line: a carrier, a German airport,
the destinations it serves, the aircraft, the daily frequency) and expanded into
:class:`~openpiu.synth.profiles.Route` rows with flight numbers and departure
times spread over the day.

Nationalities whose names have no table in :mod:`openpiu.synth.names_data` are
mapped to the closest culture that has one (see ``CULTURES``): Ukrainians to the
Russian table (Cyrillic, but Ukrainian passports use the Ukrainian national
romanisation, so their MRZ spellings are approximate), Austrians and Swiss to
German, Portuguese to Spanish, Dutch to German, Iranians to Afghan (Persian
names), Pakistanis to Indian, Syrians, Iraqis and Egyptians to Arab.
"""

from __future__ import annotations

from openpiu.synth.profiles import Agency, Carrier, Profile, Route

_D = "DEU"

CARRIERS = (
    Carrier("LH", "LUFTHANSA", _D, "1A", "220"),
    Carrier("DE", "CONDOR", _D, "1A", "881"),
    Carrier("EW", "EUROWINGS", _D, "1A", "104"),
    Carrier("LX", "SWISS", "CHE", "1A", "724"),
    Carrier("OS", "AUSTRIAN", "AUT", "1A", "257"),
    Carrier("TK", "TURKISH AIRLINES", "TUR", "1A", "235"),
    Carrier("PC", "PEGASUS", "TUR", "1A", "624"),
    Carrier("XQ", "SUNEXPRESS", "TUR", "1A", "564"),
    Carrier("EK", "EMIRATES", "ARE", "1S", "176"),
    Carrier("QR", "QATAR AIRWAYS", "QAT", "1A", "157"),
    Carrier("EY", "ETIHAD", "ARE", "1A", "607"),
    Carrier("UA", "UNITED", "USA", "1S", "016"),
    Carrier("DL", "DELTA", "USA", "1S", "006"),
    Carrier("AA", "AMERICAN AIRLINES", "USA", "1S", "001"),
    Carrier("AC", "AIR CANADA", "CAN", "1A", "014"),
    Carrier("BA", "BRITISH AIRWAYS", "GBR", "1A", "125"),
    Carrier("AF", "AIR FRANCE", "FRA", "1A", "057"),
    Carrier("KL", "KLM", "NLD", "1A", "074"),
    Carrier("IB", "IBERIA", "ESP", "1A", "075"),
    Carrier("AZ", "ITA AIRWAYS", "ITA", "1A", "055"),
    Carrier("LO", "LOT", "POL", "1A", "080"),
    Carrier("FR", "RYANAIR", "IRL", "1N", "224"),
    Carrier("U2", "EASYJET", "GBR", "1N", "888"),
    Carrier("CA", "AIR CHINA", "CHN", "1E", "999"),
    Carrier("AI", "AIR INDIA", "IND", "1A", "098"),
    Carrier("SQ", "SINGAPORE AIRLINES", "SGP", "1A", "618"),
)

# (carrier, home airports, destinations, equipment, flights a day each way per
# pair, load factor, nationality mix).  Every home x destination pair is a route.
_SPEC: tuple[tuple[str, str, str, str, int, float, str], ...] = (
    # Lufthansa hubs: Europe several times a day, long-haul once or twice.
    ("LH", "FRA MUC", "LHR CDG AMS BRU ZRH VIE MAD BCN FCO MXP LIN", "32N", 8, 0.80, "west"),
    ("LH", "FRA MUC", "LIS CPH ARN OSL HEL DUB ATH NCE GVA MAN BLQ VCE", "320", 4, 0.79, "west"),
    ("LH", "FRA MUC", "WAW KRK PRG BUD OTP SOF BEG ZAG RIX VNO WRO", "320", 4, 0.80, "east"),
    ("LH", "FRA", "JFK EWR ORD IAD BOS ATL YYZ", "74H", 1, 0.86, "america"),
    ("LH", "FRA MUC", "LAX SFO MIA DEN", "359", 1, 0.85, "america"),
    ("LH", "FRA MUC", "PEK PVG HKG SIN ICN HND BKK", "359", 1, 0.83, "asia"),
    ("LH", "FRA MUC", "DEL BOM BLR", "359", 1, 0.88, "india"),
    ("LH", "FRA", "DXB DOH RUH CAI TLV AMM", "321", 1, 0.80, "gulf"),
    ("LH", "FRA", "JNB GRU MEX", "359", 1, 0.84, "long"),
    ("LH", "FRA MUC", "EDI BHX LYS MRS TLS OPO AGP PMI VLC NAP CTA BRI SVQ BIO", "32N", 3, 0.79,
     "west"),
    # Eurowings and Condor: leisure and city routes from every German airport.
    ("EW", "DUS CGN HAM STR BER", "PMI LHR VIE ZRH BCN FCO PRG SPU", "320", 4, 0.82, "holiday"),
    ("EW", "DUS CGN HAM STR", "AYT IST ADB ESB", "320", 2, 0.86, "turkey"),
    ("EW", "DUS CGN", "PRN SJJ BEG OTP KRK", "320", 2, 0.84, "east"),
    ("EW", "BER HAM DUS STR CGN", "OPO AGP ALC VLC NAP CTA OLB SKG HER", "320", 2, 0.83,
     "holiday"),
    ("DE", "HAM STR BER CGN NUE", "PMI HRG SSH AYT KGS CFU", "32Q", 1, 0.88, "holiday"),
    ("DE", "FRA DUS MUC HAM", "PMI HER RHO FUE LPA TFS HRG FAO", "32Q", 2, 0.88, "holiday"),
    ("DE", "FRA", "JFK SEA LAS PHX BWI", "339", 1, 0.86, "america"),
    ("DE", "FRA", "CUN PUJ MBA WDH", "339", 1, 0.85, "long"),
    # Turkish carriers: the largest diaspora, daily from almost everywhere.
    ("TK", "FRA MUC BER DUS HAM STR CGN HAJ NUE", "IST", "321", 5, 0.84, "turkey"),
    ("TK", "FRA MUC DUS", "IST", "77W", 1, 0.86, "turkey"),
    ("PC", "FRA MUC BER DUS HAM STR CGN", "SAW", "32N", 3, 0.88, "turkey"),
    ("XQ", "FRA MUC BER DUS HAM STR CGN HAJ NUE", "AYT ADB", "7M8", 3, 0.90, "turkey"),
    ("XQ", "DUS CGN STR FRA", "ESB GZT ASR", "7M8", 1, 0.90, "turkey"),
    # Gulf hubs.
    ("EK", "FRA MUC DUS HAM", "DXB", "388", 1, 0.86, "gulf"),
    ("EK", "FRA MUC", "DXB", "77W", 1, 0.85, "gulf"),
    ("QR", "FRA MUC BER DUS", "DOH", "789", 1, 0.86, "gulf"),
    ("EY", "FRA MUC DUS", "AUH", "789", 1, 0.82, "gulf"),
    # North America.
    ("UA", "FRA MUC", "EWR IAD ORD SFO", "789", 1, 0.86, "america"),
    ("UA", "BER", "EWR", "763", 1, 0.84, "america"),
    ("DL", "FRA MUC", "ATL JFK DTW", "333", 1, 0.85, "america"),
    ("AA", "FRA MUC", "DFW CLT PHL", "789", 1, 0.84, "america"),
    ("AC", "FRA MUC", "YYZ YUL YVR", "789", 1, 0.85, "america"),
    # European network carriers to their hubs.
    ("LX", "FRA MUC BER DUS HAM STR CGN", "ZRH", "221", 4, 0.76, "west"),
    ("OS", "FRA MUC BER DUS HAM STR CGN", "VIE", "E95", 4, 0.74, "west"),
    ("BA", "FRA MUC BER DUS HAM STR", "LHR", "320", 4, 0.80, "west"),
    ("AF", "FRA MUC BER DUS HAM STR", "CDG", "320", 4, 0.80, "west"),
    ("KL", "FRA MUC BER DUS HAM STR CGN HAJ", "AMS", "73H", 4, 0.82, "west"),
    ("IB", "FRA MUC DUS", "MAD", "320", 2, 0.80, "west"),
    ("AZ", "FRA MUC BER DUS", "FCO LIN", "320", 2, 0.78, "italy"),
    ("LO", "FRA MUC BER DUS HAM", "WAW", "E95", 3, 0.78, "east"),
    # Low-cost carriers.
    ("FR", "BER CGN HHN FMM NRN", "STN DUB BGY CIA BCN PMI AGP KRK WMI OTP", "738", 3, 0.93,
     "low"),
    ("FR", "BER", "BVA MAD LIS ATH VIE SKG", "738", 2, 0.93, "low"),
    ("U2", "BER HAM", "LGW LTN MXP CDG GVA BSL NAP MAN", "320", 3, 0.90, "low"),
    ("U2", "BER", "AMS NCE PRG LIS PMI EDI BRS", "320", 2, 0.90, "low"),
    # Asia and Africa.
    ("CA", "FRA MUC", "PEK", "359", 1, 0.82, "asia"),
    ("AI", "FRA", "DEL BOM", "789", 1, 0.90, "india"),
    ("SQ", "FRA MUC", "SIN", "359", 1, 0.84, "asia"),
)  # fmt: skip

# Flight number blocks per carrier (outbound even, inbound odd).
_BASE = {"LH": 300, "DE": 1100, "EW": 5000, "TK": 1520, "PC": 1000, "XQ": 100, "EK": 40,
         "QR": 60, "EY": 2, "UA": 900, "DL": 10, "AA": 70, "AC": 840, "LX": 1070, "OS": 110,
         "BA": 900, "AF": 1000, "KL": 1760, "IB": 3500, "AZ": 400, "LO": 370, "FR": 2000,
         "U2": 5100, "CA": 931, "AI": 120, "SQ": 325}  # fmt: skip
_LONG = frozenset(("74H", "359", "339", "77W", "388", "789", "763", "333"))


def _times(k: int, n: int, long_haul: bool, home: str, away: str) -> tuple[str, str]:
    """Departure times (local) of the k-th of n daily rotations: short-haul
    spread from 06:00 to 21:00; long-haul mostly out at midday, back overnight."""
    salt = sum(map(ord, home + away)) % 40
    if long_haul:
        out = 10 * 60 + 20 + salt * 6 + k * 160
        back = 17 * 60 + salt * 9 + k * 120
    else:
        span = 15 * 60 // max(1, n)
        out = 6 * 60 + k * span + salt * 3
        back = out + 150 + salt
    return (f"{out // 60 % 24:02d}:{out % 60:02d}", f"{back // 60 % 24:02d}:{back % 60:02d}")


def _routes() -> tuple[Route, ...]:
    numbers = dict(_BASE)
    out: list[Route] = []
    for carrier, homes, aways, equipment, freq, load, mix in _SPEC:
        for home in homes.split():
            for away in dict.fromkeys(aways.split()):  # a repeated code counts once
                if home == away:
                    continue
                for k in range(freq):
                    n = numbers[carrier]
                    numbers[carrier] = n + 2
                    dep, back = _times(k, freq, equipment in _LONG, home, away)
                    out.append(Route(carrier, n, n + 1, home, away, equipment, dep, back,
                                     load, mix, mix == "east" and k == 0))  # fmt: skip
    return tuple(out)


# Who sits on board, by route type (the PIU's share of Germans is high everywhere).
MIXES = {
    "west": "DEU:58 GBR:6 FRA:6 ITA:5 ESP:4 NLD:3 AUT:3 CHE:3 USA:4 POL:2 TUR:2 IND:2 CHN:2",
    "east": "DEU:40 POL:24 ROU:14 UKR:10 RUS:3 TUR:3 SYR:2 GBR:2 ITA:2",
    "holiday": "DEU:78 AUT:3 CHE:3 NLD:3 POL:4 TUR:3 GBR:2 ESP:2 ITA:2",
    "low": "DEU:42 GBR:12 ITA:9 ESP:8 POL:10 ROU:8 FRA:4 PRT:3 UKR:2 IND:2",
    "italy": "DEU:50 ITA:42 USA:3 GBR:2 ROU:3",
    "turkey": "TUR:46 DEU:44 SYR:4 IRQ:2 IRN:2 AZE:2",
    "gulf": "DEU:42 IND:16 PAK:6 ARE:4 QAT:2 EGY:4 SYR:4 CHN:4 GBR:4 USA:2 IRN:4 SAU:2 "
            "UKR:2 POL:2",
    "america": "USA:44 DEU:40 CAN:6 IND:4 GBR:2 CHN:2 ESP:2",
    "asia": "CHN:38 DEU:40 IND:6 SGP:6 USA:4 GBR:4 RUS:2",
    "india": "IND:64 DEU:30 PAK:2 GBR:2 USA:2",
    "long": "DEU:72 USA:4 ESP:6 GBR:4 FRA:4 ITA:4 CHE:4 AUT:2",
}  # fmt: skip

# Name cultures of each nationality (diasporas included).  Closest-table mappings
# are listed in the module docstring.
CULTURES = {
    "DEU": "german:80 turkish:9 russian:4 polish:3 arab:2 italian:2",
    "AUT": "german:92 turkish:4 polish:2 romanian:2", "CHE": "german:68 french:20 italian:12",
    "NLD": "german:70 english:20 turkish:6 arab:4", "GBR": "english:88 indian:10 polish:2",
    "IRL": "english:96 polish:4", "USA": "english:76 spanish:14 indian:4 chinese:4 german:2",
    "CAN": "english:70 french:20 chinese:6 indian:4", "FRA": "french:88 arab:10 spanish:2",
    "ESP": "spanish:96 arab:4", "PRT": "spanish:1", "ITA": "italian:98 romanian:2",
    "POL": "polish:1", "ROU": "romanian:1", "UKR": "russian:1", "RUS": "russian:90 tajik:4 "
    "uzbek:3 kazakh:3", "TUR": "turkish:1", "AZE": "turkish:1", "SYR": "arab:1",
    "IRQ": "arab:1", "EGY": "arab:1", "SAU": "arab:1", "ARE": "arab:70 indian:30",
    "QAT": "arab:70 indian:30", "IRN": "afghan:1", "PAK": "indian:1", "IND": "indian:1",
    "CHN": "chinese:1", "SGP": "chinese:76 indian:16 arab:8",
}  # fmt: skip

HOME = ("FRA", "MUC", "BER", "DUS", "HAM", "STR", "CGN", "HAJ", "NUE", "HHN", "FMM", "NRN")

GERMANY = Profile(
    name="germany",
    country=_D,
    airports=HOME,
    api_recipient="DEPIUAPI",
    pnr_recipient="DEPIUPNR",
    carriers={c.code: c for c in CARRIERS},
    routes=_routes(),
    mixes=MIXES,
    agencies=(  # fictional travel agencies
        Agency("MAINREISEN GMBH", "FRA", "1A", "23210011"),
        Agency("ISARTOURS", "MUC", "1A", "23220022"),
        Agency("SPREE TRAVEL", "BER", "1A", "23230033"),
        Agency("RHEINFLUG REISEBUERO", "DUS", "1A", "23240044"),
        Agency("ALSTER REISEN", "HAM", "1A", "23250055"),
        Agency("ANADOLU REISEN", "CGN", "1A", "23260066"),
        Agency("BOSPORUS TOURS", "IST", "1A", "33110099"),
        Agency("GULF STAR TRAVEL", "DXB", "1S", "96120077"),
    ),
    cultures=CULTURES,
)
