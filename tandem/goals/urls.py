from django.urls import path

from . import views, views_approval, views_charts, views_team, views_templates, views_tree

app_name = "goals"

urlpatterns = [
    path("", views.my_okrs, name="mine"),
    path("tree/", views_tree.alignment_tree, name="tree"),
    path("tree/objectives/<int:pk>/individuals/", views_tree.individuals,
         name="tree_individuals"),
    path("tree/orphans/", views_tree.orphans, name="tree_orphans"),
    path("objectives/new/", views.objective_create, name="objective_create"),
    path("objectives/<int:pk>/", views.objective_detail, name="objective_detail"),
    path("objectives/<int:pk>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:pk>/key-results/new/", views.key_result_create,
         name="key_result_create"),
    path("key-results/<int:pk>/edit/", views.key_result_edit, name="key_result_edit"),
    path("key-results/<int:pk>/check-in/", views.check_in, name="check_in"),
    path("approvals/", views_approval.inbox, name="approvals"),
    path("team/", views_team.team, name="team"),
    path("objectives/<int:pk>/charts/", views_charts.key_result_charts, name="objective_charts"),
    path("tree/sunburst/", views_charts.alignment_sunburst, name="tree_sunburst"),
    path("objectives/<int:pk>/submit/", views_approval.submit, name="submit"),
    path("objectives/<int:pk>/approve/", views_approval.approve, name="approve"),
    path("objectives/<int:pk>/return/", views_approval.return_, name="return"),
    path("templates/", views_templates.gallery, name="templates"),
    path("templates/<int:pk>/", views_templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/delete/", views_templates.template_delete,
         name="template_delete"),
    path("objectives/<int:pk>/save-as-template/", views_templates.save_as_template,
         name="save_as_template"),
]
