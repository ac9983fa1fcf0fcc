"""Demo kennisbank articles for the starting topics.

The texts are plausible, general explanations for the desk — not legally binding
and not checked against current rules; every body ends with "(demo)". Running
``seed_articles`` again adds only the articles whose title is missing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from .models import Article, Topic

DEMO_MARK = "(demo)"

# (title, [(main topic, subtopic or None), ...], days since the last review, body)
ARTICLES: list[tuple[str, list[tuple[str, str | None]], int, str]] = [
    (
        "Huurtoeslag aanvragen of wijzigen",
        [("Wonen", "Huur en huurtoeslag"), ("Brieven en digitale hulp", "DigiD")],
        40,
        """Huurtoeslag is een bijdrage van de Belastingdienst/Toeslagen in de huurkosten. \
Of iemand er recht op heeft, hangt af van de huur, het inkomen, het vermogen en wie er \
in de woning woont.

Aanvragen en wijzigen gaat online via Mijn toeslagen op toeslagen.nl, met DigiD. Help \
de bewoner eventueel met inloggen; vul het formulier niet namens de bewoner in zonder \
dat die meekijkt en toestemming geeft.

Wijzigingen (ander inkomen, iemand komt erbij wonen of vertrekt, huurverhoging) moeten \
binnen 4 weken worden doorgegeven. Wie te veel ontvangt, moet later terugbetalen.

Twijfelt de bewoner of het recht bestaat? De proefberekening op toeslagen.nl geeft een \
indicatie. Bij ingewikkelde situaties: verwijs naar de Belastingtelefoon (0800-0543) of \
het spreekuur van de Vraagwijzer.""",
    ),
    (
        "Kwijtschelding gemeentelijke belastingen",
        [("Belastingen en heffingen", "Kwijtschelding"), ("Geldzaken en schulden", None)],
        120,
        """Wie een laag inkomen en weinig vermogen heeft, kan kwijtschelding aanvragen van \
gemeentelijke belastingen, zoals de afvalstoffenheffing en de rioolheffing.

Aanvragen gaat bij de Belastingsamenwerking (BSGR) via de website, met DigiD, of met een \
papieren formulier. Houd er rekening mee dat bewijsstukken nodig zijn: \
bankafschriften van de laatste maanden, inkomensgegevens en vaste lasten.

Een aanvraag moet binnen 3 maanden na de datum van de aanslag binnen zijn. Tijdens de \
behandeling hoeft de bewoner meestal nog niet te betalen.

Tip: wie een bijstandsuitkering heeft, krijgt vaak automatisch kwijtschelding; kijk \
eerst of dat al zo is voordat je samen een aanvraag invult.""",
    ),
    (
        "WOZ-waarde: bezwaar maken",
        [("Belastingen en heffingen", "WOZ")],
        200,
        """De WOZ-waarde staat op de aanslag gemeentelijke belastingen. Vindt de bewoner \
de waarde te hoog, dan kan binnen 6 weken na de datum van de aanslag bezwaar worden \
gemaakt.

Bezwaar maken is gratis en kan online met DigiD. Vraag de bewoner om een onderbouwing: \
bijvoorbeeld verkoopprijzen van vergelijkbare woningen in de buurt of gebreken aan de \
woning.

Let op: bureaus die 'gratis' bezwaar aanbieden, verdienen aan de proceskostenvergoeding. \
De bewoner kan het ook zelf doen; help zo nodig met het formulier.""",
    ),
    (
        "Grofvuil laten ophalen",
        [("Afval en buitenruimte", "Grofvuil")],
        30,
        """Grofvuil is afval dat niet in de container past, zoals meubels, matrassen en \
grote apparaten. Bewoners kunnen een afspraak maken om het gratis te laten ophalen, \
online of via 14010.

Bij de afspraak geeft de bewoner op wat er wordt opgehaald. Het grofvuil moet op de \
afgesproken dag vóór 07.30 uur aan de straat staan, op de plek die bij de afspraak is \
genoemd. Wat niet op de lijst staat, blijft staan.

Bewoners kunnen grofvuil ook zelf wegbrengen naar een milieupark. Neem een geldig \
identiteitsbewijs mee; voor bewoners is het wegbrengen meestal gratis tot een bepaalde \
hoeveelheid.

