from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("<slug:slug>/measures/", views.measures, name="measures"),
    path("<slug:slug>/measures.csv", views.measures_csv, name="measures_csv"),
]
