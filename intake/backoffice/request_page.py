"""One request, for the team: everything the applicant gave, the thread, and the forms of the
moves, assignment, labels, notes, messages and appointments. Each form calls one command."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from .. import attachments, selectors
from ..actions import Action
from ..errors import DomainError
from ..fields import is_primary_key
from ..lifecycle import commands, history
from ..lifecycle.moves import MESSAGE, MOVES, allowed_moves
from ..models import Appointment, Attachment, IntakeRequest, ReplyTemplate
from . import forms
from .once import PostedOnceMixin
from .permissions import request_permission_policy

INDEX_URL_NAME = "intake_requests:index"
PAGE_URL_NAME = "intake_requests:edit"


def _template(http_request, purpose):
    """The reply template chosen in the composer (?modele=), if it is one of ``purpose``."""
    pk = http_request.GET.get("modele", "")
    if not is_primary_key(pk):
        return None
    return ReplyTemplate.objects.filter(pk=pk, purpose=purpose).first()


class RequestMixin(PermissionCheckedMixin, WagtailAdminTemplateMixin):
    """A view of one request the user may read (others are a 404, never a glimpse)."""

    permission_policy = request_permission_policy
    permission_required = "view"
    header_icon = "mail"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.intake_request = get_object_or_404(
            IntakeRequest.objects.visible_to(request.user).select_related(
                "collectivite",
                "collectivite__epci",
                "assignee",
                "partner",
                "duplicate_of",
                "created_by",
                "satisfaction",
            ),
            pk=kwargs["pk"],
        )

    @property
    def page_url(self):
        return reverse(PAGE_URL_NAME, args=[self.intake_request.pk])

    def get_breadcrumbs_items(self):
        items = [{"url": reverse(INDEX_URL_NAME), "label": _("Demandes")}]
        if self.page_title != self.intake_request.reference:
            items.append({"url": self.page_url, "label": self.intake_request.reference})
        return self.breadcrumbs_items + items + [{"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(intake_request=self.intake_request, **kwargs)


def _assign(intake_request, form, by):
    commands.assign(intake_request, by=by, assignee=form.cleaned_data["assignee"])


def _set_labels(intake_request, form, by):
    commands.set_labels(intake_request, by=by, labels=form.cleaned_data["labels"])


def _add_note(intake_request, form, by):
    data = form.cleaned_data
    commands.add_note(intake_request, by=by, body=data["body"], pinned=data["pinned"])


def _set_cadence(intake_request, form, by):
    data = form.cleaned_data
    commands.set_cadence(
        intake_request,
        by=by,
        rhythm=data["rhythm"],
        min_weeks=data["min_weeks"],
        max_weeks=data["max_weeks"],
    )


def _write(intake_request, form, by):
    data = form.cleaned_data
    commands.team_writes(
        intake_request, by=by, body=data["message"], subject=data["subject"], files=data["files"]
    )


class RequestPageView(PostedOnceMixin, RequestMixin, TemplateView):
    template_name = "intake/backoffice/request_page.html"

    # The forms of the page itself, by the value of their "action" button.
    ACTIONS = {
        "assign": Action(forms.AssignForm, _assign, gettext_lazy("La demande est confiée.")),
        "labels": Action(
            forms.LabelsForm, _set_labels, gettext_lazy("Les étiquettes sont enregistrées.")
        ),
        "note": Action(forms.NoteForm, _add_note, gettext_lazy("La note est ajoutée.")),
        "cadence": Action(
            forms.CadenceForm,
            _set_cadence,
            gettext_lazy("Le rythme de l'accompagnement est enregistré."),
        ),
        "write": Action(
            forms.TeamMessageForm, _write, gettext_lazy("Le message est envoyé à la collectivité.")
        ),
    }
    PIN_SUCCESS = gettext_lazy("La note est mise à jour.")

    @cached_property
    def page_title(self):
        return self.intake_request.reference

    def get_page_subtitle(self):
        return self.intake_request.collectivite_label

    def bound_forms(self, data=None, files=None, action=None):
        """Every form of the page, unbound but the one ``action`` posted ``data`` to."""
        template = self.chosen_template()
        return {
            name: page_action.form_class(
                data if name == action else None,
                files if name == action else None,
                intake_request=self.intake_request,
                user=self.request.user,
                template=None if name == action else template,
            )
            for name, page_action in self.ACTIONS.items()
        }

    def chosen_template(self):
        return _template(self.request, MESSAGE.purpose)

    # What the applicant wrote since the team last read, marked in the thread.
    unread_since = None

    def get(self, http_request, *args, **kwargs):
        # Marked read before the thread is read: a message that lands meanwhile marks the
        # request again, never goes unseen.
        self.unread_since = self.intake_request.unread_since
        commands.team_reads(self.intake_request, by=http_request.user)
        return super().get(http_request, *args, **kwargs)

    def get_context_data(self, page_forms=None, **kwargs):
        intake_request = self.intake_request
        can_triage = self.user_has_permission("change")
        return super().get_context_data(
            forms=page_forms or self.bound_forms(),
            can_triage=can_triage,
            moves=allowed_moves(intake_request) if can_triage else [],
            thread=history.team_thread(intake_request, self.unread_since),
            pinned_notes=[note for note in intake_request.notes.all() if note.pinned],
            appointments=intake_request.appointments.select_related("record")
            .prefetch_related("hosts", "action_items", "record__partners")
            .order_by("starts_at"),
            same_collectivite=IntakeRequest.objects.same_collectivite_as(intake_request)
            .select_related("collectivite")
            .order_by("-created_at"),
            duplicates=intake_request.duplicates.all(),
            clock=intake_request.response_clock(),
            cadence=selectors.cadence_of(intake_request),
            cadence_form_shown=can_triage
            and intake_request.status in IntakeRequest.CADENCE_STATUSES,
            region_name=selectors.region_name(intake_request.collectivite),
            message_templates=ReplyTemplate.for_purpose(MESSAGE),
            **kwargs,
        )

    def post(self, http_request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        name = http_request.POST.get("action")
        if name == "pin":
            return self.pin()
        if name not in self.ACTIONS:
            messages.error(http_request, _("Cette action n'existe pas."))
            return redirect(self.page_url)
        action = self.ACTIONS[name]
        page_forms = self.bound_forms(http_request.POST, http_request.FILES, name)
        form = page_forms[name]
        if form.is_valid():
            try:
                self.run_once(action, form)
            except DomainError as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(http_request, action.success)
                return redirect(self.page_url)
        context = self.get_context_data(page_forms=page_forms)
        return self.render_to_response(context, status=400)

    def run(self, action, form):
        action.run(self.intake_request, form, self.request.user)

    def pin(self):
        pk = self.request.POST.get("note", "")
        if not is_primary_key(pk):
            raise Http404
        note = get_object_or_404(self.intake_request.notes, pk=pk)
        commands.pin_note(note, by=self.request.user, pinned=not note.pinned)
        messages.success(self.request, self.PIN_SUCCESS)
        return redirect(self.page_url)


class AttachmentView(RequestMixin, View):
    """A file of the request's thread, for the team that reads the request."""

    def get(self, http_request, *args, **kwargs):
        found = get_object_or_404(
            Attachment.objects.of_request(self.intake_request), pk=kwargs["attachment_pk"]
        )
        return attachments.download(found)


