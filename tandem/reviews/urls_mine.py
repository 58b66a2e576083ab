"""My reviews, the team's reviews, one review with its explanation, and peer feedback."""

from django.urls import path

from . import views_mine, views_review

urlpatterns = [
    path("", views_mine.my_reviews, name="mine"),
    path("mine/<int:cycle_pk>/", views_mine.my_review, name="mine_cycle"),
    path("team/", views_review.team, name="team"),
    path("feedback/", views_mine.feedback_list, name="feedback"),
    path("feedback/<int:pk>/", views_mine.give_feedback, name="give_feedback"),
    path("<int:pk>/", views_review.review, name="review"),
    path("<int:pk>/explain/", views_review.explain, name="explain"),
    path("<int:pk>/acknowledge/", views_mine.acknowledge, name="acknowledge"),
    path("<int:pk>/feedback/request/", views_review.request_feedback,
         name="request_feedback"),
]
