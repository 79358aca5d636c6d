"""Forms of the organiser's side: they validate and hand plain values to services.

One module per page family, as in views/: events, registration_settings, participants,
checkin, files and reminders; fields holds the wall-clock date field they share and is the only
one they import.
Import the forms from here.
"""

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
    "AttachmentForm",
    "AttendanceForm",
    "BulkActionForm",
    "CheckInForm",
    "CloneEventForm",
    "CoOrganiserForm",
    "EventForm",
    "ExportForm",
    "ImportConfirmForm",
    "ImportForm",
    "MessageForm",
    "MinutesForm",
    "Mode",
    "MoveMeetingForm",
    "ParticipantFilterForm",
    "QuestionForm",
    "QuestionFormSet",
    "RegistrationSettingsForm",
    "ReminderPlanForm",
    "Status",
    "WallClockField",
    "wall_clock",
]