class ExportPersonalDataView(RequestMixin, View):
    """Everything the portal holds about the applicant, across their requests, as a JSON file;
    posted, since the export is recorded in the audit log."""

    permission_required = "change"

    def post(self, http_request, *args, **kwargs):
        data = commands.export_personal_data(self.intake_request, by=http_request.user)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        filename = f"donnees-personnelles-{self.intake_request.reference}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CommandFormView(PostedOnceMixin, RequestMixin, FormView):
    """A form with its confirmation page, whose valid answer runs one command."""

    permission_required = "change"
    template_name = "intake/backoffice/command_form.html"
    submit_label = gettext_lazy("Confirmer")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.extra_form_kwargs()}

    def extra_form_kwargs(self):
        return {}

    def form_valid(self, form):
        try:
            self.run_once(form)
        except DomainError as refusal:
            form.add_error(None, str(refusal))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, self.success_message)
        return redirect(get_valid_next_url_from_request(self.request) or self.page_url)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_page_subtitle(self):
        # The request this form acts on, in the title: several may be open in tabs.
        return self.intake_request.reference

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            submit_label=self.submit_label,
            cancel_url=get_valid_next_url_from_request(self.request) or self.page_url,
            next_url=get_valid_next_url_from_request(self.request),
            recent_messages=selectors.recent_messages(self.intake_request),
            **kwargs,
        )


