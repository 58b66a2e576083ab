from django.urls import path

from . import views

app_name = "goals"

urlpatterns = [
    path("", views.my_okrs, name="mine"),
    path("tree/", views.alignment_tree, name="tree"),
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/key-results/new/", views.key_result_create,
         name="key_result_create"),
    path("key-results/<int:pk>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:pk>/check-in/", views.check_in, name="check_in"),
]
