"""The demo city: the 39 Rotterdam wijkraad areas as hubs, plus the mobile hub.

Addresses are invented except the three the city published (Feijenoord,
Bloemhof, Crooswijk); every hub's description says so. Coordinates are rough.
"""

# gebied -> [(hub name, street address, postcode, latitude, longitude)]
HUBS = {
    "Centrum": [
        ("Cool-Scheepvaartkwartier-Stadsdriehoek", "Hoogstraat 110", "3011 PV", 51.9205, 4.4867),
        ("Dijkzigt-Oude Westen", "Gaffelstraat 61", "3014 RB", 51.9160, 4.4660),
    ],
    "Delfshaven": [
        ("Bospolder-Spangen-Tussendijken", "Mathenesserweg 95", "3026 HE", 51.9170, 4.4380),
        ("Delfshaven-Schiemond", "Voorhaven 12", "3024 RM", 51.9080, 4.4470),
        ("Middelland-Nieuwe Westen", "Nieuwe Binnenweg 300", "3021 GR", 51.9150, 4.4560),
        ("Mathenesse", "Grote Visserijstraat 40", "3026 CJ", 51.9200, 4.4280),
    ],
    "Noord": [
        ("Oude Noorden", "Zwartjanstraat 145", "3035 AS", 51.9300, 4.4820),
        ("Agniesebuurt-Provenierswijk", "Provenierssingel 60", "3033 EL", 51.9290, 4.4700),
        ("Blijdorp-Bergpolder-Liskwartier", "Stadhoudersweg 40", "3039 CH", 51.9350, 4.4620),
    ],
    "Kralingen-Crooswijk": [
        ("Crooswijk", "Boezemstraat 187", "3034 GG", 51.9280, 4.4990),
        ("Kralingen", "Oudedijk 128", "3061 AP", 51.9230, 4.5150),
    ],
    "Hillegersberg-Schiebroek": [
        ("Hillegersberg", "Kleiweg 180", "3051 GW", 51.9470, 4.4850),
        ("Schiebroek", "Peppelweg 106", "3053 GR", 51.9580, 4.4760),
    ],
    "Overschie": [("Overschie", "Burgemeester Baumannlaan 42", "3043 AK", 51.9380, 4.4250)],
    "Prins Alexander": [
        ("Ommoord", "Hesseplaats 7", "3069 EA", 51.9610, 4.5450),
        ("Zevenkamp", "Zevenkampse Ring 46", "3068 HE", 51.9550, 4.5620),
        ("Nesselande", "Nesselande Boulevard 10", "3059 XT", 51.9720, 4.5820),
        ("Oosterflank", "Oosterflank 20", "3067 GB", 51.9500, 4.5480),
        ("Het Lage Land-Prinsenland-'s Gravenland", "Prinsenlaan 120", "3066 KA", 51.9430, 4.5380),
        ("Kralingseveer", "Veerdam 2", "2921 AA", 51.9120, 4.5550),
    ],
    "Feijenoord": [
        ("Afrikaanderwijk", "Pretorialaan 66", "3072 EN", 51.8990, 4.4990),
        ("Bloemhof", "Lange Hilleweg 123", "3073 BM", 51.8920, 4.5070),
        ("Feijenoord", "Oranjeboomstraat 169", "3071 SH", 51.9040, 4.5020),
        ("Hillesluis", "Hillevliet 90", "3074 KD", 51.8930, 4.5170),
        ("Katendrecht-Wilhelminapier", "Deliplein 12", "3072 AN", 51.9010, 4.4860),
        ("Entrepot-Noordereiland", "Prins Hendrikkade 50", "3071 KJ", 51.9100, 4.4980),
        ("Vreewijk", "Lede 42", "3075 BA", 51.8840, 4.5210),
    ],
    "IJsselmonde": [
        ("Beverwaard", "Oude Watering 250", "3077 HB", 51.8850, 4.5650),
        ("Groot-IJsselmonde en Oud-IJsselmonde", "Vlietlaan 50", "3077 BW", 51.8810, 4.5420),
        ("Lombardijen", "Spinozaweg 280", "3076 EX", 51.8730, 4.5380),
    ],
    "Charlois": [
        ("Carnisse-Zuidplein-Zuiderpark", "Zuidplein 50", "3083 CW", 51.8820, 4.4880),
        ("Pendrecht-Zuidwijk", "Slinge 150", "3085 EX", 51.8680, 4.4770),
        ("Oud Charlois-Wielewaal", "Charloisse Kerksingel 10", "3082 KN", 51.8870, 4.4700),
        ("Tarwewijk", "Mijnsherenlaan 100", "3081 GG", 51.8900, 4.4820),
        ("Heijplaat", "Courzandseweg 60", "3089 JA", 51.8970, 4.4170),
    ],
    "Hoogvliet": [("Hoogvliet", "Binnenban 20", "3191 AA", 51.8610, 4.3600)],
    "Pernis": [("Pernis", "Burgemeester Van Esstraat 5", "3195 AA", 51.8880, 4.3880)],
    "Rozenburg": [("Rozenburg", "Raadhuisplein 1", "3181 HA", 51.9040, 4.2500)],
    "Hoek van Holland": [
        ("Hoek van Holland", "Prins Hendrikstraat 20", "3151 AA", 51.9770, 4.1330)
    ],
}

KNOWN_ADDRESSES = {"Feijenoord", "Bloemhof", "Crooswijk"}
MOBILE_HUB = "Mobiele wijkhub"

CLUSTERS = [
    "Dienstverlening",
    "Maatschappelijke Ontwikkeling",
    "Stadsbeheer",
    "Werk en Inkomen",
    "Stadsontwikkeling",
    "Bestuursdienst",
]

# Weekly patterns: (weekday, dagdeel) pairs. Most hubs meet the norm of four
# dagdelen over three days; some are open more; Heijplaat is below it.
PATTERN_BASIC = [(0, "ochtend"), (1, "middag"), (3, "ochtend"), (3, "middag")]
PATTERN_WIDE = [
    (0, "ochtend"),
    (0, "middag"),
    (1, "middag"),
    (2, "ochtend"),
    (2, "avond"),
    (3, "middag"),
    (4, "ochtend"),
]
PATTERN_BELOW_NORM = [(1, "ochtend"), (3, "ochtend"), (3, "middag")]
BUSY_HUBS = {
    "Feijenoord",
    "Bloemhof",
    "Afrikaanderwijk",
    "Crooswijk",
    "Bospolder-Spangen-Tussendijken",
    "Carnisse-Zuidplein-Zuiderpark",
    "Oude Noorden",
}
BELOW_NORM_HUBS = {"Heijplaat"}

MOBILE_STOPS = [
    ("Afrikaandermarkt", "Afrikaanderplein, 3072 EB Rotterdam"),
    ("Bibliotheek Zuidplein", "Zuidplein 110, 3083 CW Rotterdam"),
    ("Winkelcentrum Keizerswaard", "Keizerswaard 1, 3078 CW Rotterdam"),
    ("Dorpsplein Heijplaat", "Courzandseweg 1, 3089 JA Rotterdam"),
]

DEMO_PASSWORD = "wijkhub-demo"  # noqa: S105 - demo accounts only, printed by `make run`
