# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


notice_list = notice_create = notice_detail = notice_edit = _todo
