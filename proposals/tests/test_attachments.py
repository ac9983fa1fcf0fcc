"""Files attached to a proposal: who may add, open and remove them, and which files
are refused (type, content, size, how many)."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from accounts.constants import Role
from proposals import services
from proposals.constants import Decision, Status
from proposals.models import ProposalAttachment
from proposals.services import ProposalError
from tests.factories import UserFactory, give_role, make_proposal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
ZIP = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 20


@pytest.fixture(autouse=True)
def _frozen_time():
    # Wednesday 4 November 2026.
    with time_machine.travel(dt.datetime(2026, 11, 4, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _nl(message: str) -> str:
    with translation.override("nl"):
        return gettext(message)


def _file(name="petitie.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _attach(proposal, user, name="petitie.pdf", content=PDF) -> ProposalAttachment:
    return services.proposal_attachment_add(
        proposal_id=proposal.pk, user=user, upload=_file(name, content)
    )


def _add_url(proposal) -> str:
    return reverse("proposals:attachment_add", args=[proposal.pk])


def _download_url(attachment) -> str:
    return reverse("proposals:attachment_download", args=[attachment.pk])


def _remove_url(attachment) -> str:
    return reverse("proposals:attachment_remove", args=[attachment.pk])


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def other_wijkraad(other_hub):
    return give_role(UserFactory(email="wijkraad-bloemhof@example.org"), Role.WIJKRAAD, other_hub)


@pytest.fixture
def colleague(hub):
    """A second member of the hub's wijkraad."""
    return give_role(UserFactory(email="wijkraad-2@example.org"), Role.WIJKRAAD, hub)


# --- adding and downloading --------------------------------------------------------------------


def test_wijkraad_attaches_a_file_to_its_draft_and_downloads_it(client, wijkraad, hub, media):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_add_url(proposal), {"file": _file("Petitie zaterdag.pdf")})
    assert response.status_code == 302
    assert response["Location"] == f"{proposal.get_absolute_url()}#attachments"
    attachment = proposal.attachments.get()
    assert _messages(response) == [
        _nl("“%(name)s” is attached to the proposal.") % {"name": "Petitie zaterdag.pdf"}
    ]
    assert attachment.original_name == "Petitie zaterdag.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == wijkraad
    # Stored under a random name: nothing of what was uploaded ends up in the path.
    assert re.fullmatch(r"proposals/2026/11/[0-9a-f]{32}\.pdf", attachment.file.name)
    assert (media / attachment.file.name).read_bytes() == PDF

    response = client.get(_download_url(attachment))
    assert response.status_code == 200
    assert _content(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Petitie zaterdag.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_the_proposal_page_lists_attachments_with_an_upload_form(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad, "enquete.xlsx", ZIP)
    client.force_login(wijkraad)
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'id="attachments"' in html
    assert "enquete.xlsx" in html
    assert _download_url(attachment) in html
    assert _remove_url(attachment) in html
    assert str(wijkraad) in html
    assert 'enctype="multipart/form-data"' in html
    assert f'action="{_add_url(proposal)}"' in html


@pytest.mark.parametrize("role", ["wijkmanager", "coordinator"])
def test_the_city_downloads_attachments_after_submission(client, cast, hub, wijkraad, role):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    services.proposal_transition(
        proposal_id=proposal.pk, user=wijkraad, to=Status.SUBMITTED, expected=Status.CONCEPT
    )
    client.force_login(cast[role])
    response = client.get(_download_url(attachment))
    assert response.status_code == 200
    assert _content(response) == PDF
    # The city may add its own files while the proposal is open.
    response = client.post(_add_url(proposal), {"file": _file("reactie.odt", ZIP)})
    assert response.status_code == 302
    assert proposal.attachments.count() == 2


def test_the_city_cannot_open_the_attachments_of_a_draft(client, wijkmanager, hub, wijkraad):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    client.force_login(wijkmanager)
    assert client.get(_download_url(attachment)).status_code == 404
    assert client.post(_add_url(proposal), {"file": _file()}).status_code == 404
    assert proposal.attachments.count() == 1


@pytest.mark.parametrize("role", ["other_wijkraad", "outsider", "host", "kcc"])
def test_others_get_404_on_download(client, request, hub, wijkraad, role):
    proposal = make_proposal(hub, wijkraad, submit=True)
    attachment = _attach(proposal, wijkraad)
    client.force_login(request.getfixturevalue(role))
    assert client.get(_download_url(attachment)).status_code == 404
    assert client.post(_add_url(proposal), {"file": _file()}).status_code == 404
    assert client.post(_remove_url(attachment)).status_code == 404
    assert proposal.attachments.count() == 1


def test_a_forged_attachment_id_is_404(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    client.force_login(wijkraad)
    forged = attachment.pk + 1000
    assert client.get(reverse("proposals:attachment_download", args=[forged])).status_code == 404
    assert client.post(reverse("proposals:attachment_remove", args=[forged])).status_code == 404
    assert (
        client.post(reverse("proposals:attachment_add", args=[proposal.pk + 1000])).status_code
        == 404
    )


def test_a_file_missing_from_storage_is_404_not_500(client, wijkraad, hub, media):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    (media / attachment.file.name).unlink()
    client.force_login(wijkraad)
    assert client.get(_download_url(attachment)).status_code == 404


# --- bad files -----------------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_with_a_message(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    too_large = PDF + b"0" * (10 * 1024 * 1024)  # the default limit is 10 MB
    response = client.post(_add_url(proposal), {"file": _file("scan.pdf", too_large)})
    assert response.status_code == 302
    assert _messages(response) == [
        _nl("“%(name)s” is too large: a file can be at most %(max)s MB.")
        % {"name": "scan.pdf", "max": 10}
    ]
    assert not proposal.attachments.exists()


def test_the_size_limit_comes_from_the_settings(wijkraad, hub, settings):
    settings.PROPOSAL_ATTACHMENT_MAX_MB = 1
    proposal = make_proposal(hub, wijkraad)
    exactly = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert _attach(proposal, wijkraad, content=exactly).size == 1024 * 1024
    with pytest.raises(ProposalError) as refused:
        _attach(proposal, wijkraad, content=exactly + b"0")
    assert refused.value.code == "size"


def test_an_exe_is_refused_with_the_allowed_types(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_add_url(proposal), {"file": _file("setup.exe", EXE)})
    assert _messages(response) == [
        _nl("“%(name)s” cannot be attached: only %(types)s files are allowed.")
        % {"name": "setup.exe", "types": "PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, TXT"}
    ]
    assert not proposal.attachments.exists()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("brief.pdf", EXE, "PDF"),  # a program renamed to .pdf
        ("foto.png", JPEG, "PNG"),
        ("foto.jpg", PNG, "JPEG"),
        ("plan.docx", PDF, "DOCX"),
        ("notitie.txt", b"text\x00with a NUL byte", "TXT"),
    ],
)
def test_a_file_whose_content_does_not_match_its_name_is_refused(
    client, wijkraad, hub, name, content, kind
):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_add_url(proposal), {"file": _file(name, content)})
    assert _messages(response) == [
        _nl("“%(name)s” is not a real %(type)s file: its content does not match its name.")
        % {"name": name, "type": kind}
    ]
    assert not proposal.attachments.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        (
            "brief.docx",
            ZIP,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("begroting.ods", ZIP, "application/vnd.oasis.opendocument.spreadsheet"),
        ("notitie.txt", b"Bewoners willen zaterdag open.", "text/plain; charset=utf-8"),
    ],
)
def test_the_allowed_types_are_accepted_and_served_as_their_type(
    client, wijkraad, hub, name, content, content_type
):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad, name, content)
    assert attachment.content_type == content_type
    client.force_login(wijkraad)
    assert client.get(_download_url(attachment))["Content-Type"] == content_type


