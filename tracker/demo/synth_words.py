"""The words synthetic municipalities are made of (tracker/demo/synth.py):
Finnish-looking place names, themes, measure titles, units, people, cost
centres, deciding bodies and event notes."""

STARTS = (
    "Aa", "Haa", "Hei", "Ii", "Ja", "Jou", "Kaa", "Kan", "Kei", "Kii", "Ko", "Kuu", "La", "Lie", "Lo", "Maa",
    "Mus", "Nur", "Oi", "Pa", "Pie", "Puu", "Raa", "Ri", "Saa", "Sii", "Suo", "Taa", "Toi", "Uu", "Vaa", "Vii",
)  # fmt: skip
MIDDLES = ("", "ka", "ko", "la", "li", "ma", "nu", "ra", "ri", "se", "ta", "va")
ENDINGS = (
    "järvi", "joki", "koski", "lahti", "niemi", "salo", "vesi", "mäki", "saari", "harju", "vaara", "lampi",
    "nen", "la", "virta", "linna",
)  # fmt: skip
SV_ENDINGS = ("by", "holm", "ås", "vik", "näs", "fors", "dal", "berg")

# (fi, sv, en) of the themes a programme draws 6-8 from.
THEMES = (
    ("Energia", "Energi", "Energy"),
    ("Liikenne", "Trafik", "Transport"),
    ("Rakentaminen ja rakennukset", "Byggande och byggnader", "Buildings"),
    ("Kulutus ja hankinnat", "Konsumtion och upphandling", "Consumption and procurement"),
    ("Maankäyttö ja hiilinielut", "Markanvändning och kolsänkor", "Land use and carbon sinks"),
    ("Yhteistyö ja viestintä", "Samarbete och kommunikation", "Cooperation and communication"),
    ("Kiertotalous ja jätteet", "Cirkulär ekonomi och avfall", "Circular economy and waste"),
    ("Ilmastonmuutokseen sopeutuminen", "Klimatanpassning", "Climate adaptation"),
    ("Ruoka ja maatalous", "Mat och jordbruk", "Food and agriculture"),
    ("Elinkeinot ja työpaikat", "Näringsliv och arbetsplatser", "Business and jobs"),
)

# A measure title is an action on an object: (fi, sv, en) each.
ACTIONS = (
    ("Lisätään", "Utökas", "Increase"),
    ("Selvitetään", "Utreds", "Study"),
    ("Otetaan käyttöön", "Införs", "Introduce"),
    ("Uudistetaan", "Förnyas", "Renew"),
    ("Tehostetaan", "Effektiviseras", "Improve"),
    ("Rakennetaan", "Byggs", "Build"),
    ("Edistetään", "Främjas", "Promote"),
    ("Korvataan", "Ersätts", "Replace"),
    ("Kartoitetaan", "Kartläggs", "Survey"),
    ("Suunnitellaan", "Planeras", "Plan"),
)
OBJECTS = (
    ("aurinkovoimaloita kouluihin", "solkraftverk i skolor", "solar power at schools"),
    ("maalämpöä päiväkoteihin", "bergvärme i daghem", "ground-source heat at day-care centres"),
    ("kaukolämmön päästöttömiä lähteitä", "utsläppsfria källor för fjärrvärme", "zero-emission district heat"),
    ("katuvalaistuksen LED-valaisimia", "LED-gatubelysning", "LED street lighting"),
    ("pyöräteiden verkostoa", "cykelvägnätet", "the cycle network"),
    ("joukkoliikenteen vuoroja", "kollektivtrafikens turer", "public transport services"),
    ("sähköautojen latauspisteitä", "laddpunkter för elbilar", "charging points for electric cars"),
    ("kunnan ajoneuvojen biokaasua", "biogas för kommunens fordon", "biogas for municipal vehicles"),
    ("rakennusten energiakatselmuksia", "energibesiktningar av byggnader", "energy audits of buildings"),
    ("puurakentamista", "träbyggande", "timber construction"),
    ("ilmastokriteerejä hankintoihin", "klimatkriterier i upphandlingar", "climate criteria in procurement"),
    ("ruokahävikin vähentämistä", "minskat matsvinn", "less food waste"),
    ("kasvisruokaa kouluruokailuun", "vegetarisk mat i skolorna", "plant-based school meals"),
    ("hiilinieluja kunnan metsissä", "kolsänkor i kommunens skogar", "carbon sinks in municipal forests"),
    ("hulevesien hallintaa", "dagvattenhanteringen", "stormwater management"),
    ("kierrätyspisteitä", "återvinningsstationer", "recycling points"),
    ("asukkaiden energianeuvontaa", "energirådgivning för invånare", "energy advice for residents"),
    ("yritysten ilmastoverkostoa", "företagens klimatnätverk", "a climate network for businesses"),
    ("etätyön mahdollisuuksia", "möjligheterna till distansarbete", "remote working"),
    ("kaavoituksen ilmastoarviointia", "klimatbedömning i planläggningen", "climate assessment in planning"),
)  # fmt: skip
UNITS = (
    "Tilapalvelut",
    "Kaupunkisuunnittelu",
    "Ympäristöpalvelut",
    "Tekninen toimi",
    "Hankintapalvelut",
    "Elinvoimapalvelut",
    "Ruokapalvelut",
    "Liikennesuunnittelu",
)
PEOPLE = ("Mikko Virtanen", "Sanna Mäkinen", "Antti Nieminen", "Laura Turunen", "Kari Heikkinen", "Riikka Pesonen")
COST_CENTRES = (
    "Ilmastotyön koordinointi",
    "Tilapalvelut",
    "Kadut ja viheralueet",
    "Joukkoliikenne",
    "Hankintapalvelut",
    "Ympäristönsuojelu",
    "Ruokapalvelut",
    "Maankäyttö",
    "Elinkeinopalvelut",
    "Vesihuolto",
)
FUNDING = ("Käyttötalous", "Investointiosa", "Valtionavustus", "EU-hanke")
BODIES = ("Kaupunginhallitus", "Kaupunginvaltuusto", "Ympäristölautakunta", "Tekninen lautakunta", "Kaupunginjohtaja")
NOTES = (
    "Hankesuunnitelma valmistui.",
    "Kilpailutus käynnistetty.",
    "Urakka eteni aikataulussa.",
    "Ensimmäiset kohteet valmiit.",
    "Rahoitus varmistui.",
    "Työ viivästyi resurssipulan vuoksi.",
    "Seurantaraportti julkaistu.",
    "Asukastilaisuus järjestetty.",
    "Selvitys valmistui lautakunnalle.",
    "Toteutus siirtyy seuraavalle vuodelle.",
)
SECTORS = ("heating", "electricity", "transport", "industry", "agriculture", "waste")
