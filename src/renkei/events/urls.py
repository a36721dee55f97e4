from django.urls import path

from renkei.events import meeting_views, outcome_views, output_views, survey_views, views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/register/", views.event_register, name="event_register"),
    path("<int:pk>/check-in/", views.event_check_in, name="event_check_in"),
    path("<int:pk>/slots/new/", views.time_slot_create, name="time_slot_create"),
    path("<int:pk>/tables/new/", views.table_create, name="table_create"),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/check-in/code/<str:token>/", views.check_in_code, name="check_in_code"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration_detail"),
    path("follow-up/<str:token>/", survey_views.followup_answer, name="followup_answer"),
    # business matching: marketplace, meeting requests, meetings
    path("<int:pk>/marketplace/", meeting_views.marketplace_page, name="marketplace"),
    path("<int:pk>/marketplace/profile/", meeting_views.marketplace_profile, name="marketplace_profile"),
    path("<int:pk>/marketplace/request/", meeting_views.meeting_request_create, name="meeting_request_create"),
    path("<int:pk>/requests/", meeting_views.meeting_requests, name="meeting_requests"),
    path("<int:pk>/meetings/", meeting_views.event_meetings, name="event_meetings"),
    path("<int:pk>/meetings/announce/", meeting_views.event_meetings_announce, name="event_meetings_announce"),
    path("requests/<int:pk>/accept/", meeting_views.meeting_request_accept, name="meeting_request_accept"),
    path("requests/<int:pk>/decline/", meeting_views.meeting_request_decline, name="meeting_request_decline"),
    path("requests/<int:pk>/cancel/", meeting_views.meeting_request_cancel, name="meeting_request_cancel"),
    path("requests/<int:pk>/book/", meeting_views.meeting_book, name="meeting_book"),
    # after the event: meeting outcomes and follow-up intentions
    path("<int:pk>/meetings/attendance/", outcome_views.event_attendance, name="event_attendance"),
    path("meetings/<int:pk>/outcome/", outcome_views.meeting_outcome, name="meeting_outcome"),
    path("meetings/<int:pk>/follow-up/", outcome_views.meeting_followup, name="meeting_followup"),
    # agendas, the organiser's printouts, the event report
    path("<int:pk>/agenda/", output_views.own_agenda, name="own_agenda"),
    path("registrations/<int:pk>/agenda/", output_views.agenda_page, name="agenda"),
    path("registrations/<int:pk>/agenda.pdf", output_views.agenda_pdf, name="agenda_pdf"),
    path("registrations/<int:pk>/agenda.ics", output_views.agenda_ics, name="agenda_ics"),
    path("<int:pk>/meetings/grid.<str:fmt>", output_views.meeting_grid, name="meeting_grid"),
    path("<int:pk>/meetings/table-cards.pdf", output_views.table_cards, name="table_cards"),
    path("<int:pk>/report/", output_views.event_report, name="event_report"),
    path("<int:pk>/report.csv", output_views.event_report_csv, name="event_report_csv"),
]