def test_an_empty_file_or_no_file_gets_a_message(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    client.force_login(wijkraad)
    response = client.post(_add_url(proposal), {"file": _file("leeg.txt", b"")})
    assert _messages(response) == [_nl("“%(name)s” is empty.") % {"name": "leeg.txt"}]
    client.get(proposal.get_absolute_url())  # the page shows (and uses up) that message
    response = client.post(_add_url(proposal), {})
    assert response.status_code == 302
    assert _messages(response) == [_nl("Choose a file to attach.")]
    assert not proposal.attachments.exists()


def test_the_uploaded_name_is_only_kept_for_display_and_cleaned(wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad, "C:\\Users\\bewoner\\brief\x07  aan   de stad.pdf")
    assert attachment.original_name == "brief aan de stad.pdf"
    assert "brief" not in attachment.file.name
    long = _attach(proposal, wijkraad, "x" * 300 + ".pdf")
    assert long.original_name == "x" * 146 + ".pdf"


def test_the_eleventh_attachment_is_refused(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    for n in range(10):
        _attach(proposal, wijkraad, f"bijlage-{n}.pdf")
    client.force_login(wijkraad)
    response = client.post(_add_url(proposal), {"file": _file("nummer-11.pdf")})
    assert _messages(response) == [
        _nl("A proposal can have at most %(max)s attachments. Remove one first.") % {"max": 10}
    ]
    assert proposal.attachments.count() == 10
    # The page says so instead of offering the upload form.
    html = client.get(proposal.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' not in html
    assert "10" in html and 'id="attachments"' in html
    assert not client.get(proposal.get_absolute_url()).context["attachments"]["can_add"]


# --- removing ------------------------------------------------------------------------------------


def test_wijkraad_removes_a_file_and_the_file_is_deleted(
    client, wijkraad, hub, media, django_capture_on_commit_callbacks
):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    stored = media / attachment.file.name
    assert stored.exists()
    client.force_login(wijkraad)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_remove_url(attachment))
    assert response.status_code == 302
    assert _messages(response) == [_nl("“%(name)s” is removed.") % {"name": "petitie.pdf"}]
    assert not proposal.attachments.exists()
    assert not stored.exists()


def test_a_draft_is_the_whole_wijkraads_so_a_colleague_may_remove_a_file(
    client, wijkraad, colleague, hub
):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    client.force_login(colleague)
    assert client.post(_remove_url(attachment)).status_code == 302
    assert not proposal.attachments.exists()


def test_once_submitted_only_the_uploader_removes_a_file(
    client, wijkraad, colleague, wijkmanager, hub
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    theirs = _attach(proposal, wijkraad)
    city = _attach(proposal, wijkmanager, "reactie.pdf")
    client.force_login(wijkmanager)
    assert client.post(_remove_url(theirs)).status_code == 403
    client.force_login(colleague)
    assert client.post(_remove_url(theirs)).status_code == 403
    assert client.post(_remove_url(city)).status_code == 403
    assert proposal.attachments.count() == 2
    with pytest.raises(ProposalError) as refused:
        services.proposal_attachment_remove(attachment_id=theirs.pk, user=wijkmanager)
    assert refused.value.code == "forbidden"
    client.force_login(wijkmanager)
    assert client.post(_remove_url(city)).status_code == 302
    assert list(proposal.attachments.all()) == [theirs]


def test_a_decided_proposal_keeps_its_files(client, wijkraad, coordinator, hub):
    proposal = make_proposal(hub, wijkraad, submit=True)
    attachment = _attach(proposal, wijkraad)
    services.proposal_decide(
        proposal_id=proposal.pk,
        user=coordinator,
        expected=Status.SUBMITTED,
        decision=Decision.REJECTED,
        motivation="Geen budget.",
    )
    client.force_login(wijkraad)
    with translation.override("nl"):
        message = gettext(
            "This proposal is “%(status)s”: its attachments can no longer be changed."
        ) % {"status": Status.DECIDED.label}
    response = client.post(_remove_url(attachment))
    assert _messages(response) == [message]
    client.get(proposal.get_absolute_url())  # the page shows (and uses up) that message
    response = client.post(_add_url(proposal), {"file": _file()})
    assert _messages(response) == [message]
    assert list(proposal.attachments.all()) == [attachment]
    # Still readable, without the forms.
    assert client.get(_download_url(attachment)).status_code == 200
    page = client.get(proposal.get_absolute_url())
    assert page.context["attachments"]["rows"] == [{"attachment": attachment, "can_remove": False}]
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    with pytest.raises(ProposalError) as refused:
        _attach(proposal, wijkraad)
    assert refused.value.code == "forbidden"


def test_removing_twice_says_the_file_is_gone(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    services.proposal_attachment_remove(attachment_id=attachment.pk, user=wijkraad)
    with pytest.raises(ProposalError) as gone:
        services.proposal_attachment_remove(attachment_id=attachment.pk, user=wijkraad)
    assert gone.value.code == "missing"


# --- methods and login --------------------------------------------------------------------------


def test_get_on_the_post_only_urls_is_405(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad)
    attachment = _attach(proposal, wijkraad)
    client.force_login(wijkraad)
    assert client.get(_add_url(proposal)).status_code == 405
    assert client.get(_remove_url(attachment)).status_code == 405
    assert client.post(_download_url(attachment)).status_code == 405
    assert proposal.attachments.count() == 1


def test_anonymous_users_are_sent_to_the_login_page(client, wijkraad, hub):
    proposal = make_proposal(hub, wijkraad, submit=True)
    attachment = _attach(proposal, wijkraad)
    login = reverse("account_login")
    for response in (
        client.get(_download_url(attachment)),
        client.post(_add_url(proposal), {"file": _file()}),
        client.post(_remove_url(attachment)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert proposal.attachments.count() == 1


# --- the proposal page ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 10])
def test_attachments_cost_one_query_on_the_proposal_page(
    client, wijkmanager, hub, wijkraad, django_assert_num_queries, count
):
    proposal = make_proposal(hub, wijkraad, submit=True)
    for n in range(count):
        _attach(proposal, wijkraad, f"bijlage-{n}.pdf")
    client.force_login(wijkmanager)
    # As in test_detail.py (session, user, proposal, slots, roles, the compared
    # version's slots with the version, rolled-up weeks, their figures, live counts,
    # transitions, answers, messages: 12),
    # plus the attachments with who added them: one query whatever their number.
    with django_assert_num_queries(13):
        response = client.get(proposal.get_absolute_url())
    assert len(response.context["attachments"]["rows"]) == count
