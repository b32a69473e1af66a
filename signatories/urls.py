from django.urls import path

from signatories.views import approvals, bouncing, imports, organisations, register, signup

app_name = "signatories"

urlpatterns = [
    # The public register of a Compact's signatories
    path("compacts/<slug:slug>/signatories/", register.register, name="register"),
    path("compacts/<slug:slug>/signatories.csv", register.register_csv, name="register_csv"),
    path("compacts/<slug:slug>/signatories/coverage/", register.coverage, name="coverage"),
    path("compacts/<slug:slug>/signatories/import/", imports.import_upload, name="import_upload"),
    path("compacts/<slug:slug>/signatories/bouncing/", bouncing.bouncing_list, name="bouncing_list"),
    path("compacts/<slug:slug>/signatories/import/check/", imports.import_preview, name="import_preview"),
    # Signing up, approving, withdrawing, re-affirming
    path("compacts/<slug:slug>/sign/", signup.sign_up, name="sign_up"),
    path("compacts/<slug:slug>/signatures/record/", signup.record_on_behalf, name="record_on_behalf"),
    path("compacts/<slug:slug>/signatures/pending/", signup.pending_list, name="pending_list"),
    path("signatures/<int:pk>/", signup.signature_detail, name="signature_detail"),
    path("signatures/<int:pk>/signed-form/", signup.signed_form, name="signed_form"),
    path("signatures/<int:pk>/approve/", signup.signature_approve, name="signature_approve"),
    path("signatures/<int:pk>/reject/", signup.signature_reject, name="signature_reject"),
    path("signatures/<int:pk>/withdraw/", signup.signature_withdraw, name="signature_withdraw"),
    path("signatures/<int:pk>/reaffirm/", signup.signature_reaffirm, name="signature_reaffirm"),
    # The coordinator's approval of organisations' sectors
    path(
        "compacts/<slug:slug>/organisations/pending/",
        approvals.organisation_pending_list,
        name="organisation_pending_list",
    ),
    path(
        "compacts/<slug:slug>/organisations/<int:pk>/approve/",
        approvals.organisation_approve,
        name="organisation_approve",
    ),
    path(
        "compacts/<slug:slug>/organisations/<int:pk>/reject/", approvals.organisation_reject, name="organisation_reject"
    ),
    # Organisations and their people
    path("organisations/<int:pk>/about/", register.organisation_public, name="organisation_public"),
    path("organisations/new/", organisations.organisation_new, name="organisation_new"),
    path("organisations/<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/champion/", organisations.champion, name="champion"),
    path("organisations/<int:pk>/invite/", organisations.invite, name="invite"),
    path(
        "organisations/<int:pk>/members/<int:membership_pk>/role/",
        organisations.membership_role,
        name="membership_role",
    ),
    path(
        "organisations/<int:pk>/invitations/<int:invitation_pk>/cancel/",
        organisations.invitation_cancel,
        name="invitation_cancel",
    ),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation_accept"),
]
