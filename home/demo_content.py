"""The demo site's text, written from the service's own presentation; read by load_demo_content."""

from datetime import date

PERMANENCE_CONTACTS = [
    {
        "name": "Matthieu Angotti",
        "role": "Équipe Territoires d'engagement — ANCT",
        "email": "matthieu.angotti@anct.gouv.fr",
        "phone": "06 83 33 89 38",
    },
    {
        "name": "Morgane Luraski",
        "role": "Équipe Territoires d'engagement — ANCT",
        "email": "morgane.luraski@anct.gouv.fr",
        "phone": "06 16 62 09 13",
    },
]

THEMES = [
    ("Stratégie de participation", "strategie-de-participation"),
    ("Organisation du service participation", "service-participation"),
    ("Cohérence des dispositifs participatifs", "coherence-des-dispositifs"),
    ("Transition écologique et plan climat", "transition-ecologique"),
    ("Projet de territoire", "projet-de-territoire"),
    ("Gestion des risques", "gestion-des-risques"),
]

AXES = [
    (
        "Vos axes stratégiques",
        "Les orientations que la collectivité se donne en matière de démocratie participative.",
    ),
    ("Opportunités et écueils", "Les pistes à explorer et les pièges à éviter."),
    (
        "Cohérence des initiatives",
        "L'articulation entre les démarches portées par les différents acteurs locaux.",
    ),
    (
        "Prestataires et experts",
        "Une orientation vers des prestataires et des experts de confiance.",
    ),
    ("Financements", "Les pistes de financement mobilisables pour vos projets participatifs."),
]


def paragraph(html):
    return {"type": "paragraph", "value": html}


def heading(text, level="h2", anchor=""):
    return {"type": "heading", "value": {"text": text, "level": level, "anchor": anchor}}


def link(label, url):
    return {"label": label, "page": None, "url": url}


HOME = {
    "hero_title": "Faire de l'engagement citoyen une marque de fabrique locale",
    "hero_text": (
        "Votre collectivité se lance dans la démocratie participative ? La cellule de conseil "
        "et d'orientation de Territoires d'engagement vous accompagne à distance, au rythme "
        "qui vous convient."
    ),
    "introduction": (
        "<p>La démarche Territoires d'engagement repose sur une conviction partagée par de "
        "nombreux élus locaux : la cohésion sociale se reconstruit par la coopération entre "
        "acteurs du territoire et par l'engagement des habitants. Cet engagement grandit quand "
        "la puissance publique soutient les initiatives de la société civile, et quand "
        "institutions et citoyens travaillent ensemble.</p>"
        "<p>L'Agence nationale de la cohésion des territoires (ANCT) met à la disposition des "
        "communes, intercommunalités et départements une équipe qui les écoute, les conseille et "
        "les oriente dans leurs premiers pas.</p>"
    ),
    "highlights_title": "Ce que la cellule vous propose",
}


def home_highlights(offer_url, testimonials_url):
    return [
        {
            "type": "cards",
            "value": {
                "level": "h3",
                "cards": [
                    {
                        "title": "Des sessions de travail à distance",
                        "description": "En visioconférence, ponctuellement ou toutes les 4 à 8 semaines, "
                        "avec l'équipe de Territoires d'engagement.",
                        "link": link("Découvrir l'offre", offer_url),
                        "image": None,
                    },
                    {
                        "title": "Des conseils sur cinq axes",
                        "description": "Stratégie, opportunités et écueils, cohérence des initiatives, "
                        "experts de confiance et financements.",
                        "link": link("Les axes de travail", offer_url + "#axes"),
                        "image": None,
                    },
                    {
                        "title": "Des collectivités déjà accompagnées",
                        "description": "Communes, intercommunalités et collectivités d'outre-mer "
                        "racontent leur démarche.",
                        "link": link("Lire les témoignages", testimonials_url),
                        "image": None,
                    },
                ],
            },
        },
    ]


