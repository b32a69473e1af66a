from django.urls import path

from disputes.views import cases, guard, letters

app_name = "disputes"

urlpatterns = [
    path("", cases.case_list, name="list"),
    path("new/", cases.case_create, name="create"),
    path("figures/<slug:slug>/", letters.figures, name="figures"),
    path("flags/<slug:slug>/", guard.flag_list, name="guard_flags"),
    path("flags/<slug:slug>/<int:pk>/", guard.flag_detail, name="guard_flag"),
    path("<int:pk>/", cases.case_detail, name="detail"),
    path("<int:pk>/move/", cases.case_move, name="move"),
    path("<int:pk>/add/", cases.entry_add, name="add_entry"),
    path("<int:pk>/files/<int:entry_pk>/", cases.entry_file, name="file"),
    path("<int:pk>/files/<int:entry_pk>/original/", cases.entry_original, name="file_original"),
    path("<int:pk>/check/", cases.case_check, name="case_check"),
    path("<int:pk>/check/<int:entry_pk>/", cases.entry_check, name="entry_check"),
    path("<int:pk>/reads/", cases.read_log, name="read_log"),
    path("<int:pk>/letter/", letters.letter_new, name="letter_new"),
    path("<int:pk>/letters/<int:letter_pk>/", letters.letter_progress, name="letter_progress"),
    path("<int:pk>/letters/<int:letter_pk>/pdf/", letters.letter_download, name="letter_download"),
]
