# Placeholder until the PDF work lands (being written now).
from django.http import HttpResponse


def edition_pdf(request, slug, pk):
    return HttpResponse(status=501)


def edition_pdf_progress(request, slug, pk):
    return HttpResponse(status=501)
