"""`{% alignment_tree_html levels cycle_id filter_query %}`, `{% tree_individuals_html nodes page ... %}`
and `{% tree_orphans_html page ... %}`: the alignment tree page's nodes as nested lists, built
in Python: one {% include %} per node costs ~0.1 ms, which is 1.5 s for a company of 5,000
people with three objectives each.

Each node whose objective has individual objectives aligned to it ends with a closed group
("12 individual objectives") that htmx fills from `goals:tree_individuals` the first time it
is opened (`toggle` of its <details>), a page at a time with a "show more" button."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .okr import okr_band, percent

register = template.Library()


def _labels() -> dict[str, str]:
    return {"green": _("On track"), "yellow": _("Needs attention"), "red": _("Off track")}


class _Writer:
    """Writes nodes as <li> elements; the URLs are reversed once per render."""

    def __init__(self, filter_query: str) -> None:
        self.detail_url = reverse("goals:objective_detail", args=[0])[:-2]  # ".../objectives/"
        self.individuals_url = reverse("goals:tree_individuals", args=[0])[:-len("0/individuals/")]
        self.filter_query = filter_query
        self.labels = _labels()
        self.out: list[str] = []

    def line(self, objective) -> str:
        band = okr_band(objective.progress)
        return format_html(
            '<span class="td-tree-line">\n    <a href="{}{}/">{}</a>\n'
            '    <span class="td-muted small">{} · {} · {}</span>\n'
            '    <span class="td-okr-chip td-okr-{}">{} · {}</span>\n  </span>',
            self.detail_url, objective.pk, objective.title, objective.get_level_display(),
            objective.owner_name, objective.get_status_display(), band,
            percent(objective.progress), self.labels[band],
        )

    def individuals_group(self, node) -> None:
        """The closed group of a node's individual objectives, loaded when opened."""
        count = node.individuals
        label = ngettext("%(count)s individual objective", "%(count)s individual objectives",
                         count) % {"count": count}
        self.group(label, node.objective.pk, self.filter_query)

    def elsewhere_group(self, group, cycle_id: int) -> None:
        """The cycle's individual objectives aligned to an objective of another cycle."""
        label = ngettext(
            "%(count)s individual objective aligned to “%(title)s” (%(cycle)s)",
            "%(count)s individual objectives aligned to “%(title)s” (%(cycle)s)",
            group.count) % {"count": group.count, "title": group.parent_title,
                            "cycle": group.cycle_name}
        query = f"cycle={cycle_id}"
        self.group(label, group.parent_pk,
                   f"{query}&{self.filter_query}" if self.filter_query else query)

    def group(self, label: str, parent_pk: int, query: str) -> None:
        url = f"{self.individuals_url}{parent_pk}/individuals/"
        if query:
            url = f"{url}?{query}"
        self.out.append(format_html(
            '<li class="td-tree-node td-tree-people">\n  <details><summary>{}</summary>\n'
            '  <ul class="td-tree-children" hx-get="{}" '
            'hx-trigger="toggle once from:closest details" hx-swap="innerHTML">'
            '<li class="td-muted small" role="status">{}</li></ul>\n  </details>\n</li>',
            label, url, _("Loading…")))

    def node(self, node) -> None:
        objective = node.objective
        opens = bool(node.children or node.individuals)
        self.out.append(format_html(
            '<li class="td-tree-node td-tree-{}" data-objective="{}">\n  ',
            objective.level, objective.pk))
        if opens:
            self.out.append("<details open><summary>")
        self.out.append(self.line(objective))
        if opens:
            self.out.append('</summary>\n  <ul class="td-tree-children">')
            for child in node.children:
                self.node(child)
            if node.individuals:
                self.individuals_group(node)
            self.out.append("</ul>\n  </details>")
        self.out.append("\n</li>")

    def flat(self, objective) -> None:
        self.out.append(format_html(
            '<li class="td-tree-node td-tree-{}" data-objective="{}">', objective.level,
            objective.pk))
        self.out.append(self.line(objective))
        self.out.append("</li>")

    def more(self, page, url: str) -> None:
        """A button that replaces itself with the next page."""
        if not page.has_next():
            return
        left = page.paginator.count - page.end_index()
        sep = "&" if "?" in url else "?"
        self.out.append(format_html(
            '<li class="td-tree-more"><button type="button" class="btn btn-sm btn-link px-0" '
            'hx-get="{}{}page={}" hx-target="closest li" hx-swap="outerHTML">{}</button></li>',
            url, sep, page.next_page_number(),
            _("Show more (%(count)s left)") % {"count": left}))

    def html(self) -> SafeString:
        # Values went through format_html; the rest is literal markup.
        return mark_safe("".join(self.out))  # noqa: S308


@register.simple_tag
def alignment_tree_html(levels, cycle_id: int, filter_query: str = "") -> SafeString:
    """The company and department levels of the tree (`tree_page.structure`), then the groups
    of individual objectives aligned to other cycles' objectives."""
    writer = _Writer(filter_query)
    for node in levels.roots:
        writer.node(node)
    for group in levels.elsewhere:
        writer.elsewhere_group(group, cycle_id)
    return writer.html()


@register.simple_tag
def tree_individuals_html(nodes, page, parent_pk: int, filter_query: str = "") -> SafeString:
    """One page of the individual objectives under a node (`tree_page.individuals`), each
    with its own group when individual objectives align to it in turn."""
    writer = _Writer(filter_query)
    for node in nodes:
        writer.node(node)
    url = f"{writer.individuals_url}{parent_pk}/individuals/"
    writer.more(page, f"{url}?{filter_query}" if filter_query else url)
    return writer.html()


@register.simple_tag
def tree_orphans_html(page, more_url: str) -> SafeString:
    """One page of the objectives aligned to nothing, with a button for the next one."""
    writer = _Writer("")
    for objective in page.object_list:
        writer.flat(objective)
    writer.more(page, more_url)
    return writer.html()
