from django.urls import path

from disputes import views

app_name = "disputes"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("figures/<slug:slug>/", views.figures, name="figures"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/move/", views.case_move, name="move"),
    path("<int:pk>/add/", views.entry_add, name="add_entry"),
    path("<int:pk>/files/<int:entry_pk>/", views.entry_file, name="file"),
    path("<int:pk>/reads/", views.read_log, name="read_log"),
    path("<int:pk>/letter/", views.letter_new, name="letter_new"),
    path("<int:pk>/letters/<int:letter_pk>/", views.letter_progress, name="letter_progress"),
    path("<int:pk>/letters/<int:letter_pk>/pdf/", views.letter_download, name="letter_download"),
]
