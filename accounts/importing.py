"""Reading a CSV file of new users (users:import) and checking every row.

The file has the columns name, email, cluster, roles and hubs; roles and hubs
hold several values separated by ";". Reading (:func:`read_user_csv`) only turns
bytes into raw rows; checking (:func:`check_rows`) looks them up in the
database. The raw rows are kept in the session between preview and confirm, and
checked again on confirm, so the result always reflects the database of now.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hubs.models import Hub

from .constants import HUB_ROLES, Role
from .models import Cluster, User

MAX_ROWS = 2000
MAX_FILE_SIZE = 2 * 1024 * 1024  # bytes; 2,000 rows fit easily
COLUMNS = ("name", "email", "cluster", "roles", "hubs")

# Header spellings we accept, after _normalise().
COLUMN_ALIASES = {
    "name": {"name", "naam", "full name", "volledige naam"},
    "email": {"email", "e-mail", "e-mailadres", "emailadres", "email address", "e-mail address"},
    "cluster": {"cluster", "afdeling"},
    "roles": {"roles", "role", "rollen", "rol"},
    "hubs": {"hubs", "hub", "wijkhubs", "wijkhub"},
}

# Role words in English and Dutch, after _normalise().
ROLE_WORDS = {
    **{value: value for value in Role.values},
    "gastheer": Role.HOST,
    "gastvrouw": Role.HOST,
    "gastheer/gastvrouw": Role.HOST,
    "gastvrouw/gastheer": Role.HOST,
    "wijkhubbeheerder": Role.HOST,
    "medewerker": Role.MEDEWERKER,
    "kcc": Role.KCC,
    "14010": Role.KCC,
    "wijkmanager": Role.WIJKMANAGER,
    "wijkraad": Role.WIJKRAAD,
    "wijkraadslid": Role.WIJKRAAD,
    "coordinator": Role.COORDINATOR,
    "manager wijkhubs": Role.COORDINATOR,
}

_LIST_SEPARATOR = re.compile(r"[;,]")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why."""


