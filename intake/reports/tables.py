"""The report's figures as titled tables: French headings and rows of plain values, what the
reports screen shows beside each chart and what its CSV and XLSX exports hold."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Table:
    """One figure: ``key`` names it in an export's address and file name; a value is an
    int, a float (a share in percent, a mean, a median), a str, or None when there is none."""

    key: str
    title: str
    headings: list
    rows: list


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
    )


def _territories(key, title, heading, cells):
    return Table(
        key,
        title,
        [_("Code"), heading, _("Demandes"), _("Part (%)")],
        [(cell.key, cell.label, cell.value, percent(cell.rate)) for cell in cells],
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
