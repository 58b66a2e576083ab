"""REST resources of OKRs: cycles, objectives (with the alignment tree and the approval
actions), key results and their check-ins. The services in `goals.services` apply the rules."""

from .views import CycleViewSet, KeyResultViewSet, ObjectiveViewSet

__all__ = ["CycleViewSet", "KeyResultViewSet", "ObjectiveViewSet"]
