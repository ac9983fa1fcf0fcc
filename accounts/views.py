"""The coordinator's user pages: list, create, edit, re-invite and CSV import."""

import secrets

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import services
from .forms import (
    ImportConfirmForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
    UserImportForm,
)
from .importing import MAX_ROWS, check_rows
from .models import RoleAssignment, User

USERS_PER_PAGE = 50
IMPORT_SESSION_KEY = "accounts.user_import"

# Errors from services.user_update that belong to one field of the edit form.
SERVICE_ERROR_FIELDS = {"self_deactivate": "is_active", "self_demote": "roles"}


def _require_user_manager(request) -> None:
    if not request.user.access.can_manage_users():
        raise PermissionDenied


def _post_data(request):
    """The POST data to bind a form to (even when empty), or None on GET."""
    return request.POST if request.method == "POST" else None


def _users_with_roles():
    """Users with cluster, role assignments (with hub) and TOTP status in two queries."""
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    return (
        User.objects.select_related("cluster")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.select_related("hub").order_by("role", "hub__name"),
            )
        )
        .annotate(has_totp=Exists(has_totp))
    )


def _form_context(form, subject) -> dict:
    return {
        "form": form,
        "subject": subject,
        "invitation_valid_days": settings.INVITATION_VALID_DAYS,
    }


@require_safe
def user_list(request):
    _require_user_manager(request)
    users = _users_with_roles().order_by("first_name", "last_name", "email")
    filter_form = UserFilterForm(request.GET)
    if filter_form.is_valid():
        for word in filter_form.cleaned_data["q"].split():
            users = users.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        if role := filter_form.cleaned_data["role"]:
            users = users.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/user_list.html",
        {"page": page, "users": page.object_list, "filter_form": filter_form},
    )


@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_user_manager(request)
    form = UserCreateForm(_post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                email=form.cleaned_data["email"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                cluster=form.cleaned_data["cluster"],
                roles=form.roles_mapping(),
                created_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        except IntegrityError:
            # Someone created the same address between the form check and the insert.
            form.add_error(
                "email",
                _("There is already a user with this e-mail address. Edit that user instead."),
            )
        else:
            messages.success(
                request,
                _("%(user)s has been created and an invitation was sent to %(email)s.")
                % {"user": user, "email": user.email},
            )
            return redirect("users:list")
    return render(request, "accounts/user_form.html", _form_context(form, None))


@require_http_methods(["GET", "POST"])
def user_edit(request, pk: int):
    _require_user_manager(request)
    subject = get_object_or_404(_users_with_roles(), pk=pk)
    form = UserEditForm(_post_data(request), user=subject)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                user=subject,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                cluster=form.cleaned_data["cluster"],
                is_active=form.cleaned_data["is_active"],
                roles=form.roles_mapping(),
                updated_by=request.user,
            )
        except ValidationError as exc:
            form.add_error(SERVICE_ERROR_FIELDS.get(exc.code), exc)
        else:
            messages.success(request, _("The changes to %(user)s were saved.") % {"user": subject})
            return redirect("users:list")
    return render(request, "accounts/user_form.html", _form_context(form, subject))


@require_POST
def user_invite(request, pk: int):
    _require_user_manager(request)
    subject = get_object_or_404(User, pk=pk)
    try:
        services.user_invite(user=subject, invited_by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("A new invitation was sent to %(email)s.") % {"email": subject.email},
        )
    return redirect("users:edit", pk=subject.pk)


@require_http_methods(["GET", "POST"])
def user_import(request):
    """Step 1: upload and check; step 2 (?preview=token): the preview; step 3: confirm.

    The raw rows stay in the session between the steps; they are checked again
    against the database each time, so the preview and the import agree with
    the database of that moment.
    """
    _require_user_manager(request)
    if request.method == "POST" and "confirm" in request.POST:
        return _import_confirm(request)

    stored = request.session.get(IMPORT_SESSION_KEY)
    token = request.GET.get("preview")
    if request.method == "GET" and token:
        if stored and _same_token(stored["token"], token):
            return _import_preview(request, stored)
        messages.warning(request, _("This preview has expired. Upload the file again."))
        return redirect("users:import")

    form = UserImportForm(_post_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = {"token": secrets.token_urlsafe(16), "raw_rows": form.cleaned_data["file"]}
        request.session[IMPORT_SESSION_KEY] = stored
        return redirect(f"{reverse('users:import')}?preview={stored['token']}")
    return render(request, "accounts/user_import.html", {"form": form, "max_rows": MAX_ROWS})


def _same_token(stored: str, given: str) -> bool:
    """Constant-time comparison; as bytes, since compare_digest raises TypeError on a
    str with non-ASCII characters (a forged ``?preview=`` would be a server error)."""
    return secrets.compare_digest(stored.encode(), given.encode())


def _import_preview(request, stored: dict):
    rows = check_rows(stored["raw_rows"])
    valid_lines = [row.line for row in rows if row.is_valid]
    # What the coordinator saw; the confirm step refuses if this has changed since.
    stored["valid_lines"] = valid_lines
    request.session.modified = True
    return render(
        request,
        "accounts/user_import_preview.html",
        {
            "rows": rows,
            "valid_count": len(valid_lines),
            "error_count": len(rows) - len(valid_lines),
            "confirm_form": ImportConfirmForm(initial={"token": stored["token"]}),
        },
    )


def _import_confirm(request):
    form = ImportConfirmForm(request.POST)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if (
        not form.is_valid()
        or not stored
        or not _same_token(stored["token"], form.cleaned_data["token"])
        or "valid_lines" not in stored
    ):
        messages.warning(request, _("This preview has expired. Upload the file again."))
        return redirect("users:import")
    preview_url = f"{reverse('users:import')}?preview={stored['token']}"
    rows = check_rows(stored["raw_rows"])
    valid = [row for row in rows if row.is_valid]
    if [row.line for row in valid] != stored["valid_lines"]:
        messages.warning(
            request,
            _("Users or hubs changed since you checked the file. Check the preview again."),
        )
        return redirect(preview_url)
    if not valid:
        messages.error(request, _("No row can be imported. Correct the file and upload it again."))
        return redirect(preview_url)
    try:
        services.users_create(rows=[row.create_kwargs() for row in valid], created_by=request.user)
    except (ValidationError, IntegrityError):
        # A concurrent change the check could not see; nothing was created.
        messages.error(
            request, _("Users changed while importing; nothing was imported. Please try again.")
        )
        return redirect(preview_url)
    del request.session[IMPORT_SESSION_KEY]
    skipped = len(rows) - len(valid)
    created_message = ngettext(
        "%(count)d user was created and invited.",
        "%(count)d users were created and invited.",
        len(valid),
    ) % {"count": len(valid)}
    if skipped:
        created_message += " " + ngettext(
            "%(count)d row with errors was skipped.",
            "%(count)d rows with errors were skipped.",
            skipped,
        ) % {"count": skipped}
    messages.success(request, created_message)
    return redirect("users:list")
