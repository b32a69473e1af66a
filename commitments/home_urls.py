"""The portal's front page, at the root and without a namespace (``{% url 'home' %}``). A module of
its own so that ``compact_portal.urls`` includes it by name and the platform imports no app."""

from django.urls import path

from commitments.views import public

urlpatterns = [
    path("", public.home, name="home"),
]
