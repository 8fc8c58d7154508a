from django.urls import path

from cases import views, views_audit, views_oversight
from cases.session_views import session_keepalive, session_status
from cases.sms import views as views_sms

app_name = "cases"

urlpatterns = [
    path("intake/", views.intake_queue, name="intake_queue"),
    path("intake/call/new/", views.intake_new_call, name="intake_new_call"),
    path("intake/<uuid:pk>/", views.intake_detail, name="intake_detail"),
    path("intake/<uuid:pk>/accept/", views.intake_accept, name="intake_accept"),
    path("intake/<uuid:pk>/attach/", views.intake_attach, name="intake_attach"),
    path("intake/<uuid:pk>/close/", views.intake_close, name="intake_close"),
    path("intake/<uuid:pk>/contact/", views.intake_contact_new, name="intake_contact_new"),
    path("intake/<uuid:pk>/appointment/", views.intake_appointment_new, name="intake_appointment_new"),
    path("appointments/<uuid:pk>/status/", views.appointment_status, name="appointment_status"),
    path("cases/", views.my_cases, name="my_cases"),
    path("cases/<uuid:pk>/", views.case_detail, name="detail"),
    path("cases/<uuid:pk>/victim/", views.victim_edit, name="victim_edit"),
    path("cases/<uuid:pk>/dispatch/", views.case_dispatch, name="dispatch"),
    path("cases/<uuid:pk>/timeline/", views.case_timeline, name="timeline"),
    path("cases/<uuid:pk>/contact/", views.contact_new, name="contact_new"),
    path("cases/<uuid:pk>/appointment/", views.appointment_new, name="appointment_new"),
    path("cases/<uuid:pk>/summary.pdf", views.case_summary_pdf, name="summary_pdf"),
    path("cases/<uuid:pk>/danger/clear/", views.danger_clear, name="danger_clear"),
    path("cases/<uuid:pk>/close/", views.close_request, name="close_request"),
    path("cases/<uuid:pk>/close/decide/", views.close_decide, name="close_decide"),
    path("cases/<uuid:pk>/reopen/", views.case_reopen, name="reopen"),
    path("cases/<uuid:pk>/break-glass/", views_oversight.break_glass_case, name="break_glass_case"),
    path("break-glass/", views_oversight.break_glass, name="break_glass"),
    path("oversight/break-glass/", views_oversight.break_glass_reviews, name="break_glass_reviews"),
    path("oversight/break-glass/<uuid:pk>/", views_oversight.break_glass_review, name="break_glass_review"),
    path("overview/", views.overview, name="overview"),
    path("audit/", views_audit.audit_trail, name="audit_trail"),
    path("audit/export/", views_audit.audit_export, name="audit_export"),
    path("audit/cases/<uuid:pk>/", views_audit.audit_case, name="audit_case"),
    path("audit/users/<int:pk>/", views_audit.audit_user, name="audit_user"),
    path("search/", views.search, name="search"),
    path("deadlines/", views.deadline_dashboard, name="deadlines"),
    path("deadlines/<uuid:pk>/close/", views.deadline_close, name="deadline_close"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_mark_read, name="notifications_read"),
    path("session/status/", session_status, name="session_status"),
    path("session/keepalive/", session_keepalive, name="session_keepalive"),
    path("sms/templates/", views_sms.sms_template_list, name="sms_templates"),
    path("sms/templates/<uuid:pk>/", views_sms.sms_template_edit, name="sms_template_edit"),
    path("sms/<uuid:pk>/resolve/", views_sms.sms_message_resolve, name="sms_resolve"),
    path("sms/delivery-report/", views_sms.sms_delivery_report, name="sms_delivery_report"),
]
