"""Archive migration: works imported by an archivist for creators who are not users."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fanshelf.imports.archive import archive_work, read_creator_emails
from fanshelf.imports.models import ExternalCreator, ExternalCreatorship, ImportRecord
from fanshelf.imports.readers import ImportedChapter, ImportedWork, ImportProblem
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

TAGS = {"rating": ["General Audiences"], "fandom": ["Star Wars"]}


def imported(title="Perfect", creators=("Anna K",), body="<p>Kylo had always seen Hux.</p>"):
    return ImportedWork(
        title=title,
        chapters=[ImportedChapter(body_html=body)],
        creators=list(creators),
        tags={key: list(value) for key, value in TAGS.items()},
        source=f"{title.lower()}.html",
    )


@pytest.fixture
def archivist(make_user):
    return make_user("opendoors", role="archivist")


# archive_work ----------------------------------------------------------------------


def test_archived_work_is_credited_to_its_external_creators(archivist):
    work, created = archive_work(
        imported(creators=["Anna K", "Bo"]),
        archivist=archivist,
        emails={"anna k": "anna@example.org"},
    )
    assert created and work.is_posted
    assert [c.pseud.user for c in work.creatorships.all()] == [archivist]
    creators = {s.creator.name: s.creator for s in work.external_creatorships.all()}
    assert set(creators) == {"Anna K", "Bo"}
    assert creators["Anna K"].email == "anna@example.org"
    assert creators["Bo"].email == ""
    assert creators["Anna K"].archivist == archivist
    assert creators["Anna K"].claimed_by is None


def test_an_admin_may_archive_too(make_user):
    admin = make_user("admin", role="admin")
    work, created = archive_work(imported(), archivist=admin)
    assert created and work.external_creatorships.count() == 1


@pytest.mark.parametrize("role", ["reader", "wrangler", "moderator"])
def test_only_archivists_and_admins_may_archive(make_user, role):
    user = make_user(role=role)
    with pytest.raises(PermissionDenied):
        archive_work(imported(), archivist=user)
    assert not Work.objects.exists() and not ExternalCreator.objects.exists()


def test_a_file_that_names_no_creator_is_refused(archivist):
    with pytest.raises(ImportProblem, match="names no creator"):
        archive_work(imported(creators=["  ", ""]), archivist=archivist)
    assert not Work.objects.exists()


def test_running_the_migration_again_creates_nothing_twice(archivist):
    emails = {"anna k": "anna@example.org"}
    first, created = archive_work(imported(), archivist=archivist, emails=emails)
    again, created_again = archive_work(imported(), archivist=archivist, emails=emails)
    assert created and not created_again and again == first
    assert Work.objects.count() == 1 and ImportRecord.objects.count() == 1
    assert ExternalCreator.objects.count() == 1 and ExternalCreatorship.objects.count() == 1


def test_a_creator_is_reused_by_name_in_any_case_and_email(archivist, make_user):
    archive_work(imported("One"), archivist=archivist, emails={"anna k": "anna@example.org"})
    archive_work(
        imported("Two", creators=["ANNA K"]),
        archivist=archivist,
        emails={"ANNA K": "Anna@Example.org"},
    )
    assert ExternalCreator.objects.count() == 1
    assert ExternalCreatorship.objects.filter(creator__name="Anna K").count() == 2
    # Another address, or another archivist, is another creator.
    archive_work(imported("Three"), archivist=archivist, emails={"anna k": "k@example.org"})
    other = make_user("archivist2", role="archivist")
    archive_work(imported("Four"), archivist=other, emails={"anna k": "anna@example.org"})
    assert ExternalCreator.objects.count() == 3


def test_an_invalid_email_for_a_creator_is_refused(archivist):
    with pytest.raises(ImportProblem, match="not a valid email address"):
        archive_work(imported(), archivist=archivist, emails={"anna k": "anna at example"})
    assert not Work.objects.exists()


def test_archived_drafts_stay_drafts(archivist):
    work, _ = archive_work(imported(), archivist=archivist, as_draft=True)
    assert work.state == Work.State.DRAFT
    assert work.external_creatorships.count() == 1


# read_creator_emails ---------------------------------------------------------------


def test_creator_emails_are_read_with_or_without_a_header(tmp_path):
    with_header = tmp_path / "with.csv"
    with_header.write_text("name,email\nAnna K,anna@example.org\n\n Bo , bo@example.org \n")
    without = tmp_path / "without.csv"
    without.write_bytes("\ufeffAnna K,anna@example.org\r\n".encode())
    assert read_creator_emails(with_header) == {
        "anna k": "anna@example.org",
        "bo": "bo@example.org",
    }
    assert read_creator_emails(without) == {"anna k": "anna@example.org"}


def test_quoted_names_with_commas_are_read(tmp_path):
    path = tmp_path / "emails.csv"
    path.write_text('"K, Anna",anna@example.org\n')
    assert read_creator_emails(path) == {"k, anna": "anna@example.org"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\nAnna K,anna@example.org\nBo,bo-at-example\n", "line 3: “bo-at-example”"),
        ("Anna K\n", "line 1: expected a name and an email"),
        ("Anna K,anna@example.org,extra\n", "line 1: expected a name and an email"),
        ("Anna K,a@example.org\nanna k,b@example.org\n", "line 2: anna k is listed twice"),
    ],
)
def test_a_bad_row_is_one_problem_naming_its_line(tmp_path, content, message):
    path = tmp_path / "emails.csv"
    path.write_text(content)
    with pytest.raises(ImportProblem) as problem:
        read_creator_emails(path)
    assert str(problem.value).startswith(message)


def test_a_missing_or_empty_email_file_is_a_problem(tmp_path):
    with pytest.raises(ImportProblem, match="cannot read it"):
        read_creator_emails(tmp_path / "missing.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(ImportProblem, match="empty"):
        read_creator_emails(tmp_path / "empty.csv")


def test_emails_read_from_a_file_go_to_their_creators(archivist, tmp_path):
    path = tmp_path / "emails.csv"
    path.write_text("name,email\nanna k,anna@example.org\n")
    work, _ = archive_work(imported(), archivist=archivist, emails=read_creator_emails(path))
    assert work.external_creatorships.get().creator.email == "anna@example.org"


# Display ---------------------------------------------------------------------------


def byline(html: str) -> str:
    start = html.index('class="byline"')
    return html[start : html.index("</p>", start)]


def test_the_work_page_shows_the_external_creator_and_the_archivist(client, archivist):
    work, _ = archive_work(imported(creators=["Anna K", "Bo"]), archivist=archivist)
    page = client.get(work.get_absolute_url()).content.decode()
    line = byline(page)
    assert "Anna K</span>, <span" in line and ">Bo</span>" in line
    assert "[archived by" in line
    assert line.index("Anna K") < line.index("archived by") < line.index("opendoors")
    assert 'rel="author"' not in line


def test_an_anonymous_archived_work_hides_its_creators(client, archivist):
    work_data = imported()
    work_data.anonymous = True
    work, _ = archive_work(work_data, archivist=archivist)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Anonymous" in byline(page)
    assert "Anna K" not in page


def test_ordinary_works_are_shown_as_before(client, make_work):
    work = make_work()
    line = byline(client.get(work.get_absolute_url()).content.decode())
    assert 'rel="author"' in line and "smolhux" in line and "archived by" not in line


def test_listings_show_external_creators_without_a_query_per_work(
    client, archivist, django_assert_max_num_queries, settings
):
    settings.LISTING_CACHE_SECONDS = 0  # count the listing's queries, not a cached page
    archive_work(imported("One", creators=["Anna K"]), archivist=archivist)
    url = reverse("discovery:works")
    client.get(url)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n in range(2, 7):
        archive_work(imported(f"Work {n}", creators=[f"Writer {n}"]), archivist=archivist)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert "Anna K" in page and "Writer 6" in page
    assert page.count("[archived by") == 6


def test_the_archivists_works_page_names_the_external_creators(client, archivist):
    archive_work(imported(creators=["Anna K"]), archivist=archivist)
    page = client.get(reverse("users:works", args=["opendoors"])).content.decode()
    assert "Anna K" in page and "[archived by" in page


def test_archived_works_are_found_and_downloaded_under_their_creators_names(archivist):
    from fanshelf.discovery import search
    from fanshelf.downloads.book import posted_book

    work, _ = archive_work(imported(creators=["Anna K"]), archivist=archivist)
    query = search.parse('creator:"Anna K"')
    assert list(
        search.backend().filter(Work.objects.all(), query).values_list("pk", flat=True)
    ) == [work.pk]
    assert posted_book(work_id=work.pk).creators == ["Anna K"]
