"""Improvement plan pages: the plans one may read, a plan with its items and agreement, and the
company's rules that generate them."""

from django.urls import path

from . import views_plans, views_rules

urlpatterns = [
    path("plans/", views_plans.plans, name="plans"),
    path("plans/<int:pk>/", views_plans.plan, name="plan"),
    path("plans/<int:pk>/items/new/", views_plans.item_new, name="item_new"),
    path("plans/items/<int:pk>/edit/", views_plans.item_edit, name="item_edit"),
    path("plans/items/<int:pk>/delete/", views_plans.item_delete, name="item_delete"),
    path("plans/<int:pk>/agree/", views_plans.plan_agree, name="plan_agree"),
    path("plans/rules/", views_rules.rules, name="rules"),
    path("plans/rules/customise/", views_rules.rules_customise, name="rules_customise"),
    path("plans/rules/new/", views_rules.rule_new, name="rule_new"),
    path("plans/rules/<int:pk>/edit/", views_rules.rule_edit, name="rule_edit"),
]
