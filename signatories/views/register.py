# Being written now.
from django.http import HttpResponse


def register(request, slug):
    return HttpResponse(status=501)


def register_csv(request, slug):
    return HttpResponse(status=501)


def coverage(request, slug):
    return HttpResponse(status=501)
