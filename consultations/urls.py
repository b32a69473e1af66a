from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/document/", views.consultation_document, name="document"),
    path("<int:pk>/respond/", views.response_create, name="respond"),
    path("<int:pk>/responses/<int:response_pk>/file/", views.response_file, name="response_file"),
    path("<int:pk>/alerts/", views.alert_stop, name="alerts"),
    path("<int:pk>/feedback/", views.feedback_edit, name="feedback"),
    path("<int:pk>/feedback/publish/", views.feedback_publish, name="feedback_publish"),
]
