"""The notifications the review module sends (tandem.core.notifications). Texts are rendered
when read, in the reader's language; the params are names and dates only."""

from django.utils.translation import gettext_lazy as _

from tandem.core.notifications import NotificationKind, register

# To everyone reviewed when a cycle opens.
SELF_ASSESSMENT_DUE = register(NotificationKind(
    key="reviews.self_assessment_due", category="reviews",
    title=_("Your self assessment for “{cycle}”"),
    body=_("The review “{cycle}” is open: write your self assessment by {due}."),
))
OPENED = register(NotificationKind(
    key="reviews.opened", category="reviews",
    title=_("Review “{cycle}” opened"),
    body=_("The review “{cycle}” is open; your manager will assess your results."),
))
# To the reviewer when the self assessment is in.
MANAGER_ASSESSMENT_DUE = register(NotificationKind(
    key="reviews.manager_assessment_due", category="reviews",
    title=_("Assess {employee} for “{cycle}”"),
    body=_("{employee} submitted their self assessment for “{cycle}”; your assessment is due "
           "by {due}."),
))
# To everyone reviewed when the results are published.
PUBLISHED = register(NotificationKind(
    key="reviews.published", category="reviews",
    title=_("Your result for “{cycle}” is published"),
    body=_("Your result for “{cycle}” is published, with its explanation and your improvement "
           "plan. Please acknowledge it by {due}."),
))
# To a colleague asked for feedback.
FEEDBACK_ASKED = register(NotificationKind(
    key="reviews.feedback_asked", category="reviews",
    title=_("Feedback for {employee}"),
    body=_("You are asked for feedback on {employee} for the review “{cycle}”."),
))
# Reminders of the daily task, to whoever has a step due in two days, today or since yesterday.
REMIND_SELF = register(NotificationKind(
    key="reviews.remind_self", category="reviews",
    title=_("Reminder: your self assessment for “{cycle}”"),
    body=_("Your self assessment for “{cycle}” is due by {due}."),
))
REMIND_MANAGER = register(NotificationKind(
    key="reviews.remind_manager", category="reviews",
    title=_("Reminder: your manager assessments for “{cycle}”"),
    body=_("Your manager assessments for “{cycle}” are due by {due}."),
))
REMIND_CALIBRATION = register(NotificationKind(
    key="reviews.remind_calibration", category="reviews",
    title=_("Reminder: calibration of “{cycle}”"),
    body=_("The calibration of “{cycle}” is due by {due}."),
))
REMIND_ACKNOWLEDGEMENT = register(NotificationKind(
    key="reviews.remind_acknowledgement", category="reviews",
    title=_("Reminder: acknowledge your result for “{cycle}”"),
    body=_("Please acknowledge your result for “{cycle}” by {due}."),
))
