# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


letter_new = letter_progress = letter_download = figures = _todo
