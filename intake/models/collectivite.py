"""The official referential of collectivités (Etalab découpage administratif), and the
filters that the search composes."""

import math

from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from home.models import CollectiviteKind

from ..text import core_name, normalise, trigrams, with_article

__all__ = [
    "ARRONDISSEMENT",
    "Collectivite",
    "CollectiviteAlias",
    "CollectiviteKind",
    "CollectiviteTrigram",
    "alias_names",
    "departement_names",
    "departement_regions",
    "region_names",
]

# The referential's own kind, which testimonials do not need: the municipal arrondissements of
# Paris, Lyon and Marseille, each with its mairie, inside their commune.
ARRONDISSEMENT = "arrondissement"
KIND_CHOICES = [
    CollectiviteKind.choices[0],
    (ARRONDISSEMENT, _("Arrondissement municipal")),
    *CollectiviteKind.choices[1:],
]
KIND_LABELS = dict(KIND_CHOICES)

# The kinds whose name, typed beside another one, says where to look.
TERRITORY_KINDS = [
    CollectiviteKind.DEPARTEMENT,
    CollectiviteKind.REGION,
    CollectiviteKind.OUTRE_MER,
]
OWN_DEPARTEMENT = [CollectiviteKind.DEPARTEMENT, CollectiviteKind.OUTRE_MER]
# The groups of communes, whose code is their SIREN.
GROUP_KINDS = [CollectiviteKind.EPCI, CollectiviteKind.EPT]
# The kinds that a département's name tells apart.
LOCAL_KINDS = [CollectiviteKind.COMMUNE, ARRONDISSEMENT]
# What save() derives from the name.
SEARCH_FIELDS = {"search_name", "core_name", "trigram_count"}


class CollectiviteQuerySet(models.QuerySet):
    def territories(self):
        return self.filter(kind__in=TERRITORY_KINDS)

    def departements(self):
        """The départements and the overseas collectivités that are their own."""
        return self.filter(kind__in=OWN_DEPARTEMENT).order_by("code")

    def named(self, names):
        """Whose normalised name, or its core (without article), is one of `names`."""
        return self.filter(Q(search_name__in=names) | Q(core_name__in=names))

    def containing(self, words):
        """Whose normalised name contains each of `words`."""
        queryset = self
        for word in dict.fromkeys(words):
            queryset = queryset.filter(search_name__contains=word)
        return queryset

    def with_postcode(self, postcode):
        # Postcodes are five digits apart from each other: a five-digit substring is a whole one.
        return self.filter(postcodes__contains=postcode)

    def in_territories(self, territories):
        """Inside one of these départements, régions or overseas collectivities."""
        departements = [t.code for t in territories if t.kind in OWN_DEPARTEMENT]
        regions = [t.code for t in territories if t.kind == CollectiviteKind.REGION]
        return self.filter(Q(departement_code__in=departements) | Q(region_code__in=regions))