def _normalise(text: str) -> str:
    """Lower case, no accents, single spaces: "Coördinator " -> "coordinator"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def _split_list(text: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip()]


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        # UTF-16 exports and binary files (spreadsheets, images) contain NUL bytes.
        raise ImportFileError(
            _("This is not a CSV file. Save the spreadsheet as “CSV (comma or semicolon)”.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _("The file could not be read as text. Save it as CSV in UTF-8 or Windows encoding.")
    )


def _dialect(header_line: str):
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t")
    except csv.Error:
        # One column only, or no delimiter at all: the header check reports it.
        return csv.excel


def read_user_csv(data: bytes) -> list[list]:
    """Returns raw rows ``[line_number, name, email, cluster, roles, hubs]``.

    Raises ImportFileError when the file as a whole is unusable: empty, not
    text, columns missing, or more than MAX_ROWS rows.
    """
    if len(data) > MAX_FILE_SIZE:
        raise ImportFileError(
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": MAX_FILE_SIZE // (1024 * 1024)}
        )
    text = _decode(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    lines = text.splitlines()
    header_line = next(line for line in lines if line.strip())
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(header_line))
    raw_rows: list[list] = []
    try:
        header = next(row for row in reader if any(cell.strip() for cell in row))
        positions = _column_positions(header)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(raw_rows) == MAX_ROWS:
                raise ImportFileError(
                    _(
                        "The file has more than %(max)s rows. "
                        "Split it into files of at most %(max)s rows."
                    )
                    % {"max": number_format(MAX_ROWS, force_grouping=True)}
                )
            cells = [row[i].strip() if i < len(row) else "" for i in positions]
            raw_rows.append([reader.line_num, *cells])
    except csv.Error as exc:
        raise ImportFileError(
            _("The file could not be read as CSV near line %(line)s.") % {"line": reader.line_num}
        ) from exc
    if not raw_rows:
        raise ImportFileError(_("The file has a header but no rows."))
    return raw_rows


def _column_positions(header: list[str]) -> list[int]:
    normalised = [_normalise(cell) for cell in header]
    positions, missing = [], []
    for column in COLUMNS:
        found = [i for i, cell in enumerate(normalised) if cell in COLUMN_ALIASES[column]]
        if found:
            positions.append(found[0])
        else:
            missing.append(column)
    if missing:
        raise ImportFileError(
            _(
                "The first line must name the columns %(columns)s; missing: %(missing)s. "
                "Found: %(found)s."
            )
            % {
                "columns": ", ".join(COLUMNS),
                "missing": ", ".join(missing),
                "found": ", ".join(cell.strip() for cell in header if cell.strip()) or "–",
            }
        )
    return positions


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    cluster_name: str
    roles_text: str
    hubs_text: str
    first_name: str = ""
    last_name: str = ""
    cluster: Cluster | None = None
    roles: dict[str, list[int]] = field(default_factory=dict)
    role_labels: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def create_kwargs(self) -> dict:
        """Keyword arguments for services.user_create."""
        return {
            "email": self.email,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "cluster": self.cluster,
            "roles": self.roles,
        }


def check_rows(raw_rows: list[list]) -> list[ImportRow]:
    """Checks each raw row against the database; each gets its list of errors.

    Three queries, whatever the number of rows: hubs, clusters, existing e-mails.
    """
    hubs_by_key: dict[str, Hub] = {}
    for hub in Hub.objects.only("pk", "name", "slug"):
        hubs_by_key[_normalise(hub.name)] = hub
        hubs_by_key[hub.slug.casefold()] = hub
    clusters = {_normalise(c.name): c for c in Cluster.objects.all()}

    rows = [ImportRow(int(r[0]), *(str(v) for v in r[1:6])) for r in raw_rows]
    lines_by_email: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        row.email = row.email.strip().lower()
        if row.email:
            lines_by_email[row.email].append(row.line)
    counts = Counter({email: len(lines) for email, lines in lines_by_email.items()})
    existing = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=list(lines_by_email))
        .values_list("email_lower", flat=True)
    )

    for row in rows:
        _check_row(row, hubs_by_key, clusters, counts, lines_by_email, existing)
    return rows


def _check_row(row, hubs_by_key, clusters, counts, lines_by_email, existing) -> None:
    errors = row.errors
    name = " ".join(row.name.split())
    if not name:
        errors.append(_("The name is empty."))
    else:
        first, _sep, last = name.partition(" ")
        row.first_name, row.last_name = first[:150], last[:150]

    if not row.email:
        errors.append(_("The e-mail address is empty."))
    else:
        try:
            validate_email(row.email)
        except ValidationError:
            errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": row.email})
        else:
            if counts[row.email] > 1:
                errors.append(
                    _("This e-mail address is in the file more than once (lines %(lines)s).")
                    % {"lines": ", ".join(str(n) for n in lines_by_email[row.email])}
                )
            if row.email in existing:
                errors.append(_("A user with this e-mail address already exists."))

    if row.cluster_name:
        row.cluster = clusters.get(_normalise(row.cluster_name))
        if row.cluster is None:
            errors.append(_("Unknown cluster: %(name)s.") % {"name": row.cluster_name})

    roles: list[str] = []
    for word in _split_list(row.roles_text):
        role = ROLE_WORDS.get(_normalise(word))
        if role is None:
            errors.append(_("Unknown role: %(role)s.") % {"role": word})
        elif role not in roles:
            roles.append(role)
    if not roles and not row.roles_text.strip():
        errors.append(_("No role given."))

    hubs: list[Hub] = []
    for word in _split_list(row.hubs_text):
        hub = hubs_by_key.get(_normalise(word)) or hubs_by_key.get(word.casefold())
        if hub is None:
            errors.append(_("Unknown hub: %(hub)s.") % {"hub": word})
        elif hub not in hubs:
            hubs.append(hub)

    hub_roles = [role for role in roles if role in HUB_ROLES]
    if hub_roles and not hubs and not row.hubs_text.strip():
        errors.append(
            _("The role %(role)s needs at least one hub.")
            % {"role": ", ".join(str(Role(r).label) for r in hub_roles)}
        )
    if hubs and roles and not hub_roles:
        errors.append(
            _("Hubs only go with the roles host, wijkmanager and wijkraad; this row has none.")
        )

    for role in roles:
        if role in HUB_ROLES:
            row.roles[role] = [hub.pk for hub in hubs]
            names = ", ".join(hub.name for hub in hubs)
            row.role_labels.append(f"{Role(role).label}: {names}")
        else:
            row.roles[role] = []
            row.role_labels.append(str(Role(role).label))
