# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


consultation_list = consultation_create = consultation_detail = consultation_edit = _todo
consultation_document = response_create = response_file = feedback_edit = feedback_publish = _todo
