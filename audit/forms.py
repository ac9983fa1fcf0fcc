from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from wijkhubs.widgets import MAX_YEAR, MIN_YEAR, DateInput

from .models import AuditKind


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"), choices=[("", _("All events"))] + AuditKind.choices, required=False
    )
    actor = forms.CharField(
        label=_("User"), max_length=254, required=False, help_text=_("(Part of) an e-mail address.")
    )
    subject = forms.CharField(label=_("About"), max_length=200, required=False)
    day = forms.DateField(label=_("On"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.layout = Layout(
            Field("kind", wrapper_class="col-sm-3"),
            Field("actor", wrapper_class="col-sm-3"),
            Field("subject", wrapper_class="col-sm-3"),
            Field("day", wrapper_class="col-sm-2"),
            Div(Submit("toon", _("Show"), css_class="btn-primary mb-3"), css_class="col-sm-auto"),
        )

    def clean_day(self):
        day = self.cleaned_data.get("day")
        if day and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": MIN_YEAR, "last": MAX_YEAR}
            )
        return day

    def filter(self, queryset):
        if not (self.is_bound and self.is_valid()):
            return queryset
        data = self.cleaned_data
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["actor"].strip():
            queryset = queryset.filter(actor__icontains=data["actor"].strip())
        if data["subject"].strip():
            queryset = queryset.filter(subject__icontains=data["subject"].strip())
        if data["day"]:
            queryset = queryset.filter(at__date=data["day"])
        return queryset


class DataRequestForm(forms.Form):
    """A resident's request: what to search for, and the request's own reference."""

    q = forms.CharField(
        label=_("Reference, phone number or e-mail address"),
        max_length=254,
        help_text=_("As the resident gave it: TB-7K3Q-9X, 06 1234 5678 or name@example.org."),
    )
    request_ref = forms.CharField(
        label=_("Reference of the request"),
        max_length=60,
        help_text=_("The case number of the resident's AVG request; it goes into the audit log."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_class = "row g-2 align-items-end mb-3"
        self.helper.layout = Layout(
            Field("q", wrapper_class="col-md-5"),
            Field("request_ref", wrapper_class="col-md-4"),
            Div(Submit("zoek", _("Search"), css_class="btn-primary mb-3"), css_class="col-md-auto"),
        )

    def clean_q(self):
        from .avg import classify

        return classify(self.cleaned_data["q"])

    def clean_request_ref(self):
        value = self.cleaned_data["request_ref"].strip()
        if not value:
            raise forms.ValidationError(_("Fill in the reference of the request."))
        return value


class EraseForm(DataRequestForm):
    confirm = forms.BooleanField(
        label=_("I have checked that these requests belong to the resident who asked."),
    )
