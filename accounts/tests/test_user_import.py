import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.constants import Role
from accounts.importing import MAX_ROWS
from accounts.models import User
from accounts.views import IMPORT_SESSION_KEY
from tests.factories import ClusterFactory, HubFactory

URL = reverse("users:import")
HEADER = "name,email,cluster,roles,hubs\n"


def _nl(message, **params):
    with translation.override("nl"):
        text = str(translation.gettext(message))
    return text % params if params else text


def _upload(client, content, name="users.csv", encoding="utf-8"):
    data = content.encode(encoding) if isinstance(content, str) else content
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "text/csv")})


def _preview(client, content, **kwargs):
    response = _upload(client, content, **kwargs)
    assert response.status_code == 302, response.context["form"].errors
    return client.get(response.url)


def _confirm(client, django_capture_on_commit_callbacks):
    token = client.session[IMPORT_SESSION_KEY]["token"]
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(URL, {"token": token, "confirm": "1"})


@pytest.fixture
def stadsbeheer(db):
    return ClusterFactory(name="Stadsbeheer")


def test_upload_page(coordinator_client):
    response = coordinator_client.get(URL)

    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_good_file_previews_then_creates_users_and_invites(
    coordinator_client, hub, other_hub, stadsbeheer, django_capture_on_commit_callbacks
):
    content = (
        HEADER + "Anna de Vries,anna@rotterdam.nl,Stadsbeheer,gastvrouw;medewerker,Feijenoord\n"
        "Karim Bakker,KARIM@rotterdam.nl,,wijkmanager,feijenoord;Bloemhof\n"
        "Els Jansen,els@rotterdam.nl,stadsbeheer,Coördinator,\n"
    )

    preview = _preview(coordinator_client, content)

    assert preview.status_code == 200
    rows = preview.context["rows"]
    assert [(r.line, r.is_valid) for r in rows] == [(2, True), (3, True), (4, True)]
    assert "will be created" in preview.content.decode() or _nl("will be created") in (
        preview.content.decode()
    )
    assert User.objects.count() == 1  # nothing created by the preview

    response = _confirm(coordinator_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response.url == reverse("users:list")
    anna = User.objects.get(email="anna@rotterdam.nl")
    assert (anna.first_name, anna.last_name, anna.cluster) == ("Anna", "de Vries", stadsbeheer)
    assert set(anna.role_assignments.values_list("role", "hub_id")) == {
        (Role.HOST, hub.pk),
        (Role.MEDEWERKER, None),
    }
    karim = User.objects.get(email="karim@rotterdam.nl")
    assert karim.cluster is None
    assert set(karim.role_assignments.values_list("role", "hub_id")) == {
        (Role.WIJKMANAGER, hub.pk),
        (Role.WIJKMANAGER, other_hub.pk),
    }
    els = User.objects.get(email="els@rotterdam.nl")
    assert list(els.role_assignments.values_list("role", "hub_id")) == [(Role.COORDINATOR, None)]
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@rotterdam.nl",
        "els@rotterdam.nl",
        "karim@rotterdam.nl",
    ]
    assert IMPORT_SESSION_KEY not in coordinator_client.session