Zwerfafval of een illegale dump melden? Dat kan via de MeldR-app of 14010.""",
    ),
    (
        "Container vol of kapot melden",
        [("Afval en buitenruimte", "Containers")],
        60,
        """Een volle, kapotte of verstopte ondergrondse container kan worden gemeld via \
14010 of de MeldR-app. Vraag de bewoner naar het adres of het nummer op de container.

Staat er afval naast de container, vraag dan de bewoner het niet zelf bij te zetten maar \
een andere container in de buurt te gebruiken. Bijplaatsingen kunnen een boete opleveren.

Een nieuwe of vervangende pas voor de container aanvragen kan online of via 14010.""",
    ),
    (
        "Losliggende stoeptegel of kapotte lantaarnpaal melden",
        [
            ("Afval en buitenruimte", "Groen en straat"),
            ("Veiligheid en overlast", "Veiligheid in de wijk"),
        ],
        90,
        """Problemen in de openbare ruimte — losse stoeptegels, kapotte straatverlichting, \
overhangende takken, gaten in de weg — meldt de bewoner via de MeldR-app, online of via \
14010.

Help bij het melden: een foto en een precieze plek (adres of een punt op de kaart) \
versnellen de afhandeling. De bewoner krijgt een bericht als de melding is opgepakt.

Bij direct gevaar, zoals een omgevallen boom op de weg, bel 14010 en bij spoed 112.""",
    ),
    (
        "Parkeervergunning voor bewoners",
        [("Parkeren en verkeer", "Parkeervergunning")],
        150,
        """In gebieden met betaald parkeren kunnen bewoners een parkeervergunning \
aanvragen. Het aantal vergunningen per adres is beperkt en in sommige gebieden geldt een \
wachtlijst.

Aanvragen gaat online met DigiD. Het kenteken moet op naam staan van de bewoner (of er \
moet een verklaring van de werkgever of leasemaatschappij zijn).

Een bezoekersregeling voor familie en mantelzorgers is apart aan te vragen. Bewoners \
met een gehandicaptenparkeerkaart kunnen een gehandicaptenparkeerplaats aanvragen; dat \
loopt via een medische keuring.""",
    ),
    (
        "Parkeerboete: bezwaar maken",
        [("Parkeren en verkeer", "Boetes")],
        400,
        """Een naheffingsaanslag parkeerbelasting ('parkeerboete') moet binnen 6 weken \
worden betaald. Is de bewoner het er niet mee eens, dan kan binnen die 6 weken bezwaar \
worden gemaakt, online of per brief.

Vraag naar bewijs: een parkeerbon, een foto van de vergunning achter de voorruit of een \
betaalbewijs via de parkeerapp.

Een verkeersboete van de politie (CJIB) is iets anders: daarvoor gaat het beroep naar \
de officier van justitie. Verwijs de bewoner dan naar de uitleg op de brief van het \
CJIB.""",
    ),
    (
        "Paspoort of ID-kaart aanvragen",
        [("Burgerzaken en documenten", "Paspoort en ID")],
        20,
        """Een paspoort of ID-kaart vraagt de bewoner persoonlijk aan bij een stadswinkel, \
op afspraak. De wijkhub kan helpen met het maken van die afspraak online of via 14010.

Neem mee: het oude document (ook als het verlopen is), en een recente pasfoto die aan \
de eisen voldoet. Kinderen hebben toestemming van beide ouders met gezag nodig.

Het document is na ongeveer een week op te halen. Is het oude document kwijt of \
gestolen, dan moet eerst een verklaring van vermissing worden ingevuld bij de \
stadswinkel.""",
    ),
    (
        "Verhuizing doorgeven",
        [("Burgerzaken en documenten", "Verhuizing doorgeven"), ("Wonen", None)],
        45,
        """Een verhuizing binnen Nederland geeft de bewoner door aan de gemeente waar \
hij of zij gaat wonen, vanaf 4 weken vóór tot uiterlijk 5 dagen na de verhuisdatum. Dat \
kan online met DigiD.

Verhuizen meerdere mensen mee, dan kan de hoofdbewoner dat voor het hele gezin \
doorgeven; meerderjarige medeverhuizers moeten daar soms zelf mee instemmen.

