from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notify/callback/", views.notify_callback, name="notify_callback"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("calendars/compacts/<slug:slug>.ics", views.compact_calendar, name="compact_calendar"),
    path("calendars/organisations/<str:token>.ics", views.organisation_calendar, name="organisation_calendar"),
    path("organisations/<int:pk>/calendar/", views.organisation_calendar_page, name="organisation_calendar_page"),
]
