from crispy_forms.bootstrap import InlineCheckboxes, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from hubs.models import Hub

from .constants import HUB_ROLES, Role
from .importing import MAX_FILE_SIZE, ImportFileError, read_user_csv
from .models import Cluster, User

# Hub roles in the order the form shows their hub pickers.
HUB_ROLE_ORDER = [Role.HOST, Role.WIJKMANAGER, Role.WIJKRAAD]
HUB_FIELD_LABELS = {
    Role.HOST: _("Hubs where this person is host"),
    Role.WIJKMANAGER: _("Hubs this person manages as wijkmanager"),
    Role.WIJKRAAD: _("Hubs of this person's wijkraad"),
}


def hub_field_name(role: str) -> str:
    return f"{role}_hubs"


class UserRolesForm(forms.Form):
    """Name, cluster and roles with their hubs; shared by create and edit."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    cluster = forms.ModelChoiceField(
        label=_("Cluster"),
        queryset=Cluster.objects.all(),
        required=False,
        empty_label=_("(no cluster)"),
        help_text=_("The department this person works for."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Give the user at least one role.")},
        help_text=_(
            "Host, wijkmanager and wijkraad are held at particular hubs; choose them below."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        hubs = Hub.objects.only("pk", "name")
        for role in HUB_ROLE_ORDER:
            self.fields[hub_field_name(role)] = forms.ModelMultipleChoiceField(
                label=HUB_FIELD_LABELS[role],
                queryset=hubs,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.layout = Layout(
            Fieldset(_("Person"), *self.person_fields()),
            Fieldset(
                _("Roles"),
                "roles",
                *[InlineCheckboxes(hub_field_name(role)) for role in HUB_ROLE_ORDER],
            ),
            Submit("save", _("Save")),
        )

    def person_fields(self) -> list:
        return ["first_name", "last_name", "cluster"]

    def has_field_errors(self) -> bool:
        """For the error summary above the form (_form_errors.html)."""
        return any(name != NON_FIELD_ERRORS for name in self.errors)

    def clean(self):
        cleaned = super().clean()
        roles = cleaned.get("roles") or []
        for role in HUB_ROLE_ORDER:
            name = hub_field_name(role)
            hubs = cleaned.get(name)
            if role in roles and not hubs and name not in self.errors:
                self.add_error(
                    name,
                    _("Choose at least one hub for the role %(role)s.") % {"role": role.label},
                )
            elif hubs and role not in roles:
                self.add_error(
                    name,
                    _("You chose hubs but not the role %(role)s. Tick the role or clear the hubs.")
                    % {"role": role.label},
                )
        return cleaned

    def roles_mapping(self) -> dict[str, list]:
        """``{role: hubs}`` for services.user_create / user_update."""
        return {
            role: list(self.cleaned_data[hub_field_name(role)]) if role in HUB_ROLES else []
            for role in self.cleaned_data["roles"]
        }


class UserCreateForm(UserRolesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)

    field_order = ["email", "first_name", "last_name", "cluster", "roles"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout[-1] = Submit("save", _("Create and send invitation"))

    def person_fields(self) -> list:
        return [Field("email", autocomplete="off"), *super().person_fields()]

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("There is already a user with this e-mail address. Edit that user instead."),
                code="duplicate",
            )
        return email


class UserEditForm(UserRolesForm):
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        help_text=_("A deactivated user cannot log in; their history is kept."),
    )

    field_order = ["first_name", "last_name", "cluster", "is_active", "roles"]

    def __init__(self, *args, user: User, **kwargs):
        assignments = list(user.role_assignments.all())
        initial = {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "cluster": user.cluster_id,
            "is_active": user.is_active,
            "roles": sorted({a.role for a in assignments}),
        }
        for role in HUB_ROLE_ORDER:
            initial[hub_field_name(role)] = [a.hub_id for a in assignments if a.role == role]
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)

    def person_fields(self) -> list:
        return [*super().person_fields(), "is_active"]


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or e-mail"),
        required=False,
        max_length=100,
        widget=forms.SearchInput,
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "row row-cols-md-auto g-3 align-items-end mb-3"
        self.helper.layout = Layout(
            Field("q", wrapper_class="col-12"),
            Field("role", wrapper_class="col-12"),
            StrictButton(_("Filter"), type="submit", css_class="btn-primary mb-3"),
        )


class UserImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: name, email, cluster, roles, hubs. Separate several roles or hubs "
            "with “;”. Comma or semicolon as column separator."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # crispy adds enctype="multipart/form-data" itself
        self.helper.layout = Layout(
            Field("file", accept=".csv,text/csv,text/plain"),
            Submit("upload", _("Check the file")),
        )

    def clean_file(self) -> list[list]:
        """Returns the raw rows of the file (see importing.read_user_csv)."""
        upload = self.cleaned_data["file"]
        try:
            # At most one byte over the limit, so a huge upload is never read whole.
            data = upload.read(MAX_FILE_SIZE + 1)
            return read_user_csv(data)
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc), code="bad_file") from exc


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
