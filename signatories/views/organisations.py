# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


organisation_new = organisation_detail = organisation_edit = champion = invite = _todo
membership_role = invitation_accept = _todo
