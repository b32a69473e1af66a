from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("new/", views.notice_create, name="create"),
    path("<int:pk>/", views.notice_detail, name="detail"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/reply/", views.notice_reply, name="reply"),
    path("<int:pk>/respond/", views.notice_respond, name="respond"),
    path("<int:pk>/timeline/<int:step_pk>/file/", views.step_file, name="step_file"),
]
