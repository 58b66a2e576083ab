"""Bonus pages: the policies with their formula editor and what-if panel, and the awards of a
review cycle with their approval into a pay month and the Excel export."""

from django.urls import path

from . import views_bonus

urlpatterns = [
    path("bonus/", views_bonus.policies, name="bonus_policies"),
    path("bonus/new/", views_bonus.policy_new, name="bonus_policy_new"),
    path("bonus/<int:pk>/", views_bonus.policy, name="bonus_policy"),
    path("bonus/<int:pk>/simulate/", views_bonus.simulate, name="bonus_simulate"),
    path("cycles/<int:pk>/bonuses/", views_bonus.awards, name="awards"),
    path("cycles/<int:pk>/bonuses/export/", views_bonus.awards_export, name="awards_export"),
]