OFFER = {
    "title": "La cellule de conseil et d'orientation",
    "slug": "la-cellule",
    "introduction": (
        "Une offre de services pour accompagner à distance les collectivités qui se lancent "
        "dans la démocratie participative et souhaitent être épaulées dans leur cheminement."
    ),
    "body": [
        heading("À qui s'adresse la cellule ?"),
        paragraph(
            "<p>La cellule s'adresse aux collectivités volontaires — communes, "
            "intercommunalités, départements, régions et collectivités d'outre-mer — qui "
            "démarrent une démarche de participation citoyenne ou veulent restructurer celle "
            "qu'elles ont engagée. Élus comme agents peuvent la solliciter.</p>"
        ),
        heading("Les sujets abordés ensemble", anchor="axes"),
        paragraph("<p>Chaque session part de vos questions. Cinq sujets reviennent souvent :</p>"),
        paragraph(
            "<ul>"
            + "".join(
                f"<li><b>{title}</b> : {description[0].lower()}{description[1:]}</li>"
                for title, description in AXES
            )
            + "</ul>"
        ),
        heading("Le format"),
        {
            "type": "callout",
            "value": {
                "title": "Des sessions en visioconférence",
                "level": "h3",
                "text": "Les sessions réunissent la collectivité et l'équipe de Territoires "
                "d'engagement, soit ponctuellement, soit régulièrement, toutes les 4 à 8 "
                "semaines. Vous choisissez le rythme qui correspond à votre projet.",
                "link": link("", ""),
            },
        },
        heading("Un complément au programme Territoires d'engagement"),
        paragraph(
            "<p>Territoires d'engagement, c'est d'abord un accompagnement sur mesure de trois "
            "ans — formation, coaching, gestion de projet — pour des collectivités qui veulent "
            "transformer leur façon de travailler en délibérant avec leurs habitants.</p>"
            "<p>La cellule de conseil et d'orientation complète ce programme : plus légère, à "
            "distance, elle écoute et oriente les collectivités qui font leurs premiers pas.</p>"
        ),
        {
            "type": "highlight",
            "value": {
                "text": "La cellule ne remplace ni vos équipes ni vos prestataires : elle vous aide à "
                "clarifier votre démarche et à trouver les bons interlocuteurs.",
                "size": "",
            },
        },
        heading("Comment démarrer ?"),
        {
            "type": "steps",
            "value": {
                "level": "h3",
                "steps": [
                    {
                        "title": "Présentez votre collectivité et vos besoins",
                        "text": "En remplissant la demande d'accompagnement en ligne, ou en appelant "
                        "l'équipe pendant la permanence du lundi, de 14 h à 17 h.",
                    },
                    {
                        "title": "Faites connaissance lors d'une première visioconférence",
                        "text": "L'équipe prend le temps de comprendre votre contexte et vos attentes.",
                    },
                    {
                        "title": "Avancez à votre rythme",
                        "text": "Une session ponctuelle, ou des rendez-vous toutes les 4 à 8 semaines.",
                    },
                ],
            },
        },
        {
            "type": "buttons",
            "value": {
                "buttons": [
                    link("Faire une demande d'accompagnement", "/demande/"),
                ]
            },
        },
        heading("Questions fréquentes"),
        {
            "type": "accordions",
            "value": {
                "level": "h3",
                "items": [
                    {
                        "title": "Comment se déroulent les sessions ?",
                        "body": "<p>En visioconférence, entre votre collectivité et l'équipe de "
                        "Territoires d'engagement : une seule fois, ou régulièrement, toutes les "
                        "4 à 8 semaines.</p>",
                    },
                    {
                        "title": "Faut-il déjà avoir un projet de participation citoyenne ?",
                        "body": "<p>Non. La cellule est justement pensée pour les collectivités qui se "
                        "lancent et s'interrogent sur la manière de s'y prendre.</p>",
                    },
                    {
                        "title": "Comment prendre un premier rendez-vous ?",
                        "body": "<p>En déposant une demande en ligne, ou en appelant l'équipe pendant "
                        "la permanence d'accueil, le lundi de 14 h à 17 h.</p>",
                    },
                ],
            },
        },
        heading("Nous contacter"),
        {"type": "contacts", "value": {"level": "h3", "contacts": PERMANENCE_CONTACTS}},
    ],
}

TESTIMONIAL_INDEX = {
    "title": "Témoignages",
    "slug": "temoignages",
    "introduction": (
        "Des collectivités de toutes tailles ont échangé avec la cellule de conseil et "
        "d'orientation. Voici quelques-uns des sujets travaillés ensemble."
    ),
}

