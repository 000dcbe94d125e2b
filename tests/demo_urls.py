"""The public URLs the demo content must serve (the URL map of DESIGN.md, less the intake)."""

DEMO_PUBLIC_URLS = [
    "/",
    "/la-cellule/",
    "/temoignages/",
    "/temoignages/fresnes/",
    "/temoignages/tarn-agout/",
    "/temoignages/pamiers/",
    "/temoignages/nouvelle-caledonie/",
    "/recherche/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
    "/statistiques/",
]
