"""The registry of notification kinds and categories, and how a kind's text is rendered."""

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from tandem.core.notifications import NotificationKind, register, registry
from tandem.core.notifications.testing import GOAL_CHANGED


def test_registering_the_same_kind_again_is_harmless():
    assert register(NotificationKind(key=GOAL_CHANGED.key, category=GOAL_CHANGED.category,
                                     title=GOAL_CHANGED.title, body=GOAL_CHANGED.body))
    assert registry.get_kind(GOAL_CHANGED.key) is GOAL_CHANGED


def test_two_definitions_of_one_key_are_refused():
    with pytest.raises(ValueError, match="already registered"):
        register(NotificationKind(key=GOAL_CHANGED.key, category="pay", title="Other"))


def test_a_key_names_its_app():
    with pytest.raises(ValueError, match="<app>.<event>"):
        register(NotificationKind(key="nodot", category="goals", title="x"))


def test_an_unknown_key_is_a_value_error_but_a_stored_one_just_has_no_kind():
    with pytest.raises(ValueError):
        registry.get_kind("tests.never_registered")
    assert registry.find_kind("tests.never_registered") is None


def test_the_apps_kinds_are_found_without_importing_them_first():
    # goals declares its kinds in tandem/goals/notifications.py, found by autodiscovery.
    assert registry.find_kind("goals.target_cascaded").category == "goals"


def test_categories_in_use_have_their_label_in_the_active_language():
    with translation.override("en"):
        used = dict(registry.categories_in_use())
    assert used["goals"] == "Goals" and used["pay"] == "Pay"
    assert "hiring" not in used  # named, but no kind uses it yet
    with translation.override("zh-hans"):
        assert dict(registry.categories_in_use())["goals"] == "目标"


def test_a_field_missing_from_the_params_shows_as_itself():
    with translation.override("en"):
        assert GOAL_CHANGED.render_title({}) == "Goals · {key_result}"


@given(st.dictionaries(st.sampled_from(["key_result", "reason", "other"]), st.text()))
def test_rendering_never_fails_and_shows_each_given_value(params):
    with translation.override("en"):
        title = GOAL_CHANGED.render_title(params)
        body = GOAL_CHANGED.render_body(params)
    assert title == "Goals · " + params.get("key_result", "{key_result}")
    assert body == "Owner: " + params.get("reason", "{reason}")
