# Being written now.
from django.http import HttpResponse


def import_upload(request, slug):
    return HttpResponse(status=501)


def import_preview(request, slug):
    return HttpResponse(status=501)
