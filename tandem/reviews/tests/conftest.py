import pytest
from django.utils import translation


@pytest.fixture
def english(settings):
    """Requests and code in English: the messages these tests assert are the source texts
    (the default language, Chinese, is checked by the page tests that say so)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
