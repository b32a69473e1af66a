from django.urls import path, register_converter

from commitments.views import documents, imports, logos, manage, public


class PdfLanguageConverter:
    """The language of an edition's PDF in its address: ``cy``, ``en`` or ``bilingual``."""

    regex = "cy|en|bilingual"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PdfLanguageConverter, "pdflang")

app_name = "commitments"

urlpatterns = [
    # Public pages
    path("", public.compact_list, name="compact_list"),
    path("<slug:slug>/", public.compact_detail, name="compact_detail"),
    path("<slug:slug>/editions/", public.edition_list, name="edition_list"),
    path("<slug:slug>/editions/<int:pk>/", public.edition_detail, name="edition_detail"),
    path("<slug:slug>/editions/<int:pk>/changes/", public.edition_compare, name="edition_compare"),
    path("<slug:slug>/editions/<int:pk>/pdf/", documents.edition_pdf, name="edition_pdf"),
    path("<slug:slug>/editions/<int:pk>/pdf/progress/", documents.edition_pdf_progress, name="edition_pdf_progress"),
    path(
        "<slug:slug>/editions/<int:pk>/pdf/signing/",
        documents.edition_pdf,
        {"variant": "signing"},
        name="edition_pdf_signing",
    ),
    path(
        "<slug:slug>/editions/<int:pk>/pdf/signing/progress/",
        documents.edition_pdf_progress,
        {"variant": "signing"},
        name="edition_pdf_signing_progress",
    ),
    path("<slug:slug>/editions/<int:pk>/pdf/<pdflang:language>/", documents.edition_pdf, name="edition_pdf_language"),
    path(
        "<slug:slug>/editions/<int:pk>/pdf/<pdflang:language>/progress/",
        documents.edition_pdf_progress,
        name="edition_pdf_language_progress",
    ),
    path(
        "<slug:slug>/editions/<int:pk>/pdf/<pdflang:language>/signing/",
        documents.edition_pdf,
        {"variant": "signing"},
        name="edition_pdf_language_signing",
    ),
    path(
        "<slug:slug>/editions/<int:pk>/pdf/<pdflang:language>/signing/progress/",
        documents.edition_pdf_progress,
        {"variant": "signing"},
        name="edition_pdf_language_signing_progress",
    ),
    # Coordinators
    path("<slug:slug>/manage/", manage.manage, name="manage"),
    path("<slug:slug>/manage/new-edition/", manage.edition_new, name="edition_new"),
    path("<slug:slug>/manage/welsh/", manage.compact_settings, name="compact_settings"),
    path("<slug:slug>/manage/directory/", manage.compact_directory_settings, name="compact_directory_settings"),
    path("<slug:slug>/manage/logos/", logos.logo_list, name="logo_list"),
    path("<slug:slug>/manage/logos/<int:logo_pk>/remove/", logos.logo_delete, name="logo_delete"),
    path("<slug:slug>/manage/import/", imports.import_upload, name="import_upload"),
    path("<slug:slug>/manage/import/check/", imports.import_preview, name="import_preview"),
    path("<slug:slug>/manage/import/check/rules/", imports.import_rule_add, name="import_rule_add"),
    path(
        "<slug:slug>/manage/import/check/rules/<int:pk>/remove/",
        imports.import_rule_remove,
        name="import_rule_remove",
    ),
    path("<slug:slug>/manage/editions/<int:pk>/", manage.edition_edit, name="edition_edit"),
    path("<slug:slug>/manage/editions/<int:pk>/settings/", manage.edition_settings, name="edition_settings"),
    path("<slug:slug>/manage/editions/<int:pk>/publish/", manage.edition_publish, name="edition_publish"),
    path("<slug:slug>/manage/editions/<int:pk>/history/", manage.edition_history, name="edition_history"),
    path(
        "<slug:slug>/manage/editions/<int:pk>/<str:part>/add/",
        manage.part_create,
        name="part_create",
    ),
    path(
        "<slug:slug>/manage/editions/<int:pk>/<str:part>/<int:part_pk>/",
        manage.part_update,
        name="part_update",
    ),
    path(
        "<slug:slug>/manage/editions/<int:pk>/<str:part>/<int:part_pk>/delete/",
        manage.part_delete,
        name="part_delete",
    ),
]