Na de verhuizing krijgen andere overheidsinstanties (Belastingdienst, Toeslagen) het \
nieuwe adres vanzelf. Banken, verzekeraars en de zorgverzekeraar moet de bewoner zelf \
inlichten. Een woning zonder inschrijving kan gevolgen hebben voor toeslagen en \
uitkeringen.""",
    ),
    (
        "Uittreksel uit de BRP aanvragen",
        [("Burgerzaken en documenten", "Uittreksel")],
        300,
        """Een uittreksel uit de Basisregistratie Personen (BRP) is een bewijs van wie \
op welk adres woont. Het wordt bijvoorbeeld gevraagd door een woningcorporatie of een \
werkgever.

Aanvragen kan online met DigiD; het uittreksel komt dan per post. Aan de balie van de \
stadswinkel kan ook, met een geldig identiteitsbewijs. Er zijn kosten aan verbonden.

Voor sommige instanties volstaat een digitaal bewijs: vraag de bewoner wat er precies \
gevraagd wordt.""",
    ),
    (
        "DigiD aanvragen en gebruiken",
        [("Brieven en digitale hulp", "DigiD")],
        15,
        """DigiD is de inlog van de overheid. De bewoner vraagt het aan op digid.nl; de \
activeringscode komt binnen een paar dagen per post op het adres in de BRP.

Voor de meeste diensten is de DigiD-app nodig (of inloggen met sms-controle). Help met \
het installeren van de app en het koppelen; laat de bewoner zelf de gebruikersnaam en \
het wachtwoord kiezen en intypen. Vraag nooit naar wachtwoorden.

Lukt het zelf niet? Een familielid of bekende kan een machtiging krijgen via DigiD \
Machtigen. Ook bij het Informatiepunt Digitale Overheid in de bibliotheek helpen ze.""",
    ),
    (
        "Een brief van de gemeente uitleggen",
        [("Brieven en digitale hulp", "Brief uitleggen")],
        75,
        """Bewoners komen vaak met een brief die ze niet begrijpen. Lees de brief samen \
en kijk eerst: van wie is hij, wat wordt er gevraagd, en is er een termijn?

Leg in eenvoudige woorden uit wat er staat. Neem geen beslissingen voor de bewoner en \
maak geen kopieën van de brief.

Is er een termijn (betalen, bezwaar, informatie aanleveren)? Zorg dat de bewoner weet \
wat de volgende stap is. Gaat het om schulden of aanmaningen, verwijs dan ook naar de \
Vraagwijzer.""",
    ),
    (
        "Hulp bij het invullen van formulieren",
        [("Brieven en digitale hulp", "Formulier invullen")],
        500,
        """De wijkhub helpt met eenvoudige formulieren van de gemeente en andere \
overheden. De bewoner vult zelf in en beslist zelf; de medewerker legt uit en kijkt mee.

Voor uitgebreide hulp (belastingaangifte, toeslagen, schuldhulp) kan de bewoner \
terecht bij de formulierenhulp van de Vraagwijzer of bij vrijwilligers van \
welzijnsorganisaties in de wijk.

Sla geen gegevens van bewoners op in de computer van de wijkhub en log na afloop altijd \
uit.""",
    ),
    (
        "Schulden: hulp via de Vraagwijzer",
        [("Geldzaken en schulden", "Schulden"), ("Geldzaken en schulden", "Budgetcoaching")],
        25,
        """Bewoners met geldzorgen of schulden kunnen gratis terecht bij de Vraagwijzer. \
Daar kijken ze samen naar de situatie en zoeken ze de juiste hulp: van een \
betalingsregeling tot schuldhulpverlening of budgetcoaching.

Hoe eerder hulp, hoe beter: moedig de bewoner aan niet te wachten tot er een \
deurwaarder komt. Vraag of de bewoner de brieven en aanmaningen wil meenemen.

Wil de bewoner liever teruggebeld worden? Maak een terugbelverzoek voor het team \
Schuldhulp, met toestemming van de bewoner.""",
    ),
    (
        "Betalingsregeling voor gemeentelijke belastingen",
        [
            ("Geldzaken en schulden", "Betalingsregeling"),
            ("Belastingen en heffingen", "Gemeentelijke belastingen"),
        ],
        110,
        """De aanslag gemeentelijke belastingen kan in termijnen worden betaald via \
