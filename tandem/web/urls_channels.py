"""The company's notification channels (group-robot webhooks), their delivery log and the
routing of topics, under /settings/channels/ (names in the "channels" namespace)."""

from django.urls import path

from . import views_channels

app_name = "channels"

urlpatterns = [
    path("", views_channels.channel_list, name="list"),
    path("add/", views_channels.channel_add, name="add"),
    path("log/", views_channels.delivery_log, name="log"),
    path("routing/", views_channels.routing, name="routing"),
    path("<int:pk>/edit/", views_channels.channel_edit, name="edit"),
    path("<int:pk>/toggle/", views_channels.channel_toggle, name="toggle"),
    path("<int:pk>/test/", views_channels.channel_test, name="test"),
    path("<int:pk>/delete/", views_channels.channel_delete, name="delete"),
]
