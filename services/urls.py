from django.urls import path

from services import views

app_name = "services"

urlpatterns = [
    path("cases/<uuid:pk>/support-notes/new/", views.support_note_add, name="support_note_add"),
    path("cases/<uuid:pk>/screenings/new/", views.screening_add, name="screening_add"),
    path("cases/<uuid:pk>/counselling/new/", views.referral_add, name="referral_add"),
    path("counselling/<uuid:pk>/", views.referral_edit, name="referral_edit"),
    path("cases/<uuid:pk>/escorts/new/", views.escort_add, name="escort_add"),
    path("escorts/<uuid:pk>/", views.escort_edit, name="escort_edit"),
    path("escorts/<uuid:pk>/record/", views.escort_report, name="escort_report"),
    path("escorts/<uuid:pk>/record.pdf", views.escort_report_pdf, name="escort_report_pdf"),
    path("cases/<uuid:pk>/escort-requests/declined/", views.declined_add, name="declined_add"),
]
