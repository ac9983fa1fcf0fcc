"""Form widgets and limits shared by every app."""

from django import forms

# The years date fields and filters accept: wide enough for any real planning,
# narrow enough that a typo (20266) gets a message instead of an overflow.
MIN_YEAR = 2000
MAX_YEAR = 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The browser's date picker sends and expects ISO dates.
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
