"""Template helpers of the shell: line icons, form fields with Bootstrap classes, query strings
that keep the current filters, and bar widths as classes (the CSP forbids inline styles)."""

from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tandem.web.forms import bootstrap_class

register = template.Library()

# 24×24 stroke icons (paths drawn for Tandem). Apps may use any of these names in their nav
# entries; an unknown name is shown as text.
ICONS = {
    "star": '<path d="M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L12 16.9l-5.2 2.7 1-5.8-4.3-4.1 5.9-.9z"/>',
    "home": '<path d="M3 11.5 12 4l9 7.5"/><path d="M5 10v10h5v-6h4v6h5V10"/>',
    "users": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5"/>'
             '<path d="M16 4.8a3.5 3.5 0 0 1 0 6.4"/><path d="M18 14.8c2 .7 3.2 2.4 3.5 5.2"/>',
    "building": '<rect x="4" y="3" width="11" height="18" rx="1"/><path d="M15 9h5v12h-5"/>'
                '<path d="M8 7h3M8 11h3M8 15h3"/>',
    "briefcase": '<rect x="3" y="7" width="18" height="13" rx="2"/><path d="M9 7V5h6v2"/>'
                 '<path d="M3 13h18"/>',
    "target": '<circle cx="12" cy="12" r="9"/><circle cx="12" cy="12" r="5"/>'
              '<circle cx="12" cy="12" r="1"/>',
    "gauge": '<path d="M4 18a9 9 0 1 1 16 0"/><path d="m12 14 4-5"/>',
    "clipboard": '<rect x="5" y="4" width="14" height="17" rx="2"/><path d="M9 4h6v3H9z"/>'
                 '<path d="M9 12h6M9 16h4"/>',
    "wallet": '<rect x="3" y="6" width="18" height="14" rx="2"/><path d="M16 13h2"/>'
              '<path d="M3 10h18"/>',
    "clock": '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
    "user-plus": '<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.6-3.6 3.2-5.5 6.5-5.5s5.9 1.9 6.5 5.5"/>'
                 '<path d="M19 8v6M16 11h6"/>',
    "book": '<path d="M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z"/><path d="M4 19V5"/>',
    "calculator": '<rect x="5" y="3" width="14" height="18" rx="2"/><path d="M8 7h8"/>'
                  '<path d="M8 11h.01M12 11h.01M16 11h.01M8 15h.01M12 15h.01M16 15h.01"/>',
    "chart": '<path d="M4 20V4"/><path d="M4 20h16"/><path d="M8 16v-5M12 16V8M16 16v-3"/>',
    "settings": '<circle cx="12" cy="12" r="3"/><path d="M12 2v3M12 19v3M2 12h3M19 12h3'
                'M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17M17 7l2.1-2.1"/>',
    "menu": '<path d="M4 6h16M4 12h16M4 18h16"/>',
    "search": '<circle cx="11" cy="11" r="7"/><path d="m20 20-4-4"/>',
    "plus": '<path d="M12 5v14M5 12h14"/>',
    "edit": '<path d="M4 20h4L19 9l-4-4L4 16z"/>',
    "trash": '<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13"/>',
    "globe": '<circle cx="12" cy="12" r="9"/><path d="M3 12h18"/>'
             '<path d="M12 3c2.5 2.7 3.5 5.7 3.5 9s-1 6.3-3.5 9c-2.5-2.7-3.5-5.7-3.5-9s1-6.3 3.5-9"/>',
    "logout": '<path d="M15 4h4v16h-4"/><path d="M10 8l-4 4 4 4M6 12h10"/>',
    "user": '<circle cx="12" cy="8" r="4"/><path d="M4 21c.8-4.2 4-6.5 8-6.5s7.2 2.3 8 6.5"/>',
    "lock": '<rect x="5" y="10" width="14" height="11" rx="2"/><path d="M8 10V7a4 4 0 0 1 8 0v3"/>',
    "arrow-left": '<path d="M19 12H5M11 6l-6 6 6 6"/>',
    "history": '<path d="M3 12a9 9 0 1 0 3-6.7L3 8"/><path d="M3 3v5h5"/><path d="M12 7v5l3 2"/>',
}


@register.simple_tag
def icon(name: str, css: str = "") -> str:
    """An inline SVG icon (presentation attributes only, so the CSP allows it)."""
    paths = ICONS.get(name)
    if paths is None:
        return format_html('<span class="td-icon td-icon-text {}" aria-hidden="true">{}</span>',
                           css, name[:2])
    return format_html(
        '<svg class="td-icon {}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        'stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" '
        'focusable="false">{}</svg>',
        css, mark_safe(paths),  # noqa: S308 (constant markup defined above)
    )


@register.filter
def widget_invalid(bound_field):
    """The field's widget with its Bootstrap class, marked `is-invalid` when the field has
    errors (works for forms that do not style their widgets, like Django's sign-in form)."""
    classes = bound_field.field.widget.attrs.get("class", "").split()
    wanted = bootstrap_class(bound_field.field.widget)
    if wanted not in classes:
        classes.append(wanted)
    if bound_field.errors:
        classes.append("is-invalid")
    return bound_field.as_widget(attrs={"class": " ".join(classes)})


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None or "" drops one)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def share_class(part: int, whole: int) -> str:
    """`td-w-N`, N the part's share of the whole rounded to 5 %, at least 5 when non-zero."""
    if not whole or not part:
        return "td-w-0"
    percent = round(part * 100 / whole / 5) * 5
    return f"td-w-{min(max(percent, 5), 100)}"


@register.filter
def depth_class(depth: int) -> str:
    return f"td-depth-{min(int(depth), 8)}"


@register.filter
def minutes(value: timedelta | None) -> int:
    return int(value.total_seconds() // 60) if value else 0
