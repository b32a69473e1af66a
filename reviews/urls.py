from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("<slug:slug>/annual-review/", views.review, name="review"),
    path("<slug:slug>/annual-review/<int:year>/pdf/", views.review_pdf, name="pdf"),
    path("<slug:slug>/annual-review/<int:year>/pdf/progress/", views.review_pdf_progress, name="pdf_progress"),
    path("<slug:slug>/annual-review/<int:year>/figures.csv", views.review_csv, name="csv"),
    path("<slug:slug>/annual-review/<int:year>/figures.ods", views.review_ods, name="ods"),
]
