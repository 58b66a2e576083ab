"""Form plumbing shared by every page: Bootstrap classes on widgets, tree-ordered choices and
the services' validation errors shown on the fields they name."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError
from django_scopes.forms import SafeModelChoiceField


def bootstrap_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class StyledFormMixin:
    """Gives each widget the Bootstrap class its type needs."""

    def style_widgets(self) -> None:
        for field in self.fields.values():
            css = bootstrap_class(field.widget)
            field.widget.attrs["class"] = f"{field.widget.attrs.get('class', '')} {css}".strip()


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        """Puts a service's ValidationError on the fields it names; messages about fields this
        form does not show go on top of the form."""
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                target = name if name in self.fields and name != NON_FIELD_ERRORS else None
                self.add_error(target, errors)
        else:
            self.add_error(None, error)


class ServiceModelForm(StyledFormMixin, ServiceErrorsMixin, forms.ModelForm):
    """A ModelForm used for its fields only: the service validates the whole object and saves
    it. Model validation is skipped here so that the instance being edited stays untouched
    until the service changes it (the service compares before and after for job history)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_widgets()
        self.add_model_validators()

    def add_model_validators(self) -> None:
        """Model field validators (phone, identity number...) run with the form's own checks,
        so every field error shows at once instead of after a second submit."""
        for name, field in self.fields.items():
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            field.validators += [v for v in model_field.validators if v not in field.validators]

    def _post_clean(self) -> None:
        """Deliberately empty: ModelForm would copy the data onto the instance and validate
        the model here; the service does both (see the class docstring)."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def tree_order(departments) -> list:
    """Departments depth-first, each carrying `tree_depth`; parents outside the list make a
    department a root."""
    by_parent: dict = {}
    present = {d.pk for d in departments}
    for department in departments:
        parent = department.parent_id if department.parent_id in present else None
        by_parent.setdefault(parent, []).append(department)
    ordered: list = []

    def walk(parent, depth):
        for department in sorted(by_parent.get(parent, []), key=lambda d: d.display_name):
            department.tree_depth = depth
            ordered.append(department)
            walk(department.pk, depth + 1)

    walk(None, 0)
    return ordered


class TreeChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in tree_order(list(self.queryset)):
            yield self.choice(obj)


class DepartmentChoiceField(SafeModelChoiceField):
    """Departments as an indented tree in a select box."""

    iterator = TreeChoiceIterator

    def label_from_instance(self, obj) -> str:
        return "\u3000" * getattr(obj, "tree_depth", 0) + obj.display_name
