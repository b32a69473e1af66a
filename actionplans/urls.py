from django.urls import path

from actionplans import views

app_name = "actionplans"

urlpatterns = [
    path("compacts/<slug:slug>/plan/", views.plan, name="plan"),
    path("compacts/<slug:slug>/plan.csv", views.plan_csv, name="plan_csv"),
    path("compacts/<slug:slug>/plan/actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("compacts/<slug:slug>/plan/actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("compacts/<slug:slug>/plan/actions/<int:pk>/notes/new/", views.action_note, name="action_note"),
    path("compacts/<slug:slug>/manage/plan/", views.manage, name="manage"),
    path("compacts/<slug:slug>/manage/plan/strands/new/", views.strand_new, name="strand_new"),
    path("compacts/<slug:slug>/manage/plan/strands/<int:pk>/", views.strand_edit, name="strand_edit"),
    path("compacts/<slug:slug>/manage/plan/actions/new/", views.action_new, name="action_new"),
    path("compacts/<slug:slug>/manage/plan/actions/<int:pk>/", views.action_edit, name="action_edit"),
    path("compacts/<slug:slug>/manage/evidence/", views.evidence_manage, name="evidence_manage"),
    path("compacts/<slug:slug>/evidence/new/", views.evidence_new, name="evidence_new"),
    path("compacts/<slug:slug>/evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("compacts/<slug:slug>/evidence/<int:pk>/decide/", views.evidence_decide, name="evidence_decide"),
    path("compacts/<slug:slug>/evidence/<int:pk>/file/", views.evidence_file, name="evidence_file"),
]
