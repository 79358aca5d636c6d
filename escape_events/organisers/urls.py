from django.urls import path, register_converter

from .converters import OccurrenceConverter
from .views import (
    agenda,
    checkin,
    events,
    files,
    materials,
    minutes,
    notifications,
    participants,
    people,
    printouts,
    privacy,
    questions,
    registration,
    reminders,
    series,
    surveys,
    translations,
)

app_name = "organisers"
register_converter(OccurrenceConverter, "occurrence")

urlpatterns = [
    path("", events.dashboard, name="dashboard"),
    path("events/new/", events.event_create, name="event_create"),
    path("questions/", questions.question_library, name="question_library"),
    path("events/<slug:slug>/", participants.event_overview, name="event_overview"),
    path("events/<slug:slug>/edit/", events.event_edit, name="event_edit"),
    path("events/<slug:slug>/retention/", privacy.event_retention, name="event_retention"),
    path("events/<slug:slug>/repeat/", events.event_clone, name="event_clone"),
    path("events/<slug:slug>/cancel/", events.event_cancel, name="event_cancel"),
    path("events/<slug:slug>/organisers/", events.co_organisers, name="co_organisers"),
    path(
        "events/<slug:slug>/translations/",
        translations.event_translations,
        name="event_translations",
    ),
    path(
        "events/<slug:slug>/organisers/<int:user_id>/remove/",
        events.co_organiser_remove,
        name="co_organiser_remove",
    ),
    path("events/<slug:slug>/participants/", participants.participant_list, name="participants"),
    path("events/<slug:slug>/participants/add/", people.add_people, name="add_people"),
    path(
        "events/<slug:slug>/participants/add/one/",
        people.add_participant_view,
        name="add_participant",
    ),
    path("events/<slug:slug>/participants/import/", people.import_preview, name="import_preview"),
    path(
        "events/<slug:slug>/participants/import/confirm/",
        people.import_confirm,
        name="import_confirm",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/",
        registration.registration_page,
        name="registration",
    ),
    path(
        "events/<slug:slug>/participants/<int:pk>/mode/",
        registration.registration_mode,
        name="registration_mode",
    ),
    path(
        "events/<slug:slug>/participants/bulk/",
        participants.participant_bulk,
        name="participant_bulk",
    ),
    path(
        "events/<slug:slug>/participants/export/",
        participants.participant_export,
        name="participant_export",
    ),
    path("events/<slug:slug>/messages/", participants.message_log, name="messages"),
    path("events/<slug:slug>/messages/new/", participants.message_compose, name="message_compose"),
    path("events/<slug:slug>/mails/<int:pk>/retry/", participants.mail_retry, name="mail_retry"),
    path("events/<slug:slug>/check-in/", checkin.check_in_page, name="check_in"),
    path("events/<slug:slug>/attendance/", checkin.attendance, name="attendance"),
    path(
        "events/<slug:slug>/attendance/from-check-ins/",
        checkin.attendance_from_check_ins,
        name="attendance_from_check_ins",
    ),
    path(
        "events/<slug:slug>/attendance/<int:pk>/remove/",
        checkin.attendance_remove,
        name="attendance_remove",
    ),
    path("events/<slug:slug>/attendance.csv", checkin.attendance_export, name="attendance_export"),
    path("events/<slug:slug>/files/", files.files, name="files"),
    path("events/<slug:slug>/files/<int:pk>/delete/", files.file_delete, name="file_delete"),
    path("events/<slug:slug>/minutes/", minutes.minutes_overview, name="minutes"),
    path("events/<slug:slug>/minutes/meeting/", minutes.minutes_edit, name="minutes_meeting"),
    path(
        "events/<slug:slug>/minutes/meeting/history/",
        minutes.minutes_history,
        name="minutes_meeting_history",
    ),
    path(
        "events/<slug:slug>/minutes/meeting/history/<int:number>/restore/",
        minutes.minutes_restore,
        name="minutes_meeting_restore",
    ),
    path(
        "events/<slug:slug>/minutes/items/<int:entry>/", minutes.minutes_edit, name="minutes_entry"
    ),
    path(
        "events/<slug:slug>/minutes/items/<int:entry>/history/",
        minutes.minutes_history,
        name="minutes_entry_history",
    ),
    path(
        "events/<slug:slug>/minutes/items/<int:entry>/history/<int:number>/restore/",
        minutes.minutes_restore,
        name="minutes_entry_restore",
    ),
    path("events/<slug:slug>/reminders/", reminders.event_reminders, name="reminders"),
    path("events/<slug:slug>/notifications/", notifications.notifications, name="notifications"),
    path("events/<slug:slug>/survey/", surveys.survey, name="survey"),
    path("events/<slug:slug>/survey/template/", surveys.survey_template, name="survey_template"),
    path("events/<slug:slug>/survey/open/", surveys.survey_open, name="survey_open"),
    path("events/<slug:slug>/survey/invite/", surveys.survey_invite, name="survey_invite"),
    path("events/<slug:slug>/survey/close/", surveys.survey_close, name="survey_close"),
    path("events/<slug:slug>/survey/results/", surveys.survey_results, name="survey_results"),
    path("events/<slug:slug>/survey/results/export/", surveys.survey_export, name="survey_export"),
    path("events/<slug:slug>/printouts/", printouts.printouts, name="printouts"),
    path("events/<slug:slug>/printouts/<slug:kind>.pdf", printouts.printout, name="printout"),
    path(
        "events/<slug:slug>/printouts/<slug:kind>/make/",
        printouts.printout_make,
        name="printout_make",
    ),
    path(
        "events/<slug:slug>/printouts/jobs/<int:pk>/", printouts.printout_job, name="printout_job"
    ),
    path(
        "events/<slug:slug>/printouts/jobs/<int:pk>.pdf",
        printouts.printout_job_file,
        name="printout_job_file",
    ),
    path("events/<slug:slug>/printouts/design/", printouts.print_design, name="print_design"),
    path("events/<slug:slug>/certificates/", printouts.certificates_page, name="certificates"),
    path(
        "events/<slug:slug>/certificates/attendance/",
        printouts.attendance_mark,
        name="attendance_mark",
    ),
    path(
        "events/<slug:slug>/certificates/attendance-list/",
        printouts.attendance_import,
        name="attendance_import",
    ),
    path(
        "events/<slug:slug>/certificates/<int:pk>/revoke/",
        printouts.certificate_revoke,
        name="certificate_revoke",
    ),
    path(
        "events/<slug:slug>/certificates/<int:pk>/reissue/",
        printouts.certificate_reissue,
        name="certificate_reissue",
    ),
    path("events/<slug:slug>/agenda/", agenda.agenda, name="agenda"),
    path("events/<slug:slug>/agenda/new/", agenda.entry_add, name="agenda_entry_add"),
    path("events/<slug:slug>/agenda/import/", agenda.agenda_import, name="agenda_import"),
    path("events/<slug:slug>/agenda/<int:pk>/", agenda.entry_edit, name="agenda_entry_edit"),
    path(
        "events/<slug:slug>/agenda/<int:pk>/duplicate/",
        agenda.entry_duplicate,
        name="agenda_entry_duplicate",
    ),
    path("events/<slug:slug>/agenda/<int:pk>/move/", agenda.entry_move, name="agenda_entry_move"),
    path(
        "events/<slug:slug>/agenda/<int:pk>/delete/",
        agenda.entry_delete,
        name="agenda_entry_delete",
    ),
    path(
        "events/<slug:slug>/agenda/<int:pk>/materials/",
        agenda.material_add,
        name="agenda_material_add",
    ),
    path(
        "events/<slug:slug>/agenda/materials/<int:pk>/delete/",
        agenda.material_delete,
        name="agenda_material_delete",
    ),
    path("events/<slug:slug>/materials/", materials.materials, name="materials"),
    path("events/<slug:slug>/materials/add/", materials.material_add, name="material_add"),
    path(
        "events/<slug:slug>/materials/<int:pk>/settings/",
        materials.material_edit,
        name="material_edit",
    ),
    path("events/<slug:slug>/folders/add/", materials.folder_add, name="folder_add"),
    path(
        "events/<slug:slug>/folders/<int:pk>/settings/", materials.folder_edit, name="folder_edit"
    ),
    path(
        "events/<slug:slug>/folders/<int:pk>/delete/", materials.folder_delete, name="folder_delete"
    ),
    path(
        "events/<slug:slug>/materials/<int:pk>/move/",
        materials.move,
        {"kind": "material"},
        name="material_move",
    ),
    path(
        "events/<slug:slug>/folders/<int:pk>/move/",
        materials.move,
        {"kind": "folder"},
        name="folder_move",
    ),
    path("events/<slug:slug>/sessions/new/", agenda.session_add, name="agenda_session_add"),
    path("events/<slug:slug>/sessions/<int:pk>/", agenda.session_edit, name="agenda_session_edit"),
    path(
        "events/<slug:slug>/sessions/<int:pk>/delete/",
        agenda.session_delete,
        name="agenda_session_delete",
    ),
    path("series/new/", series.series_create, name="series_create"),
    path("series/<slug:series_slug>/", series.series_meetings, name="series_meetings"),
    path("series/<slug:series_slug>/edit/", series.series_edit, name="series_edit"),
    path(
        "series/<slug:series_slug>/translations/",
        translations.series_translations,
        name="series_translations",
    ),
    path("series/<slug:series_slug>/add-meeting/", series.meeting_add, name="meeting_add"),
    path(
        "series/<slug:series_slug>/organisers/",
        series.series_organisers,
        name="series_organisers",
    ),
    path(
        "series/<slug:series_slug>/organisers/<int:user_id>/remove/",
        series.series_organiser_remove,
        name="series_organiser_remove",
    ),
    path(
        "series/<slug:series_slug>/reminders/",
        reminders.series_reminders,
        name="series_reminders",
    ),
    path(
        "series/<slug:series_slug>/<occurrence:recurrence_id>/cancel/",
        series.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "series/<slug:series_slug>/<occurrence:recurrence_id>/restore/",
        series.meeting_restore,
        name="meeting_restore",
    ),
    path(
        "series/<slug:series_slug>/<occurrence:recurrence_id>/move/",
        series.meeting_move,
        name="meeting_move",
    ),
    path(
        "series/<slug:series_slug>/<occurrence:recurrence_id>/open/",
        series.meeting_open,
        name="meeting_open",
    ),
    path("scan/<str:code>/", checkin.scan, name="scan"),
]
