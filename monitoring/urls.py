from django.urls import path

from monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("<slug:slug>/measures/", views.measures, name="measures"),
]