def test_mixed_file_creates_only_the_valid_rows(
    coordinator_client, hub, host, stadsbeheer, django_capture_on_commit_callbacks
):
    content = (
        HEADER + "Goed Persoon,goed@rotterdam.nl,Stadsbeheer,medewerker,\n"  # 2 ok
        "Onbekende Hub,hub@rotterdam.nl,,host,Atlantis\n"  # 3
        "Onbekende Rol,rol@rotterdam.nl,,burgemeester,\n"  # 4
        "Slecht Adres,geen-adres,,kcc,\n"  # 5
        "Dubbel Een,dubbel@rotterdam.nl,,kcc,\n"  # 6
        "Dubbel Twee,Dubbel@rotterdam.nl,,kcc,\n"  # 7
        "Bestaat Al,host@example.org,,kcc,\n"  # 8
        "Geen Hub,geenhub@rotterdam.nl,,wijkraad,\n"  # 9
        ",leeg@rotterdam.nl,,kcc,\n"  # 10
        "Onbekend Cluster,cluster@rotterdam.nl,Ruimtevaart,kcc,\n"  # 11
        "Ook Goed,ookgoed@rotterdam.nl,,wijkraad,feijenoord\n"  # 12 ok (slug)
    )

    preview = _preview(coordinator_client, content)

    errors = {row.line: row.errors for row in preview.context["rows"]}
    assert errors[2] == [] and errors[12] == []
    assert errors[3] == [_nl("Unknown hub: %(hub)s.", hub="Atlantis")]
    assert errors[4] == [_nl("Unknown role: %(role)s.", role="burgemeester")]
    assert errors[5] == [_nl("“%(email)s” is not a valid e-mail address.", email="geen-adres")]
    duplicate = _nl(
        "This e-mail address is in the file more than once (lines %(lines)s).", lines="6, 7"
    )
    assert errors[6] == errors[7] == [duplicate]
    assert errors[8] == [_nl("A user with this e-mail address already exists.")]
    assert errors[9] == [
        _nl("The role %(role)s needs at least one hub.", role=str(Role.WIJKRAAD.label))
    ]
    assert errors[10] == [_nl("The name is empty.")]
    assert errors[11] == [_nl("Unknown cluster: %(name)s.", name="Ruimtevaart")]
    html = preview.content.decode()
    assert html.count('class="row-error') == 9
    assert html.count('class="row-ok') == 2

    _confirm(coordinator_client, django_capture_on_commit_callbacks)

    assert set(User.objects.values_list("email", flat=True)) == {
        "coordinator@example.org",
        "host@example.org",
        "goed@rotterdam.nl",
        "ookgoed@rotterdam.nl",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["goed@rotterdam.nl", "ookgoed@rotterdam.nl"]


def test_cp1252_file_with_semicolons_and_dutch_headers(
    coordinator_client, db, django_capture_on_commit_callbacks
):
    HubFactory(name="Crooswijk", slug="crooswijk")
    ClusterFactory(name="Maatschappelijke Ontwikkeling")
    # As Excel saves it in a Dutch locale: semicolons, Windows-1252, quoted lists.
    content = (
        "Naam;E-mail;Cluster;Rollen;Hubs\r\n"
        "Zoë Müller;zoe@rotterdam.nl;Maatschappelijke Ontwikkeling;"
        '"gastheer;wijkraad";Crooswijk\r\n'
    )

    preview = _preview(coordinator_client, content, encoding="cp1252")

    [row] = preview.context["rows"]
    assert row.errors == []
    assert row.name == "Zoë Müller"
    _confirm(coordinator_client, django_capture_on_commit_callbacks)
    zoe = User.objects.get(email="zoe@rotterdam.nl")
    assert zoe.first_name == "Zoë"
    assert zoe.last_name == "Müller"
    assert sorted(zoe.role_assignments.values_list("role", flat=True)) == [
        Role.HOST,
        Role.WIJKRAAD,
    ]


def test_utf8_file_with_byte_order_mark(coordinator_client, db):
    preview = _preview(
        coordinator_client, "\ufeff" + HEADER + "Jöran Smit,joran@rotterdam.nl,,kcc,\n"
    )

    [row] = preview.context["rows"]
    assert (row.name, row.errors) == ("Jöran Smit", [])


def _file_error(response):
    [error] = response.context["form"].errors.as_data()["file"]
    return error


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("   \n\n", "The file is empty."),
        (HEADER, "The file has a header but no rows."),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            "This is not a CSV file. Save the spreadsheet as “CSV (comma or semicolon)”.",
        ),
    ],
)
def test_unusable_files_get_a_clear_message(coordinator_client, db, content, message):
    response = _upload(coordinator_client, content)

    assert response.status_code == 200
    error = _file_error(response)
    assert error.code == "bad_file"
    assert error.messages == [_nl(message)]
    assert IMPORT_SESSION_KEY not in coordinator_client.session


def test_zero_byte_file_is_refused_by_the_file_field(coordinator_client, db):
    response = _upload(coordinator_client, b"")

    assert _file_error(response).code == "empty"


