"""What people type to find their collectivité, with the one they mean: asserted first (or in
the top 5, where the query is ambiguous) by tests/intake/test_referential.py, measured by
bench/referential.py. QUERIES is the first set; FORMER_AND_SHORT_NAMES the second, harder one:
former communes, municipal arrondissements, short names, homonyms of large cities."""

COMMUNE, EPCI, EPT, ARRONDISSEMENT = "commune", "epci", "ept", "arrondissement"
DEPARTEMENT, REGION, OUTRE_MER = "departement", "region", "outre_mer"

FRESNES_94 = (COMMUNE, "94034")
PAMIERS = (COMMUNE, "09225")
CC_TARN_AGOUT = (EPCI, "200034023")
SAINT_DENIS_93 = (COMMUNE, "93066")
SAINT_DENIS_974 = (COMMUNE, "97411")

QUERIES = [
    # The kind of body, in full or abbreviated.
    ("Communauté de communes Tarn-Agout", CC_TARN_AGOUT),
    ("CC Tarn Agout", CC_TARN_AGOUT),
    ("tarn agout", CC_TARN_AGOUT),
    ("Ville de Fresnes", FRESNES_94),
    ("Mairie de Fresnes", FRESNES_94),
    ("Commune de Pamiers", PAMIERS),
    ("Région Occitanie", (REGION, "76")),
    ("Conseil régional d'Occitanie", (REGION, "76")),
    ("Conseil départemental du Tarn", (DEPARTEMENT, "81")),
    ("Département du Val-de-Marne", (DEPARTEMENT, "94")),
    ("Conseil général de l'Ariège", (DEPARTEMENT, "09")),
    ("Département de Paris", (DEPARTEMENT, "75")),
    ("Ville de Paris", (COMMUNE, "75056")),
    ("Métropole de Lyon", (EPCI, "200046977")),
    ("Bordeaux Métropole", (EPCI, "243300316")),
    ("Communauté d'agglomération de l'Albigeois", (EPCI, "248100737")),
    ("CA Albigeois", (EPCI, "248100737")),
    ("Communauté urbaine du Mans", (EPCI, "247200132")),
    ("Métropole du Grand Paris", (EPCI, "200054781")),
    ("Agglo de Cergy", (EPCI, "249500109")),
    ("EPT Plaine Commune", (EPT, "200057867")),
    ("Plaine Commune", (EPT, "200057867")),
    ("Collectivité de Saint-Martin", (OUTRE_MER, "978")),
    ("Mairie du Havre", (COMMUNE, "76351")),
    ("Ville de La Rochelle", (COMMUNE, "17300")),
    # Postcodes: a postcode shared by several communes lists the largest first.
    ("94260", FRESNES_94),
    ("09100", PAMIERS),
    ("75011", (COMMUNE, "75056")),
    ("97400", SAINT_DENIS_974),
    ("51300", (COMMUNE, "51649")),
    ("Fresnes 94260", FRESNES_94),
    # A département or a région beside the name.
    ("Fresnes Val-de-Marne", FRESNES_94),
    ("Fresnes (Val-de-Marne)", FRESNES_94),
    ("fresnes 94", FRESNES_94),
    ("Saint-Denis Seine-Saint-Denis", SAINT_DENIS_93),
    ("Saint-Denis 93", SAINT_DENIS_93),
    ("Saint-Denis La Réunion", SAINT_DENIS_974),
    ("Saint-Denis de la Réunion", SAINT_DENIS_974),
    ("Saint-Pierre Martinique", (COMMUNE, "97225")),
    ("Sainte-Marie Réunion", (COMMUNE, "97418")),
    ("Pamiers Ariège", PAMIERS),
    ("Ajaccio Corse", (COMMUNE, "2A004")),
    # Homonyms: the largest first.
    ("Saint-Denis", SAINT_DENIS_974),
    ("Fresnes", FRESNES_94),
    ("Valence", (COMMUNE, "26362")),
    ("Saint-Pierre", (COMMUNE, "97416")),
    ("Paris", (COMMUNE, "75056")),
    ("Tarn", (DEPARTEMENT, "81")),
    ("Lyon", (COMMUNE, "69123")),
    # Overseas.
    ("Nouvelle-Calédonie", (OUTRE_MER, "988")),
    ("Polynésie française", (OUTRE_MER, "987")),
    ("Saint-Pierre-et-Miquelon", (OUTRE_MER, "975")),
    ("Nouméa", (COMMUNE, "98818")),
    ("Papeete", (COMMUNE, "98735")),
    ("Mamoudzou", (COMMUNE, "97611")),
    ("Cayenne", (COMMUNE, "97302")),
    ("Les Abymes", (COMMUNE, "97101")),
    # Articles, apostrophes, hyphens, abbreviations.
    ("Le Havre", (COMMUNE, "76351")),
    ("havre", (COMMUNE, "76351")),
    ("L'Haÿ-les-Roses", (COMMUNE, "94038")),
    ("lhay les roses", (COMMUNE, "94038")),
    ("St Maur des Fossés", (COMMUNE, "94068")),
    ("Boulogne Billancourt", (COMMUNE, "92012")),
    ("Aix en Provence", (COMMUNE, "13001")),
    ("Villeneuve sur Lot", (COMMUNE, "47323")),
    ("Val d'Oise", (DEPARTEMENT, "95")),
    # Typos.
    ("Fresnse", FRESNES_94),
    ("Frenes", FRESNES_94),
    ("Pamirs", PAMIERS),
    ("Marseile", (COMMUNE, "13055")),
    ("Montpelier", (COMMUNE, "34172")),
    ("Strasbourh", (COMMUNE, "67482")),
    ("Saint-Mor-des-Fossés", (COMMUNE, "94068")),
    ("Clermond-Ferrand", (COMMUNE, "63113")),
    ("Carcasone", (COMMUNE, "11069")),
    ("Villejuf", (COMMUNE, "94076")),
    ("Mairie de Fresnse", FRESNES_94),
    ("Pamirs Ariège", PAMIERS),
]

