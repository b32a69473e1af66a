# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


sign_up = record_on_behalf = pending_list = signature_detail = _todo
signature_approve = signature_reject = signature_withdraw = signature_reaffirm = _todo
