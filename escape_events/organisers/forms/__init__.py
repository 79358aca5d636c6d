"""Forms of the organiser's side: they validate and hand plain values to services.

One module per page family, as in views/: events, series, registration_settings,
participants, checkin, files, agenda, reminders, notifications, retention and surveys; fields
holds what they share (the wall-clock date field, the venue fields) and is the only one they
import (agenda also takes the accepted file types from files).
Import the forms from here.
"""

from .agenda import (
    AgendaConfirmForm,
    AgendaImportForm,
    DuplicateEntryForm,
    EntryForm,
    MaterialForm,
    MoveEntryForm,
    SessionForm,
    people_formset,
)
from .checkin import AttendanceForm, CheckInForm
from .events import CloneEventForm, CoOrganiserForm, EventForm
from .fields import WALL_CLOCK_FORMATS, YEARS, WallClockField, wall_clock
from .files import AttachmentForm, MinutesForm, RestoreRevisionForm
from .notifications import NotificationSettingsForm
from .participants import (
    SORT_CHOICES,
    AddParticipantForm,
    BulkActionForm,
    ExportForm,
    ImportConfirmForm,
    ImportForm,
    MessageForm,
    Mode,
    ParticipantFilterForm,
    Status,
)
from .printouts import AttendanceListForm, MarkAttendanceForm, PrintDesignForm
from .registration_settings import (
    LibraryQuestionFormSet,
    PickFromLibraryForm,
    QuestionForm,
    QuestionFormSet,
    RegistrationSettingsForm,
)
from .reminders import ReminderPlanForm
from .retention import RetentionForm
from .series import ExtraMeetingForm, MoveMeetingForm, SeriesForm, extra_meeting_initial
from .surveys import (
    OpenSurveyForm,
    SurveyExportForm,
    SurveyQuestionForm,
    SurveyQuestionFormSet,
    SurveySettingsForm,
)

__all__ = [
    "SORT_CHOICES",
    "WALL_CLOCK_FORMATS",
    "YEARS",
    "AddParticipantForm",
    "AgendaConfirmForm",
    "AgendaImportForm",
    "AttachmentForm",
    "AttendanceForm",
    "AttendanceListForm",
    "BulkActionForm",
    "CheckInForm",
    "CloneEventForm",
    "CoOrganiserForm",
    "DuplicateEntryForm",
    "EntryForm",
    "EventForm",
    "ExportForm",
    "ExtraMeetingForm",
    "ImportConfirmForm",
    "ImportForm",
    "LibraryQuestionFormSet",
    "MarkAttendanceForm",
    "MaterialForm",
    "MessageForm",
    "MinutesForm",
    "Mode",
    "MoveEntryForm",
    "MoveMeetingForm",
    "NotificationSettingsForm",
    "OpenSurveyForm",
    "ParticipantFilterForm",
    "PickFromLibraryForm",
    "PrintDesignForm",
    "QuestionForm",
    "QuestionFormSet",
    "RegistrationSettingsForm",
    "ReminderPlanForm",
    "RestoreRevisionForm",
    "RetentionForm",
    "SeriesForm",
    "SessionForm",
    "Status",
    "SurveyExportForm",
    "SurveyQuestionForm",
    "SurveyQuestionFormSet",
    "SurveySettingsForm",
    "WallClockField",
    "extra_meeting_initial",
    "people_formset",
    "wall_clock",
]
