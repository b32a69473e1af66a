from django.urls import path

from mediation import views

app_name = "mediation"

urlpatterns = [
    path("mediators/", views.pool, name="pool"),
    path("mediators/accredit/", views.accredit, name="accredit"),
    path("mediators/<int:pk>/withdraw/", views.revoke, name="revoke"),
    path("mediators/settings/<slug:slug>/", views.compact_settings, name="settings"),
    path("yours/", views.mine, name="mine"),
    path("yours/conflicts/new/", views.conflict_add, name="conflict_add"),
    path("concerns/<int:pk>/", views.case, name="case"),
    path("concerns/<int:pk>/files/<int:entry_pk>/", views.entry_file, name="entry_file"),
    path("concerns/<int:pk>/decline/<int:proposal_pk>/", views.decline, name="decline"),
    path("concerns/<int:pk>/appoint/", views.appoint, name="appoint"),
    path("concerns/<int:pk>/notes/new/", views.note_add, name="note_add"),
    path("concerns/<int:pk>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("concerns/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("concerns/<int:pk>/no-agreement/", views.no_agreement, name="no_agreement"),
    path("concerns/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("concerns/<int:pk>/reveal/", views.reveal, name="reveal"),
]
