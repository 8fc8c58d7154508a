from django.urls import path

from safety import views

app_name = "safety"

urlpatterns = [
    path("sheet.pdf", views.sheet_pdf, name="sheet_pdf"),
    path("cases/<uuid:pk>/sheet/", views.sheet_delivery_new, name="sheet_delivery_new"),
    path("cases/<uuid:pk>/plan/", views.plan_edit, name="plan_edit"),
    path("cases/<uuid:pk>/plan/review/", views.plan_review, name="plan_review"),
    path("cases/<uuid:pk>/plan/actions/new/", views.action_add, name="action_add"),
    path("actions/<uuid:pk>/", views.action_edit, name="action_edit"),
    path("cases/<uuid:pk>/orders/new/", views.order_add, name="order_add"),
    path("orders/<uuid:pk>/", views.order_edit, name="order_edit"),
    path("cases/<uuid:pk>/shelter/new/", views.shelter_add, name="shelter_add"),
    path("shelter/<uuid:pk>/", views.shelter_edit, name="shelter_edit"),
    path("shelter/<uuid:pk>/approve/", views.shelter_approve, name="shelter_approve"),
]