automatische incasso. Dat geeft rust in het budget; de bewoner regelt het online of met \
een formulier.

Lukt betalen ook in termijnen niet, dan kan een persoonlijke betalingsregeling worden \
aangevraagd of kwijtschelding (zie het artikel Kwijtschelding gemeentelijke \
belastingen).

Is er al een aanmaning of dwangbevel? Dan lopen er extra kosten: help de bewoner zo snel \
mogelijk contact op te nemen.""",
    ),
    (
        "Wmo: hulp bij het huishouden",
        [("Zorg en welzijn", "Wmo en hulpmiddelen")],
        35,
        """Wie door ziekte, beperking of ouderdom het huishouden niet meer zelf kan doen, \
kan hulp aanvragen via de Wet maatschappelijke ondersteuning (Wmo).

De aanvraag begint met een melding bij de gemeente, via 14010 of online. Daarna volgt \
een gesprek met een consulent over wat de bewoner nog zelf kan, wat familie of buren \
kunnen doen en welke hulp nodig is.

Er geldt een eigen bijdrage per maand, afhankelijk van de situatie. Leg uit dat de \
bewoner iemand mag meenemen naar het gesprek, bijvoorbeeld een mantelzorger of \
onafhankelijke cliëntondersteuner.""",
    ),
    (
        "Wmo: hulpmiddelen en woningaanpassingen",
        [("Zorg en welzijn", "Wmo en hulpmiddelen")],
        380,
        """Hulpmiddelen zoals een rolstoel of scootmobiel, en aanpassingen aan de woning \
zoals een traplift, vallen onder de Wmo. De route is dezelfde: een melding, daarna een \
gesprek met een consulent.

Voor kleine hulpmiddelen (zoals een douchekruk) verwijst de consulent vaak naar de \
thuiszorgwinkel of de zorgverzekeraar.

Huurt de bewoner bij een woningcorporatie, dan kan een aanpassing ook via de corporatie \
lopen. Vraag dat na voordat de aanvraag wordt gedaan.""",
    ),
    (
        "Mantelzorg: ondersteuning en waardering",
        [("Zorg en welzijn", "Mantelzorg")],
        70,
        """Mantelzorgers zorgen langdurig en onbetaald voor een naaste. Zij kunnen \
ondersteuning krijgen: advies, lotgenotencontact en respijtzorg (tijdelijke overname van \
de zorg).

Het steunpunt mantelzorg in de regio helpt verder. Jaarlijks kunnen mantelzorgers een \
blijk van waardering aanvragen.

Let op signalen van overbelasting; vraag gerust hoe het met de mantelzorger zelf gaat.""",
    ),
    (
        "Eenzaamheid: activiteiten en contact in de wijk",
        [("Zorg en welzijn", "Eenzaamheid"), ("Wijk en meedoen", "Activiteiten")],
        55,
        """Bewoners die weinig mensen zien, kunnen terecht bij activiteiten in de wijk: \
koffieochtenden, wandelgroepen, eettafels en taalcafés. Het wijknetwerk en de \
welzijnsorganisatie hebben het actuele aanbod.

Een maatje via een vrijwilligersorganisatie is ook een mogelijkheid.

Neem de tijd voor het gesprek. Maak met toestemming een terugbelverzoek voor de \
welzijnsorganisatie als de bewoner graag gebeld wil worden.""",
    ),
    (
        "Bijstandsuitkering aanvragen",
        [("Werk en inkomen", "Uitkering")],
        95,
        """Wie niet genoeg inkomen of vermogen heeft om van te leven, kan een \
bijstandsuitkering aanvragen. Eerst meldt de bewoner zich online met DigiD; daarna volgt \
de aanvraag met bewijsstukken.

Jongeren tot 27 jaar hebben een zoektermijn van 4 weken: ze moeten eerst zelf werk of \
een opleiding zoeken voordat de aanvraag wordt behandeld.

Bij acute geldnood (geen geld voor eten) kan een voorschot worden aangevraagd. Verwijs \
bij twijfel naar Werk en Inkomen via 14010.""",
    ),
    (
        "Inkomensondersteuning: regelingen bij een laag inkomen",
        [("Werk en inkomen", "Inkomensondersteuning")],
        420,
        """Bewoners met een laag inkomen kunnen recht hebben op regelingen zoals de \