TESTIMONIALS = [
    {
        "title": "Fresnes reconstitue son service participation",
        "slug": "fresnes",
        "collectivite_name": "Ville de Fresnes",
        "collectivite_kind": "commune",
        "territory": "Val-de-Marne",
        "themes": ["service-participation", "strategie-de-participation"],
        "date": date(2025, 3, 10),
        "summary": "La ville de Fresnes a échangé avec la cellule pour reconstituer un service "
        "dédié à la participation citoyenne.",
        "body": [
            paragraph(
                "<p>Après une période sans équipe dédiée, la commune souhaitait redonner une place "
                "à la participation des habitants dans son organisation. Les échanges ont porté sur "
                "les missions d'un service participation, sur sa place dans l'organigramme et sur "
                "les premières démarches à engager.</p>"
            )
        ],
    },
    {
        "title": "Tarn-Agout associe les habitants à son plan climat",
        "slug": "tarn-agout",
        "collectivite_name": "Communauté de communes Tarn-Agout",
        "collectivite_kind": "epci",
        "territory": "Tarn",
        "themes": ["transition-ecologique", "projet-de-territoire"],
        "date": date(2025, 2, 3),
        "summary": "L'intercommunalité a sollicité la cellule autour de son plan climat et de "
        "son projet de territoire.",
        "body": [
            paragraph(
                "<p>Plan climat et projet de territoire engagent l'intercommunalité sur le long "
                "terme. Les sessions ont permis de réfléchir à la manière d'y associer les habitants "
                "et les communes membres, et de repérer les ressources utiles.</p>"
            )
        ],
    },
    {
        "title": "Pamiers met en cohérence ses dispositifs participatifs",
        "slug": "pamiers",
        "collectivite_name": "Ville de Pamiers",
        "collectivite_kind": "commune",
        "territory": "Ariège",
        "themes": ["coherence-des-dispositifs"],
        "date": date(2025, 1, 13),
        "summary": "La ville de Pamiers prépare une charte pour articuler ses conseils citoyens, "
        "ses réunions de secteur et ses autres dispositifs.",
        "body": [
            paragraph(
                "<p>Conseils citoyens, réunions de secteur : au fil du temps, les dispositifs se "
                "sont ajoutés les uns aux autres. La commune a travaillé avec la cellule à une charte "
                "qui leur donne une cohérence et les rend lisibles pour les habitants.</p>"
            )
        ],
    },
    {
        "title": "La Nouvelle-Calédonie et la gestion participative des risques",
        "slug": "nouvelle-caledonie",
        "collectivite_name": "Nouvelle-Calédonie",
        "collectivite_kind": "outre_mer",
        "territory": "Nouvelle-Calédonie",
        "themes": ["gestion-des-risques"],
        "date": date(2024, 12, 2),
        "summary": "Les échanges ont porté sur une approche participative de la gestion des "
        "risques.",
        "body": [
            paragraph(
                "<p>Prévenir les risques et s'y préparer concerne chaque habitant. Les sessions ont "
                "exploré comment associer la population à cette démarche, en tenant compte des "
                "spécificités du territoire.</p>"
            )
        ],
    },
]

ACCESSIBILITY = {
    "title": "Déclaration d'accessibilité",
    "slug": "accessibilite",
    "introduction": (
        "L'Agence nationale de la cohésion des territoires s'engage à rendre ses services "
        "numériques accessibles, conformément à l'article 47 de la loi n° 2005-102 du "
        "11 février 2005."
    ),
    "body": [
        paragraph(
            "<p>Cette déclaration d'accessibilité s'applique au portail Territoires "
            "d'engagement.</p>"
        ),
        heading("État de conformité"),
        paragraph(
            "<p>Le portail Territoires d'engagement est <b>partiellement conforme</b> avec "
            "le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1, "
            "en raison des non-conformités et des dérogations énumérées ci-dessous.</p>"
        ),
        heading("Résultats des tests"),
        paragraph(
            "<p>Aucun audit de conformité n'a encore été réalisé. Chaque page publique est "
            "vérifiée automatiquement avec l'outil axe-core, et les parcours principaux "
            "sont testés au clavier.</p>"
        ),
        heading("Contenus non accessibles"),
        heading("Non-conformités", level="h3"),
        paragraph("<p>Les non-conformités seront listées à l'issue du premier audit.</p>"),
        heading("Dérogations pour charge disproportionnée", level="h3"),
        paragraph("<p>Aucune.</p>"),
        heading("Contenus non soumis à l'obligation d'accessibilité", level="h3"),
        paragraph("<p>Aucun.</p>"),
        heading("Établissement de cette déclaration d'accessibilité"),
        paragraph(
            "<p>Technologies utilisées : HTML5, CSS, JavaScript (système de design de "
            "l'État).</p><p>Environnements de test : navigateur Chromium avec l'outil "
            "axe-core ; navigation au clavier.</p>"
        ),
        heading("Retour d'information et contact"),
        paragraph(
            "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez "
            "contacter l'équipe de Territoires d'engagement pour être orienté vers une "
            "alternative accessible ou obtenir le contenu sous une autre forme.</p>"
        ),
        {"type": "contacts", "value": {"level": "h3", "contacts": PERMANENCE_CONTACTS}},
        heading("Voies de recours"),
        paragraph(
            "<p>Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un "
            "contenu ou à une fonctionnalité, que vous nous le signalez et que vous ne "
            "parvenez pas à obtenir une réponse de notre part, vous êtes en droit de faire "
            "parvenir vos doléances ou une demande de saisine au Défenseur des droits :</p>"
            "<ul><li>en écrivant un message au Défenseur des droits "
            '(<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>) ;</li>'
            "<li>en contactant le délégué du Défenseur des droits dans votre région ;</li>"
            "<li>en envoyant un courrier par la poste (gratuit, ne pas mettre de timbre) : "
            "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li></ul>"
        ),
    ],
}