ANNECY = (COMMUNE, "74010")
LILLE = (COMMUNE, "59350")
VALSERHONE = (COMMUNE, "01033")
PARIS_15 = (ARRONDISSEMENT, "75115")
SEINE_SAINT_DENIS = (DEPARTEMENT, "93")
BOUCHES_DU_RHONE = (DEPARTEMENT, "13")
PACA = (REGION, "93")

FORMER_AND_SHORT_NAMES = [
    # A former commune, merged into a commune nouvelle or associated with another commune.
    ("Bellegarde-sur-Valserine", VALSERHONE),
    ("Lancrans", VALSERHONE),
    ("Annecy-le-Vieux", ANNECY),
    ("Seynod", ANNECY),
    ("Mairie de Cran-Gevrier", ANNECY),
    ("Cherbourg-Octeville", (COMMUNE, "50129")),
    ("Lomme", LILLE),
    ("Mairie de Hellemmes", LILLE),
    ("Condé-sur-Noireau", (COMMUNE, "14174")),
    ("Montaigu", (COMMUNE, "85146")),
    ("Chemillé", (COMMUNE, "49092")),
    ("Saint-Macaire-en-Mauges", (COMMUNE, "49301")),
    ("Les Essarts Vendée", (COMMUNE, "85084")),
    # A municipal arrondissement of Paris, Lyon or Marseille.
    ("Paris 15e", PARIS_15),
    ("Paris XVe", PARIS_15),
    ("mairie du 15e arrondissement de Paris", PARIS_15),
    ("Paris 20ème", (ARRONDISSEMENT, "75120")),
    ("Paris 1er arrondissement", (ARRONDISSEMENT, "75101")),
    ("Mairie du XVIIIe", (ARRONDISSEMENT, "75118")),
    ("Lyon 3ème", (ARRONDISSEMENT, "69383")),
    ("Lyon 7", (ARRONDISSEMENT, "69387")),
    ("Mairie du 8e arrondissement de Lyon", (ARRONDISSEMENT, "69388")),
    ("Marseille 13", (ARRONDISSEMENT, "13213")),
    ("Marseille 1er", (ARRONDISSEMENT, "13201")),
    ("Mairie des 13e et 14e arrondissements de Marseille", (ARRONDISSEMENT, "13213")),
    # The short names and acronyms collectivités use for themselves.
    ("CD 93", SEINE_SAINT_DENIS),
    ("CD93", SEINE_SAINT_DENIS),
    ("Conseil départemental 93", SEINE_SAINT_DENIS),
    ("CD du Gers", (DEPARTEMENT, "32")),
    ("CG 13", BOUCHES_DU_RHONE),
    ("CG13", BOUCHES_DU_RHONE),
    ("CD 2A", (DEPARTEMENT, "2A")),
    ("CR Occitanie", (REGION, "76")),
    ("Grand Lyon", (EPCI, "200046977")),
    ("Grand Lyon Métropole", (EPCI, "200046977")),
    ("Grand Paris", (EPCI, "200054781")),
    ("Grand Nancy", (EPCI, "245400676")),
    ("MEL", (EPCI, "200093201")),
    ("AMP", (EPCI, "200054807")),
    ("Grand Est", (REGION, "44")),
    ("PACA", PACA),
    ("Région Sud", PACA),
    ("GPSO", (EPT, "200057974")),
    ("CASA", (EPCI, "240600585")),
    ("TCO", (EPCI, "249740101")),
    # A large city whose name starts with the query, before a village of that exact name.
    ("Villeneuve", (COMMUNE, "59009")),
    ("Évry", (COMMUNE, "91228")),
    ("Aulnay", (COMMUNE, "93005")),
    ("Saint-Maur", (COMMUNE, "94068")),
    ("Champigny", (COMMUNE, "94017")),
    ("Charleville", (COMMUNE, "08105")),
    ("Corbeil", (COMMUNE, "91174")),
    ("Salon", (COMMUNE, "13103")),
    ("Asnières", (COMMUNE, "92004")),
    ("Saint-Ouen", (COMMUNE, "93070")),
    ("Vaulx", (COMMUNE, "69256")),
    ("Aix", (COMMUNE, "13001")),
]
# A postcode shared by a city and its arrondissement lists both; the arrondissement is meant.
FORMER_AND_SHORT_NAMES_TOP_5 = [
    ("75015", PARIS_15),
    ("13008", (ARRONDISSEMENT, "13208")),
    ("69003", (ARRONDISSEMENT, "69383")),
    ("Bellegarde", VALSERHONE),
    ("Marseille 13", (COMMUNE, "13055")),
]