individuele inkomenstoeslag, bijzondere bijstand en een collectieve zorgverzekering.

Kinderen uit gezinnen met een laag inkomen kunnen meedoen met sport en cultuur via \
fondsen en een kindpakket.

De voorwaarden verschillen per regeling. Een geldcheck met de Vraagwijzer geeft een \
goed overzicht van waar de bewoner recht op heeft.""",
    ),
    (
        "Overlast van buren melden",
        [("Wonen", "Overlast buren"), ("Veiligheid en overlast", "Overlast")],
        130,
        """Bij overlast van buren (geluid, stank, ruzie) is een gesprek met de buren \
vaak de eerste stap. Buurtbemiddeling kan daarbij helpen: getrainde vrijwilligers \
bemiddelen gratis.

Huurt de bewoner, dan kan de overlast ook bij de verhuurder of woningcorporatie worden \
gemeld. Overlast van een pand of in de openbare ruimte kan bij de gemeente via 14010.

Bij dreiging of geweld: bel de politie, bij spoed 112.""",
    ),
    (
        "Bewonersinitiatief: geld voor een idee in de wijk",
        [("Wijk en meedoen", "Bewonersinitiatief"), ("Wijk en meedoen", "Wijkraad")],
        240,
        """Bewoners met een idee voor hun wijk — een straatfeest, een buurtmoestuin, een \
opruimactie — kunnen een bijdrage aanvragen voor een bewonersinitiatief.

De aanvraag gaat online. De wijkraad en het wijknetwerk kunnen advies geven over het \
plan en wie kan helpen.

Vraag de bewoner om het idee kort op papier te zetten: wat, waar, wanneer, voor wie en \
wat het kost.""",
    ),
    (
        "Leerplicht en schoolkeuze",
        [("Onderwijs en jeugd", "School en leerplicht")],
        160,
        """Kinderen zijn leerplichtig vanaf 5 jaar. Bij vragen over verzuim, vrijstelling \
of verlof buiten de schoolvakanties is de leerplichtambtenaar het aanspreekpunt.

Voor het aanmelden op een basisschool of middelbare school gelden vaste \
aanmeldperiodes; de school of het centrale aanmeldsysteem heeft de data.

Ouders met vragen over opvoeden of ondersteuning op school kunnen terecht bij het \
Centrum voor Jeugd en Gezin.""",
    ),
    (
        "Kinderopvangtoeslag en kinderopvang",
        [("Onderwijs en jeugd", "Kinderopvang")],
        80,
        """Ouders die werken of studeren, kunnen kinderopvangtoeslag krijgen van de \
Belastingdienst/Toeslagen. Aanvragen en wijzigen gaat via Mijn toeslagen, met DigiD.

De opvang moet geregistreerd zijn in het Landelijk Register Kinderopvang. Het aantal \
uren en het uurtarief moeten kloppen met het contract.

Wijzigingen in uren of inkomen moeten binnen 4 weken worden doorgegeven, om \
terugbetalen te voorkomen.""",
    ),
]


def _topic(main: str, sub: str | None) -> Topic:
    """The topic from the starting list, created if the demo runs before the topics."""
    parent, _created = Topic.objects.get_or_create(name=main, parent=None)
    if sub is None:
        return parent
    child, _created = Topic.objects.get_or_create(name=sub, parent=parent)
    return child


@transaction.atomic
def seed_articles(today: dt.date | None = None) -> int:
    """Adds the demo articles that are not there yet (matched by title); returns how many."""
    today = today or timezone.localdate()
    existing = set(
        Article.objects.filter(title__in=[a[0] for a in ARTICLES]).values_list("title", flat=True)
    )
    added = 0
    for title, topics, days_ago, body in ARTICLES:
        if title in existing:
            continue
        article = Article.objects.create(
            title=title,
            body=f"{body}\n\n{DEMO_MARK}",
            last_reviewed=today - dt.timedelta(days=days_ago),
            is_published=True,
        )
        article.topics.set([_topic(main, sub) for main, sub in topics])
        added += 1
    return added