LEGAL = {
    "title": "Mentions légales",
    "slug": "mentions-legales",
    "introduction": "Informations sur l'éditeur et l'hébergement du portail Territoires d'engagement.",
    "body": [
        heading("Éditeur"),
        paragraph(
            "<p>Agence nationale de la cohésion des territoires (ANCT), 20 avenue de Ségur, "
            "75007 Paris.</p>"
        ),
        heading("Directeur de la publication"),
        paragraph(
            "<p>Le directeur général de l'Agence nationale de la cohésion des territoires.</p>"
        ),
        heading("Hébergement"),
        paragraph(
            "<p>Les informations relatives à l'hébergeur sont précisées lors de la mise en "
            "production du service.</p>"
        ),
        heading("Propriété intellectuelle"),
        paragraph(
            "<p>Sauf mention contraire, les contenus de ce site sont publiés sous licence "
            "Etalab 2.0. Le système de design de l'État et la Marianne sont réservés aux "
            "sites de l'État.</p>"
        ),
        heading("Accessibilité"),
        paragraph(
            "<p>La conformité du site au RGAA est détaillée dans la "
            '<a href="/accessibilite/">déclaration d\'accessibilité</a>.</p>'
        ),
    ],
}

PRIVACY = {
    "title": "Données personnelles",
    "slug": "donnees-personnelles",
    "introduction": (
        "Comment l'ANCT traite les données personnelles que vous confiez à Territoires "
        "d'engagement, et comment exercer vos droits."
    ),
    "body": [
        heading("Responsable du traitement"),
        paragraph("<p>L'Agence nationale de la cohésion des territoires (ANCT).</p>"),
        heading("Finalités"),
        paragraph(
            "<p>Les données transmises avec une demande d'accompagnement servent "
            "uniquement à traiter cette demande : vous recontacter, organiser les sessions "
            "de travail et suivre l'accompagnement.</p>"
        ),
        heading("Données traitées"),
        paragraph(
            "<p>Nom de la collectivité, nom, prénom, fonction, adresse électronique et "
            "numéro de téléphone de la personne qui fait la demande, et les informations "
            "qu'elle décrit sur son projet.</p>"
        ),
        heading("Destinataires"),
        paragraph(
            "<p>Seule l'équipe de Territoires d'engagement de l'ANCT accède à ces données.</p>"
        ),
        heading("Durée de conservation"),
        paragraph("<p>Les données sont conservées le temps de l'accompagnement, puis :</p>"),
        {"type": "retention_periods", "value": None},
        heading("Vos droits"),
        paragraph(
            "<p>Vous disposez d'un droit d'accès, de rectification, d'effacement et de "
            "limitation du traitement de vos données. Pour les exercer, écrivez à l'équipe "
            "de Territoires d'engagement. Vous pouvez aussi adresser une réclamation à la "
            "Commission nationale de l'informatique et des libertés (CNIL).</p>"
        ),
        heading("Gestion des cookies", anchor="cookies"),
        paragraph(
            "<p>Ce site ne dépose aucun cookie de mesure d'audience ni de publicité. Seuls "
            "des cookies techniques, nécessaires à son fonctionnement (sécurité des "
            "formulaires, mémorisation de vos paramètres d'affichage), sont utilisés : ils "
            "ne demandent pas votre consentement.</p>"
        ),
    ],
}

SITEMAP = {
    "title": "Plan du site",
    "slug": "plan-du-site",
    "introduction": "L'ensemble des pages du portail Territoires d'engagement.",
}
