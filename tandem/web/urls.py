from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_notifications

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views_notifications.notification_list, name="notifications"),
    path("notifications/<int:pk>/open/", views_notifications.notification_open,
         name="notification_open"),
    path("notifications/read-all/", views_notifications.notification_read_all,
         name="notifications_read_all"),
    path("notifications/badge/", views_notifications.notification_badge,
         name="notification_badge"),
    path("notifications/settings/", views_notifications.notification_settings,
         name="notification_settings"),
    path("settings/channels/", include("tandem.web.urls_channels")),
    path("exports/", include("tandem.web.urls_exports")),
]
