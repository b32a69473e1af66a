from django.urls import path

from national import views

app_name = "national"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("compacts.csv", views.directory_csv, name="directory_csv"),
    path("measures/", views.indicators, name="indicators"),
    path("measures.csv", views.indicators_csv, name="indicators_csv"),
    path("people/", views.roles, name="roles"),
    path("people/<int:pk>/remove/", views.role_revoke, name="role_revoke"),
]
