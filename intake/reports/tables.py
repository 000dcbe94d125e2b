"""The report's figures as titled tables: French headings and rows of plain values, what the
reports screen shows beside each chart and what its CSV and XLSX exports hold."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .france_map import departement_codes

VERTICAL, HORIZONTAL, MAP = "vertical", "horizontal", "map"


@dataclass(frozen=True)
class Table:
    """One figure: ``key`` names it in an export's address and file name; a value is an
    int, a float (a share in percent, a mean, a median), a str, or None when there is none.
    ``chart`` says how the screen draws it beside the table (bars, the map, or not at all),
    from the column ``label`` and the column ``value`` of its rows (a map: the INSEE code in
    the first column)."""

    key: str
    title: str
    headings: list
    rows: list
    chart: str | None = None
    label: int = 0
    value: int = 1

    @property
    def series(self):
        """The (label, value) pairs a bar chart draws."""
        return [(row[self.label], row[self.value]) for row in self.rows]

    @property
    def map_values(self):
        """{INSEE code: value} for the map, the rows without a code it draws left out (the
        table beside it lists them)."""
        drawn = set(departement_codes())
        return {row[0]: row[self.value] for row in self.rows if row[0] in drawn}

    @property
    def label_heading(self):
        return self.headings[self.label]

    @property
    def value_heading(self):
        return self.headings[self.value]

    @property
    def description(self):
        return _("%(value)s, selon « %(label)s ».") % {
            "value": self.value_heading,
            "label": self.label_heading,
        }


def percent(rate):
    return None if rate is None else round(rate * 100, 1)


def rounded(value, digits=1):
    return None if value is None else round(value, digits)


def _shares(key, title, heading, cells, count_heading=None):
    return Table(
        key,
        title,
        [heading, count_heading or _("Demandes"), _("Part (%)")],
        [(cell.label, cell.value, percent(cell.rate)) for cell in cells],
        chart=HORIZONTAL,
    )


def _territories(key, title, heading, cells, chart=HORIZONTAL, count_heading=None):
    return Table(
        key,
        title,
        [_("Code"), heading, count_heading or _("Demandes"), _("Part (%)")],
        [(cell.key, cell.label, cell.value, percent(cell.rate)) for cell in cells],
        chart=chart,
        label=1,
        value=2,
    )


def report_tables(report):
    """The tables of a ``figures.Report``, in the screen's order."""
    sessions, lengths, satisfaction = (
        report.sessions,
        report.accompaniment_lengths,
        report.satisfaction,
    )
    target = report.decision_delays.target
    return [
        Table(
            "synthese",
            _("Synthèse"),
            [_("Indicateur"), _("Valeur")],
            [
                (_("Demandes reçues (hors indésirables)"), report.received),
                (_("Séances tenues"), sessions.held),
                (_("Absences à une séance"), sessions.no_show),
                (_("Taux d'absence (%)"), percent(sessions.no_show_rate)),
                (_("Accompagnements clôturés"), lengths.count),
                (_("Durée moyenne d'un accompagnement (jours)"), rounded(lengths.mean_days)),
                (_("Réponses au questionnaire de satisfaction"), satisfaction.count),
                (_("Satisfaction moyenne (sur 5)"), rounded(satisfaction.mean, 2)),
            ],
        ),
        Table(
            "demandes-par-mois",
            _("Demandes reçues par mois"),
            [
                _("Mois"),
                _("Demandes reçues"),
                _("Répondues dans le délai visé (%(days)s jours ouvrés)") % {"days": target},
            ],
            [
                (month.label, month.value, answered.value)
                for month, answered in zip(
                    report.requests_per_month, report.answered_within_target_per_month, strict=True
                )
            ],
            chart=VERTICAL,
        ),
        _shares(
            "types-de-collectivites",
            _("Demandes par type de collectivité"),
            _("Type de collectivité"),
            report.requests_by_kind,
        ),
        _territories("regions", _("Demandes par région"), _("Région"), report.requests_by_region),
        _territories(
            "departements",
            _("Demandes par département"),
            _("Département"),
            report.requests_by_departement,
            chart=MAP,
        ),
        _shares("issues", _("Issue des demandes"), _("Issue"), report.outcomes),
        _shares(
            "orientations",
            _("Partenaires vers qui les demandes ont été orientées"),
            _("Partenaire"),
            report.redirect_partners,
        ),
        Table(
            "delais",
            _("Délais, en jours ouvrés"),
            [
                _("Délai"),
                _("Demandes"),
                _("Médiane"),
                _("90e centile"),
                _("Dans le délai visé (%(days)s jours ouvrés)") % {"days": target},
                _("Part dans le délai visé (%)"),
            ],
            [
                (
                    label,
                    delays.count,
                    delays.median,
                    delays.p90,
                    delays.within_target,
                    percent(delays.within_rate),
                )
                for label, delays in (
                    (_("Jusqu'à la première décision"), report.decision_delays),
                    (_("Jusqu'à la première séance tenue"), report.session_delays),
                )
            ],
        ),
        Table(
            "accompagnements",
            _("Séances et accompagnements par mois"),
            [
                _("Mois"),
                _("Séances tenues"),
                _("Accompagnements en cours en fin de mois"),
                _("Accompagnements clôturés"),
            ],
            [
                (held.label, held.value, active.value, closed.value)
                for held, active, closed in zip(
                    sessions.per_month,
                    report.active_accompaniments,
                    lengths.closed_per_month,
                    strict=True,
                )
            ],
            chart=VERTICAL,
        ),
        _territories(
            "accompagnements-par-departement",
            _("Accompagnements par département"),
            _("Département"),
            report.accompaniments_by_departement,
            chart=MAP,
            count_heading=_("Accompagnements"),
        ),
        _shares(
            "sujets",
            _("Sujets abordés en séance"),
            _("Axe de l'offre"),
            report.subjects,
            count_heading=_("Séances"),
        ),
        _shares(
            "partenaires",
            _("Partenaires et pistes indiqués en séance"),
            _("Partenaire"),
            report.session_partners,
            count_heading=_("Séances"),
        ),
        _shares(
            "satisfaction",
            _("Satisfaction des collectivités accompagnées"),
            _("Note"),
            satisfaction.distribution,
            count_heading=_("Réponses"),
        ),
    ]