@pytest.mark.parametrize(
    ("content", "missing"),
    [
        ("name,email\nAnna,anna@rotterdam.nl\n", "missing: cluster, roles, hubs"),
        ("just some text\nwithout columns\n", "missing: name, email, cluster, roles, hubs"),
    ],
)
def test_missing_columns_are_named(coordinator_client, db, content, missing):
    response = _upload(coordinator_client, content)

    error = _file_error(response)
    assert error.code == "bad_file"
    # The column names are parameters, the same in every language.
    assert missing.split(": ")[1] in error.messages[0]


def test_undecodable_file_is_refused(coordinator_client, db):
    # 0x81 is undefined in Windows-1252 and invalid as UTF-8.
    response = _upload(coordinator_client, HEADER.encode() + b"A\x81,b@c.nl,,kcc,\n")

    assert _file_error(response).code == "bad_file"


def test_too_many_rows(coordinator_client, db):
    rows = "".join(f"Persoon {i},p{i}@rotterdam.nl,,kcc,\n" for i in range(MAX_ROWS + 1))

    response = _upload(coordinator_client, HEADER + rows)

    assert response.status_code == 200
    error = _file_error(response)
    assert error.code == "bad_file"
    assert "2.000" in error.messages[0]  # the limit, formatted for Dutch


def test_exactly_the_maximum_is_accepted(coordinator_client, db):
    rows = "".join(f"Persoon {i},p{i}@rotterdam.nl,,kcc,\n" for i in range(MAX_ROWS))

    response = _upload(coordinator_client, HEADER + rows)

    assert response.status_code == 302


def test_no_file_is_a_form_error(coordinator_client):
    response = coordinator_client.post(URL, {})

    assert response.status_code == 200
    assert "file" in response.context["form"].errors


def test_preview_with_unknown_token_asks_for_a_new_upload(coordinator_client):
    response = coordinator_client.get(URL, {"preview": "forged"})

    assert response.status_code == 302
    assert response.url == URL


@pytest.mark.parametrize("forged", ["ünïcode", "\u202e", "€" * 22])
def test_a_forged_non_ascii_token_is_refused_not_a_server_error(
    coordinator_client, forged, django_capture_on_commit_callbacks
):
    # With a real preview in the session the token is compared; compare_digest raised
    # TypeError on a str with non-ASCII characters.
    _preview(coordinator_client, HEADER + "Nieuwe Collega,nieuw@rotterdam.nl,,kcc,\n")

    preview = coordinator_client.get(URL, {"preview": forged})
    with django_capture_on_commit_callbacks(execute=True):
        confirm = coordinator_client.post(URL, {"token": forged, "confirm": "1"})

    assert (preview.status_code, preview.url) == (302, URL)
    assert (confirm.status_code, confirm.url) == (302, URL)
    assert not User.objects.filter(email="nieuw@rotterdam.nl").exists()


def test_confirm_without_preview_creates_nothing(
    coordinator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(URL, {"token": "forged", "confirm": "1"})

    assert response.status_code == 302
    assert User.objects.count() == 1
    assert mail.outbox == []


def test_confirm_refuses_when_the_database_changed_since_the_preview(
    coordinator_client, db, django_capture_on_commit_callbacks
):
    _preview(coordinator_client, HEADER + "Laat Komer,laat@rotterdam.nl,,kcc,\n")
    User.objects.create_user(email="laat@rotterdam.nl")  # created meanwhile by someone else

    response = _confirm(coordinator_client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert "preview=" in response.url
    assert User.objects.filter(email="laat@rotterdam.nl").count() == 1
    assert mail.outbox == []
    # The new preview shows the row as an error and offers nothing to import.
    again = coordinator_client.get(response.url)
    assert again.context["valid_count"] == 0
    assert not re.search(r'name="confirm"', again.content.decode())


def test_import_refuses_non_coordinators(client, cast):
    client.force_login(cast["wijkmanager"])

    assert client.get(URL).status_code == 403
    assert _upload(client, HEADER + "A B,ab@rotterdam.nl,,kcc,\n").status_code == 403


def test_import_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_import_wrong_method(coordinator_client):
    assert coordinator_client.put(URL).status_code == 405
