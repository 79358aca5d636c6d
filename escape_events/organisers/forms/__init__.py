"""Forms of the organiser's side: they validate and hand plain values to services.

One module per page family, as in views/: events, registration_settings, participants,
checkin, files, reminders and agenda; fields holds the wall-clock date field they share and is
the only one they import (agenda also takes the accepted file types from files).
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
from .files import AttachmentForm, MinutesForm
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
from .registration_settings import QuestionForm, QuestionFormSet, RegistrationSettingsForm
from .reminders import ReminderPlanForm
from .series import MoveMeetingForm

__all__ = [
    "SORT_CHOICES",
    "WALL_CLOCK_FORMATS",
    "YEARS",
    "AddParticipantForm",
    "AgendaConfirmForm",
    "AgendaImportForm",
    "AttachmentForm",
    "AttendanceForm",
    "BulkActionForm",
    "CheckInForm",
    "CloneEventForm",
    "CoOrganiserForm",
    "DuplicateEntryForm",
    "EntryForm",
    "EventForm",
    "ExportForm",
    "ImportConfirmForm",
    "ImportForm",
    "MaterialForm",
    "MessageForm",
    "MinutesForm",
    "Mode",
    "MoveEntryForm",
    "MoveMeetingForm",
    "ParticipantFilterForm",
    "QuestionForm",
    "QuestionFormSet",
    "RegistrationSettingsForm",
    "ReminderPlanForm",
    "SessionForm",
    "Status",
    "WallClockField",
    "people_formset",
    "wall_clock",
]
