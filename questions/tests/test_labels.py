"""The labels lists show (get_FOO_display), written by hand for speed, are Django's."""

import pytest
from django.db.models.base import Model
from django.utils import translation

from questions.models import CallbackRequest, Question

FIELDS = [
    (Question, "dagdeel"),
    (Question, "outcome"),
    (Question, "language"),
    (CallbackRequest, "status"),
    (CallbackRequest, "language"),
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_label_is_djangos(model, name, language):
    field = model._meta.get_field(name)
    values = [value for value, _label in field.choices] + ["", "not-a-choice"]
    with translation.override(language):
        for value in values:
            instance = model(**{name: value})
            ours = getattr(instance, f"get_{name}_display")()
            assert ours == Model._get_FIELD_display(instance, field)
            assert type(ours) is str