class MoveView(CommandFormView):
    """One move of the request (take, ask, accept…), with the email it sends: its form and
    its command are those its declaration names."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        move = MOVES.get(kwargs["move"])
        if move is None or not move.by_team:
            raise Http404
        self.move = move

    @cached_property
    def page_title(self):
        return self.move.label

    @property
    def submit_label(self):
        return self.move.label

    @property
    def success_message(self):
        return _("« %(move)s » : enregistré.") % {"move": self.move.label}

    def get_form_class(self):
        return self.move.form

    def extra_form_kwargs(self):
        return {
            "intake_request": self.intake_request,
            "user": self.request.user,
            "reply": self.move.reply,
            "template": self.chosen_template(),
        }

    def chosen_template(self):
        return _template(self.request, self.move.reply.purpose) if self.move.reply else None

    def get_context_data(self, **kwargs):
        templates = (
            ReplyTemplate.objects.filter(purpose=self.move.reply.purpose) if self.move.reply else []
        )
        allowed = self.intake_request.status in self.move.sources
        return super().get_context_data(
            move=self.move, reply_templates=templates, allowed=allowed, **kwargs
        )

    def run(self, form):
        self.move.command(self.intake_request, by=self.request.user, **form.command_kwargs())


def _confirm(appointment, form, by):
    commands.confirm_appointment(appointment, by=by, video_link=form.cleaned_data["video_link"])


def _reschedule(appointment, form, by):
    commands.reschedule(
        appointment,
        by=by,
        starts_at=form.new_starts_at,
        message=form.cleaned_data["message"],
    )


def _held(appointment, form, by):
    commands.record_outcome(appointment, by=by, held=True)


def _no_show(appointment, form, by):
    commands.record_outcome(appointment, by=by, held=False)


def _record(appointment, form, by):
    commands.record_session(appointment, by=by, **form.command_kwargs())


def _cancel(appointment, form, by):
    commands.cancel_appointment(appointment, by=by, message=form.cleaned_data["message"])


class AppointmentView(CommandFormView):
    """The team's handling of one appointment: link, move, outcome, cancellation."""

    # The actions on an appointment, by their URL.
    ACTIONS = {
        "confirmer": Action(
            forms.VideoLinkForm,
            _confirm,
            gettext_lazy("Le rendez-vous est confirmé ; la collectivité a reçu l'invitation."),
            label=gettext_lazy("Confirmer et envoyer le lien"),
        ),
        "deplacer": Action(
            forms.MoveAppointmentForm,
            _reschedule,
            gettext_lazy("Le rendez-vous est déplacé ; la collectivité a reçu l'invitation."),
            label=gettext_lazy("Déplacer le rendez-vous"),
        ),
        "tenu": Action(
            forms.OutcomeForm,
            _held,
            gettext_lazy("Le rendez-vous est noté comme tenu."),
            label=gettext_lazy("Le rendez-vous a eu lieu"),
        ),
        "absence": Action(
            forms.OutcomeForm,
            _no_show,
            gettext_lazy("L'absence est notée."),
            label=gettext_lazy("La collectivité était absente"),
        ),
        "compte-rendu": Action(
            forms.SessionRecordForm,
            _record,
            gettext_lazy("Le compte rendu de la séance est enregistré."),
            label=gettext_lazy("Enregistrer le compte rendu"),
        ),
        "annuler": Action(
            forms.CancelAppointmentForm,
            _cancel,
            gettext_lazy("Le rendez-vous est annulé ; la collectivité en est informée."),
            label=gettext_lazy("Annuler le rendez-vous"),
        ),
    }

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if kwargs["action"] not in self.ACTIONS:
            raise Http404
        self.action = self.ACTIONS[kwargs["action"]]
        self.appointment = get_object_or_404(
            self.intake_request.appointments, pk=kwargs["appointment_pk"]
        )
        self.form_class = self.action.form_class
        # The record is written after the session; every other action is on a booked one.
        self.acts_on = (
            Appointment.Status.HELD
            if kwargs["action"] == "compte-rendu"
            else Appointment.Status.BOOKED
        )
        self.page_title = self.submit_label = self.action.label
        self.success_message = self.action.success

    def extra_form_kwargs(self):
        return {"appointment": self.appointment}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            appointment=self.appointment,
            allowed=self.appointment.status == self.acts_on,
            **kwargs,
        )

    def run(self, form):
        self.action.run(self.appointment, form, self.request.user)


class ScheduleView(CommandFormView):
    form_class = forms.ScheduleForm
    page_title = gettext_lazy("Planifier un rendez-vous")
    submit_label = gettext_lazy("Planifier")
    success_message = gettext_lazy(
        "Le rendez-vous est planifié ; la collectivité et les personnes qui le tiennent ont "
        "reçu l'invitation."
    )

    def get_context_data(self, **kwargs):
        return super().get_context_data(allowed=self.intake_request.can_book, **kwargs)

    def extra_form_kwargs(self):
        return {
            "user": self.request.user,
            "sessions_allowed": self.intake_request.status in commands.SESSION_STATUSES,
        }

    def run(self, form):
        commands.team_books(self.intake_request, by=self.request.user, **form.command_kwargs())


class AnonymiseView(CommandFormView):
    """The team anonymises an ended request before its period is over, with its reason."""

    form_class = forms.AnonymiseForm
    page_title = gettext_lazy("Anonymiser maintenant")
    submit_label = gettext_lazy("Anonymiser définitivement")
    success_message = gettext_lazy("La demande est anonymisée.")

    def get_context_data(self, **kwargs):
        intake_request = self.intake_request
        allowed = not intake_request.is_open and intake_request.anonymised_at is None
        return super().get_context_data(allowed=allowed, **kwargs)

    def run(self, form):
        commands.anonymise(
            self.intake_request, by=self.request.user, reason=form.cleaned_data["reason"]
        )
