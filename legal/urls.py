from django.urls import path

from legal import views

app_name = "legal"

urlpatterns = [
    path("cases/<uuid:pk>/offences/new/", views.offence_add, name="offence_add"),
    path("offences/<uuid:pk>/", views.offence_edit, name="offence_edit"),
    path("accusations/", views.accusation_list, name="accusations"),
    path("accusations/<uuid:pk>/file/", views.accusation_file, name="accusation_file"),
    path("cases/<uuid:pk>/consultations/new/", views.consultation_add, name="consultation_add"),
    path("consultations/<uuid:pk>/", views.consultation_edit, name="consultation_edit"),
    path("cases/<uuid:pk>/subsidies/new/", views.subsidy_add, name="subsidy_add"),
    path("subsidies/<uuid:pk>/", views.subsidy_edit, name="subsidy_edit"),
    path("cases/<uuid:pk>/law-explanations/new/", views.law_explanation_add, name="law_explanation_add"),
    path("law-explanations/<uuid:pk>/", views.law_explanation_edit, name="law_explanation_edit"),
    path("cases/<uuid:pk>/lawyer-referrals/new/", views.lawyer_referral_add, name="lawyer_referral_add"),
    path("lawyer-referrals/<uuid:pk>/", views.lawyer_referral_edit, name="lawyer_referral_edit"),
    path("cases/<uuid:pk>/police-reports/new/", views.police_report_add, name="police_report_add"),
    path("police-reports/<uuid:pk>/", views.police_report_edit, name="police_report_edit"),
    path("cases/<uuid:pk>/preservation/new/", views.preservation_add, name="preservation_add"),
    path("preservation/<uuid:pk>/", views.preservation_edit, name="preservation_edit"),
    path("police/", views.police_cases, name="police_cases"),
    path("police/cases/<uuid:pk>/prosecutor/new/", views.prosecutor_new, name="prosecutor_new"),
    path("police/prosecutor/<uuid:pk>/", views.prosecutor_edit, name="prosecutor_edit"),
]
