"""The review pages: each module below owns one part (my reviews and the manager's, cycles and
calibration, improvement plans and bonuses); one namespace, "reviews"."""

from . import urls_bonus, urls_cycles, urls_mine, urls_plans

app_name = "reviews"

urlpatterns = [
    *urls_cycles.urlpatterns,
    *urls_plans.urlpatterns,
    *urls_bonus.urlpatterns,
    # Last: its "<int:pk>/" routes come after the named prefixes above.
    *urls_mine.urlpatterns,
]