class Collectivite(models.Model):
    kind = models.CharField(_("type"), max_length=20, choices=KIND_CHOICES)
    code = models.CharField(
        _("code"), max_length=12, help_text=_("Code officiel géographique, ou SIREN d'un EPCI/EPT.")
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    name = models.CharField(_("nom"), max_length=200)
    name_type = models.PositiveSmallIntegerField(
        _("type de nom"),
        default=0,
        help_text=_(
            "Code TNCC de l'INSEE, qui donne l'article du nom : 0 « de », 1 « d' », 2 « le », "
            "3 « la », 4 « les », 5 « l' », 6 « aux », 7 « las », 8 « los »."
        ),
    )
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    core_name = models.CharField(max_length=200, default="", editable=False)
    trigram_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # The normalised names of its aliases, each between bars ("|lancrans|bellegarde sur
    # valserine|"), so that one query searches them with the names.
    other_names = models.TextField(default="", editable=False)
    short_names = models.CharField(max_length=200, default="", editable=False)
    departement_code = models.CharField(_("code du département"), max_length=3, blank=True)
    departement_name = models.CharField(_("département"), max_length=100, blank=True)
    region_code = models.CharField(_("code de la région"), max_length=3, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    postcodes = models.CharField(
        _("codes postaux"), max_length=200, blank=True, help_text=_("Séparés par des espaces.")
    )
    epci = models.ForeignKey(
        "self",
        verbose_name=_("EPCI"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    commune = models.ForeignKey(
        "self",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="arrondissements",
        help_text=_("La commune d'un arrondissement municipal."),
    )

    objects = CollectiviteQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("collectivité")
        verbose_name_plural = _("collectivités")
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="unique_collectivite_kind_code")
        ]

    # What the search sets when the query matched another name of this collectivité.
    matched_alias = None

    def __str__(self):
        if self.kind in LOCAL_KINDS and self.departement_name:
            return f"{self.name} ({self.departement_name})"
        return self.name

    def save(self, *args, update_fields=None, **kwargs):
        self.set_search_text()
        if update_fields is not None:
            if "name" not in update_fields:
                return super().save(*args, update_fields=update_fields, **kwargs)
            update_fields = {*update_fields, *SEARCH_FIELDS}
        with transaction.atomic():
            super().save(*args, update_fields=update_fields, **kwargs)
            CollectiviteTrigram.objects.replace([self])

    def with_article(self, preposition=""):
        """The name as a sentence says it, after `preposition`: "le Gers", "du Gers", "de la CA
        du Pays de Gex", "d'Orléans", "des Ulis"."""
        return with_article(self.name, self.name_type, preposition)

    @property
    def matched_name(self):
        """The name, and the other name that the search matched: "Valserhône — commune
        déléguée : Bellegarde-sur-Valserine"."""
        if self.matched_alias is None:
            return self.name
        return _("%(name)s — %(kind)s : %(alias)s") % {
            "name": self.name,
            "kind": self.matched_alias.get_kind_display(),
            "alias": self.matched_alias.name,
        }

    @property
    def description(self):
        """What tells homonyms apart: "Commune · 94 Val-de-Marne · 29 528 habitants"."""
        parts = [str(self.get_kind_display())]
        if self.kind in OWN_DEPARTEMENT:
            parts.append(self.departement_code)
        elif self.departement_code:
            parts.append(f"{self.departement_code} {self.departement_name}".strip())
        if self.population is not None:
            parts.append(self.population_display)
        return " · ".join(parts)

    @property
    def insee_code(self):
        """The official geographic code; a group of communes has a SIREN only."""
        return "" if self.kind in GROUP_KINDS else self.code

    @property
    def population_display(self):
        """ "29 528 habitants", grouped as French writes numbers."""
        if self.population is None:
            return ""
        return ngettext("%(count)s habitant", "%(count)s habitants", self.population) % {
            "count": number_format(self.population, force_grouping=True)
        }

    def set_search_text(self):
        self.search_name = normalise(self.name)
        self.core_name = core_name(self.search_name)
        self.trigram_count = len(trigrams(self.search_name))


class CollectiviteAlias(models.Model):
    """Another name that leads to a collectivité: a former commune merged into a commune
    nouvelle (commune déléguée or associée, from the referential), or the short name a body
    uses for itself ("MEL", "Grand Lyon"), from a table of the repository. The search reads
    them from the collectivité's `other_names` and `short_names`, which the loader fills."""

    class Kind(models.TextChoices):
        DELEGUEE = "deleguee", _("commune déléguée")
        ASSOCIEE = "associee", _("commune associée")
        SHORT = "short", _("nom d'usage")

    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name=_("collectivité"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    code = models.CharField(
        _("code"), max_length=5, blank=True, help_text=_("Code officiel d'une ancienne commune.")
    )
    name = models.CharField(_("nom"), max_length=200)
    search_name = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("autre nom de collectivité")
        verbose_name_plural = _("autres noms de collectivités")
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "kind", "search_name"], name="unique_collectivite_alias"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        self.set_search_text()
        with transaction.atomic():
            super().save(*args, **kwargs)
            other_names, short_names = alias_names(self.collectivite.aliases.all())
            Collectivite.objects.filter(pk=self.collectivite_id).update(
                other_names=other_names, short_names=short_names
            )

    def set_search_text(self):
        self.search_name = normalise(self.name)


def alias_names(aliases):
    """(other_names, short_names) of a collectivité with these aliases, as the search reads
    them: "|bellegarde sur valserine|lancrans|", "|mel|"."""
    names = ([], [])
    for alias in sorted(aliases, key=lambda alias: (alias.code, alias.search_name)):
        names[alias.kind == CollectiviteAlias.Kind.SHORT].append(alias.search_name)
    return tuple(f"|{'|'.join(found)}|" if found else "" for found in names)


class CollectiviteTrigramQuerySet(models.QuerySet):
    def similar_to(self, grams, threshold):
        """{collectivité id: trigrams shared}, for the collectivités whose similarity with the
        trigrams `grams` reaches the fraction `threshold`: the trigrams of their core name
        shared, over those of either (of their whole name), as pg_trgm counts."""
        if not grams:
            return {}
        grams = sorted(grams)
        connection = connections[self.db]
        quote = connection.ops.quote_name
        meta, collectivites = self.model._meta, Collectivite._meta
        table = quote(collectivites.db_table)
        count = quote(collectivites.get_field("trigram_count").column)
        trigram, column = (
            quote(meta.get_field(name).column) for name in ("trigram", "collectivite")
        )
        # Grouped before the join, which then reads only the rows that may reach the threshold
        # (sharing fewer than threshold × len(grams), none can): the ORM cannot say it.
        sql = (
            f"SELECT shared.id, shared.n FROM ("
            f"SELECT {column} AS id, COUNT(*) AS n FROM {quote(meta.db_table)} "
            f"WHERE {trigram} IN ({', '.join(['%s'] * len(grams))}) "
            f"GROUP BY {column} HAVING COUNT(*) >= %s"
            f") shared JOIN {table} ON {table}.{quote(collectivites.pk.column)} = shared.id "
            f"WHERE shared.n * %s >= %s * (%s + {table}.{count} - shared.n)"
        )
        least = math.ceil(threshold * len(grams))
        params = [*grams, least, threshold.denominator, threshold.numerator, len(grams)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return dict(cursor.fetchall())

    def add(self, collectivites):
        """Store the trigrams of the core names of these saved collectivités."""
        # In index order, and without a model instance for each of the ~460,000 rows of a first
        # load, for which bulk_create() takes a minute.
        rows = sorted(
            (gram, collectivite.pk)
            for collectivite in collectivites
            for gram in trigrams(collectivite.core_name)
        )
        if not rows:
            return
        connection = connections[self.db]
        quote = connection.ops.quote_name
        meta = self.model._meta
        fields = [meta.get_field(name) for name in ("trigram", "collectivite")]
        columns = ", ".join(quote(field.column) for field in fields)
        insert = f"INSERT INTO {quote(meta.db_table)} ({columns}) "
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Two arrays in one statement: row by row, psycopg takes half a minute.
                arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
                grams, ids = zip(*rows, strict=True)
                cursor.execute(insert + f"SELECT * FROM unnest({arrays})", [list(grams), list(ids)])
            else:
                cursor.executemany(insert + "VALUES (%s, %s)", rows)

    def replace(self, collectivites, batch_size=5000):
        """Store the trigrams of these collectivités in place of those they had."""
        ids = [collectivite.pk for collectivite in collectivites]
        for start in range(0, len(ids), batch_size):
            self.filter(collectivite_id__in=ids[start : start + batch_size]).delete()
        self.add(collectivites)


class CollectiviteTrigram(models.Model):
    """One trigram of a collectivité's core name: the index of the search that tolerates typos,
    kept in the database so that every application server shares it."""

    pk = models.CompositePrimaryKey("trigram", "collectivite")
    trigram = models.CharField(max_length=3)
    collectivite = models.ForeignKey(
        Collectivite, on_delete=models.CASCADE, related_name="trigrams"
    )

    objects = CollectiviteTrigramQuerySet.as_manager()

    class Meta:
        verbose_name = _("trigramme de collectivité")
        verbose_name_plural = _("trigrammes de collectivités")

    def __str__(self):
        return f"{self.collectivite_id} {self.trigram!r}"


DEPARTEMENT_NAMES_KEY = "referential:departement_names"
DEPARTEMENT_REGIONS_KEY = "referential:departement_regions"
REGION_NAMES_KEY = "referential:region_names"
REFERENTIAL_KEYS = [DEPARTEMENT_NAMES_KEY, DEPARTEMENT_REGIONS_KEY, REGION_NAMES_KEY]
REFERENTIAL_CACHE_SECONDS = 60 * 60


def departement_names():
    """{code: name} of the départements, in code order, read from the shared cache (a load
    of the referential forgets it)."""
    return cache.get_or_set(
        DEPARTEMENT_NAMES_KEY,
        lambda: dict(Collectivite.objects.departements().values_list("code", "name")),
        REFERENTIAL_CACHE_SECONDS,
    )


def departement_regions():
    """{département code: région code}, read from the shared cache."""
    return cache.get_or_set(
        DEPARTEMENT_REGIONS_KEY,
        lambda: dict(Collectivite.objects.departements().values_list("code", "region_code")),
        REFERENTIAL_CACHE_SECONDS,
    )


def region_names():
    """{code: name} of the régions, in name order, read from the shared cache."""
    return cache.get_or_set(
        REGION_NAMES_KEY,
        lambda: dict(
            Collectivite.objects.filter(kind=CollectiviteKind.REGION)
            .order_by("name")
            .values_list("code", "name")
        ),
        REFERENTIAL_CACHE_SECONDS,
    )
