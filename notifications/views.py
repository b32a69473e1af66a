# Being written now.
from django.http import HttpResponse


def _todo(request, **kwargs):
    return HttpResponse(status=501)


notification_list = preferences = compact_calendar = organisation_calendar = organisation_calendar_page = _todo
