from django.urls import path

from evidence import views

app_name = "evidence"

urlpatterns = [
    path("cases/<uuid:pk>/evidence/new/", views.item_add, name="item_add"),
    path("cases/<uuid:pk>/evidence/teaching/", views.teaching, name="teaching"),
    path("evidence/<uuid:pk>/", views.item_edit, name="item_edit"),
]
