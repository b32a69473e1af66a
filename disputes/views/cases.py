# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


case_list = case_create = case_detail = case_move = entry_add = entry_file = read_log = _todo
