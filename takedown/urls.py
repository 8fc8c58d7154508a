from django.urls import path

from takedown import views

app_name = "takedown"

urlpatterns = [
    path("resources/", views.resources, name="resources"),
    path("cases/<uuid:pk>/takedown/new/", views.complaint_add, name="complaint_add"),
    path("cases/<uuid:pk>/stopncii/", views.stopncii, name="stopncii"),
    path("cases/<uuid:pk>/prevention/", views.advice, name="advice"),
    path("takedown/<uuid:pk>/", views.complaint_edit, name="complaint_edit"),
    path("takedown/<uuid:pk>/follow-up/", views.follow_up_add, name="follow_up_add"),
]
