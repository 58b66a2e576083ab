"""Chart fragments of the Goals pages, loaded with htmx so that the pages stay fast: the
progress-and-confidence chart of each key result of an objective (with its pace, risk and
forecast), and the alignment sunburst of a cycle. The figures come from `goals.charts`."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tandem.web.decorators import member_required, require_perm

from . import charts, selectors, tree_page
from .models import CheckIn
from .pace import objective_rows
from .policy import policy_for
from .views import _chosen_cycle
from .views_tree import _department_filter


@member_required
def key_result_charts(request, pk):
    objective = get_object_or_404(selectors.objectives_with_owners().prefetch_related(
        selectors.key_results_prefetch()), pk=pk)
    require_perm(request, "goals.view_objective", objective)
    today = timezone.localdate()
    (row,) = objective_rows([objective], today, policy_for(request.company))
    history: dict[int, list[CheckIn]] = {}
    for entry in (CheckIn.objects.filter(key_result__objective=objective)
                  .order_by("created_at", "pk")):
        history.setdefault(entry.key_result_id, []).append(entry)
    cycle = objective.cycle
    items = []
    for kr_row in row.krs:
        entries = history.get(kr_row.kr.pk, [])
        figure = charts.key_result_figure(kr_row.kr, entries, cycle.start, cycle.end)
        items.append({"row": kr_row, "figure": figure.to_json(),
                      "forecast": charts.forecast_for(entries, cycle.end),
                      "check_ins": len(entries)})
    return render(request, "goals/_chart_key_results.html", {
        "objective": objective, "items": items, "cycle": cycle})


@member_required
def alignment_sunburst(request):
    require_perm(request, "goals.view_objective")
    cycle = _chosen_cycle(request)
    departments = _department_filter(request, choices=False)
    tree = None
    if cycle is not None:
        tree = tree_page.narrow_tree(selectors.alignment_tree(cycle), departments.subtree)
    figure = charts.alignment_sunburst(tree).to_json() if tree is not None else None
    return render(request, "goals/_chart_sunburst.html", {"cycle": cycle, "figure": figure,
                                                          "tree": tree})
