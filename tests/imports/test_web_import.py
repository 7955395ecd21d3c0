"""Import a work on the web: upload, preview, post; bad input and other people's batches."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fanshelf.imports import batches
from fanshelf.imports.models import ExternalCreatorship, ImportBatch
from fanshelf.tags.models import Tag
from fanshelf.works import services
from fanshelf.works.models import Work

pytestmark = pytest.mark.django_db

STORY = (
    "Kylo had always seen Hux as perfect. He never told him, because that would be "
    "admitting defeat. Instead, he chose to belittle Hux and undermine him at every "
    "briefing, in every corridor, over every failed test of the weapon. He noticed how Hux "
    "would blow up after he insulted his father, and how quickly the calm came back. It "
    "was not until the gala, under the chandeliers of a ship that had never seen a battle, "
    "that Kylo understood what the calm had cost. Brendol Hux stood by the window with a "
    "glass he did not drink from, and his son stood three steps away from him all night."
)
TXT = (
    "Title: Come Find Me\nFandom: Star Wars Sequel Trilogy\nRating: Teen And Up Audiences\n"
    f"\n{STORY}\n\nNotes: I wrote this on tumblr but modified it for here."
)
MARKDOWN = "# The Gala\n\nHux was late on purpose.\n\nThe band played on regardless."
HTML = (
    "<!doctype html><html><head><title>The Ledger</title></head><body>"
    "<h1>The Ledger</h1><p>Mara counted the ships the way other people counted sheep.</p>"
    "<script>alert('no')</script></body></html>"
)


def upload(name, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def zip_of(**members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "."), content)
    return buffer.getvalue()


def send(client, *files, **choices):
    data = {"files": list(files), "pseud": "smolhux", "action": "post", "fandom": "", "rating": ""}
    return client.post(reverse("imports:new"), {**data, **choices})


def canonical(name, type="character", *, parents=()):
    tag = Tag.objects.create(name=name, type=type, canonical=True)
    tag.parents.add(*parents)
    return tag


@pytest.fixture
def star_wars():
    sequels = canonical("Star Wars Sequel Trilogy", "fandom")
    for name in ("Kylo Ren", "Armitage Hux", "Brendol Hux"):
        canonical(name, parents=[sequels])
    canonical("Kylo Ren/Armitage Hux", "relationship", parents=[sequels])
    return sequels


@pytest.fixture
def logged_in(client, author):
    client.force_login(author)
    return client


def batch_of(response) -> ImportBatch:
    assert response.status_code == 302, response.content.decode()[:2000]
    batch_id = int(re.search(r"/works/import/(\d+)/$", response.url).group(1))
    return ImportBatch.objects.get(pk=batch_id)


def post_batch(client, batch, **form):
    data = {"work": ["0"], "action": "post", **form}
    return client.post(reverse("imports:batch", args=[batch.pk]), data)


def test_guests_are_sent_to_log_in(client):
    for response in (client.get(reverse("imports:new")), send(client, upload("a.txt", TXT))):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert not ImportBatch.objects.exists()


def test_the_form_takes_several_files_and_offers_the_authors_pseuds(logged_in):
    page = logged_in.get(reverse("imports:new")).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert re.search(r'<input type="file" name="files" multiple', page)
    assert '<option value="smolhux" selected>' in page
    assert "csrfmiddlewaretoken" in page
    assert "<script>" not in page.split("<body>")[1]


def test_text_markdown_html_and_a_zip_are_read_into_one_preview(logged_in):
    archive = zip_of(
        one__txt="Title: Inside One\n\nA story in a zip.", two__md="# Inside Two\n\nMore."
    )
    response = send(
        logged_in,
        upload("come-find-me.txt", TXT),
        upload("gala.md", MARKDOWN),
        upload("ledger.html", HTML),
        upload("stories.zip", archive),
    )
    batch = batch_of(response)
    assert [entry["name"] for entry in batch.results] == [
        "come-find-me.txt",
        "gala.md",
        "ledger.html",
        "stories.zip/one.txt",
        "stories.zip/two.md",
    ]
    page = logged_in.get(response.url).content.decode()
    for title in ("Come Find Me", "The Gala", "The Ledger", "Inside One", "Inside Two"):
        assert f"Import “{title}”" in page
    assert "I wrote this on tumblr but modified it for here." in page  # the end note
    assert "(109 words)" in page  # chapter list with word counts
    assert "come-find-me.txt" in page and "stories.zip/two.md" in page  # sources
    assert ">markdown<" in page and ">html<" in page  # the reader that read each
    assert "alert(" not in page  # the HTML's script is gone
    assert '<dd lang="en">English</dd>' in page  # the language by name
    assert page.count('name="work"') == 5 and page.count(" checked>") == 5


def test_preview_shows_tags_as_they_will_be_posted_with_the_chosen_defaults(logged_in):
    response = send(
        logged_in,
        upload("come-find-me.txt", TXT),
        upload("gala.md", MARKDOWN),
        fandom="Original Work, Lighthouses",
        rating="General Audiences",
    )
    page = logged_in.get(response.url).content.decode()
    first, second = page.split('class="import-work"')[1:3]
    assert "Star Wars Sequel Trilogy" in first and "Teen And Up Audiences" in first
    assert "Original Work" not in first  # the file names its own fandom
    assert "Original Work" in second and "Lighthouses" in second
    assert "General Audiences" in second
    assert "Creator Chose Not To Use Archive Warnings" in second


def test_suggested_tags_are_offered_unticked_and_added_only_when_ticked(logged_in, star_wars):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    page = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    offered = re.findall(r'<input type="checkbox" name="accept-0" value="([^"]+)"[^>]*>', page)
    assert "character:Brendol Hux" in offered and "character:Kylo Ren" in offered
    assert not re.search(r'name="accept-0"[^>]*checked', page)

    post_batch(logged_in, batch, **{"accept-0": ["character:Brendol Hux", "freeform:Not Offered"]})
    work = Work.objects.get()
    characters = set(work.tags.filter(type="character").values_list("name", flat=True))
    assert characters == {"Brendol Hux"}  # only a ticked suggestion, never one not offered
    assert not work.tags.filter(name="Not Offered").exists()


def test_a_near_duplicate_is_warned_about_with_its_link_and_left_unticked(logged_in, make_work):
    existing = make_work(title="Perfect", chapters=[f"<p>{STORY}</p>"])
    edited = TXT.replace("perfect", "perfekt").replace("corridor", "hallway")
    batch = batch_of(send(logged_in, upload("copy.txt", edited), upload("gala.md", MARKDOWN)))
    page = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    warning = re.search(r'<p class="notice import-warning">(.*?)</p>', page, re.S).group(1)
    assert f'href="{existing.get_absolute_url()}"' in warning and "Perfect" in warning
    assert re.search(r"\(\d+% alike\)", warning)
    assert re.search(r'<input type="checkbox" name="work" value="0" id="work-0">', page)
    assert re.search(r'<input type="checkbox" name="work" value="1" id="work-1" checked>', page)


def test_another_authors_draft_is_never_named_as_a_duplicate(logged_in, make_user, make_work):
    make_work(
        make_user("someone"), title="Secret Draft", chapters=[f"<p>{STORY}</p>"], state="draft"
    )
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    page = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Secret Draft" not in page and "import-warning" not in page


def test_posting_creates_the_works_with_their_source_shown_where_the_author_wishes(logged_in):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT), upload("gala.md", MARKDOWN)))
    response = post_batch(logged_in, batch, work=["0", "1"], show_source="on")
    assert response.status_code == 302 and response.url == reverse("imports:batch", args=[batch.pk])
    works = {work.title: work for work in Work.objects.all()}
    assert set(works) == {"Come Find Me", "The Gala"}
    assert works["Come Find Me"].source == "come-find-me.txt" and works["Come Find Me"].show_source
    assert works["Come Find Me"].is_posted

    report = logged_in.get(response.url).content.decode()
    assert "2 works imported" in report
    assert f'href="{works["Come Find Me"].get_absolute_url()}"' in report
    page = logged_in.get(works["Come Find Me"].get_absolute_url()).content.decode()
    assert "Originally posted elsewhere; imported from “come-find-me.txt”." in page
    assert "I wrote this on tumblr but modified it for here." in page


def test_saving_as_drafts_and_leaving_one_out_are_reported(logged_in):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT), upload("gala.md", MARKDOWN)))
    response = post_batch(logged_in, batch, work=["1"], action="draft")
    work = Work.objects.get()
    assert work.title == "The Gala" and work.state == Work.State.DRAFT and not work.show_source
    report = logged_in.get(response.url).content.decode()
    assert "One work imported" in report and "draft: only you can see it" in report
    assert "<strong>Come Find Me</strong>:" in report and "you did not tick it" in report


def test_posting_the_same_batch_twice_creates_nothing_new(logged_in):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    post_batch(logged_in, batch)
    post_batch(logged_in, batch)
    work = Work.objects.get()
    report = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "No new work was made this time." in report
    assert re.search(rf'already imported as <a href="{work.get_absolute_url()}">', report)


def test_the_same_file_again_is_marked_imported_and_never_makes_a_second_work(logged_in, star_wars):
    first = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    post_batch(logged_in, first)
    work = Work.objects.get()
    again = batch_of(send(logged_in, upload("renamed.txt", TXT)))
    page = logged_in.get(reverse("imports:batch", args=[again.pk])).content.decode()
    assert "You imported this before" in page and work.get_absolute_url() in page
    assert re.search(r'<input type="checkbox" name="work" value="0" id="work-0">', page)
    # Ticked anyway, with a suggestion that changes its tags: still the one work.
    post_batch(logged_in, again, **{"accept-0": ["character:Kylo Ren"]})
    assert Work.objects.get() == work


def test_a_work_that_cannot_be_posted_is_reported_with_its_reason(logged_in):
    bad = "Title: Bad Rating\nRating: Extremely Spicy\n\nA story."
    batch = batch_of(send(logged_in, upload("bad.txt", bad), upload("gala.md", MARKDOWN)))
    response = post_batch(logged_in, batch, work=["0", "1"])
    assert list(Work.objects.values_list("title", flat=True)) == ["The Gala"]
    report = logged_in.get(response.url).content.decode()
    problem = re.search(r"<strong>Bad Rating</strong>: ([^<]+)</li>", report).group(1)
    assert problem.startswith("rating:")


def test_ticking_nothing_asks_for_a_work_and_keeps_the_ticked_suggestions(logged_in, star_wars):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    response = logged_in.post(
        reverse("imports:batch", args=[batch.pk]),
        {"action": "post", "accept-0": "character:Kylo Ren"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Please tick at least one work to import." in page
    assert re.search(r'value="character:Kylo Ren"[^>]*checked', page)
    assert not re.search(r'name="work" value="0"[^>]*checked', page)
    assert not Work.objects.exists()


def test_another_user_gets_404_for_the_preview_and_the_post(client, logged_in, make_user):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    client.force_login(make_user("nosy"))
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert post_batch(client, batch).status_code == 404
    assert not Work.objects.exists()
    with pytest.raises(ImportBatch.DoesNotExist):
        batches.post_batch(user=make_user("nosier"), batch_id=batch.pk, chosen=[0])


def test_batches_expire_after_a_day_and_are_deleted_when_a_new_one_is_made(logged_in):
    old = batch_of(send(logged_in, upload("come-find-me.txt", TXT)))
    ImportBatch.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert logged_in.get(reverse("imports:batch", args=[old.pk])).status_code == 404
    new = batch_of(send(logged_in, upload("gala.md", MARKDOWN)))
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [new.pk]


def test_no_files_is_a_clear_message_and_the_choices_are_kept(logged_in):
    response = send(logged_in, fandom="Original Work", rating="Mature", action="draft")
    page = response.content.decode()
    assert response.status_code == 200 and "Please choose at least one file to import." in page
    assert 'value="Original Work"' in page
    assert '<option value="Mature" selected>' in page
    assert re.search(r'value="draft"[^>]*checked', page)


def test_too_many_files_or_too_many_bytes_are_refused_with_the_limit(logged_in, settings):
    settings.FANSHELF_IMPORT_MAX_FILES = 2
    files = [upload(f"{n}.txt", f"Story {n}.") for n in range(3)]
    page = send(logged_in, *files, fandom="Original Work").content.decode()
    assert "You chose 3 files; at most 2 can be imported at once." in page
    assert 'value="Original Work"' in page

    settings.FANSHELF_IMPORT_MAX_UPLOAD_BYTES = 1000
    page = send(logged_in, upload("big.txt", "word " * 300)).content.decode()
    assert "The files come to 1.5\xa0KB; at most 1000\xa0bytes can be imported at once." in page
    assert not ImportBatch.objects.exists()


def test_when_every_file_fails_each_reason_is_shown_and_nothing_is_kept(logged_in):
    response = send(
        logged_in,
        upload("empty.txt", b""),
        upload("broken.zip", b"PK\x03\x04 not really a zip"),
        fandom="Original Work",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No work could be read from the files you chose." in page
    assert "empty.txt: the file is empty" in page
    assert "broken.zip: a corrupt zip file" in page
    assert 'value="Original Work"' in page
    assert not ImportBatch.objects.exists()


def test_files_that_fail_beside_good_ones_are_listed_on_the_preview(logged_in):
    response = send(logged_in, upload("empty.txt", b""), upload("gala.md", MARKDOWN))
    page = logged_in.get(batch_of(response) and response.url).content.decode()
    assert "Files that could not be read" in page
    assert "<strong>empty.txt</strong>: the file is empty" in page


def test_uploads_are_rate_limited(logged_in, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "import": "1/3600"}
    batch_of(send(logged_in, upload("gala.md", MARKDOWN)))
    response = send(logged_in, upload("gala.md", MARKDOWN), fandom="Original Work")
    assert response.status_code == 429
    assert "You have imported a lot in the last hour" in response.content.decode()


def test_a_pseud_that_is_not_the_authors_is_refused(logged_in, author, make_user):
    make_user("someone")
    page = send(logged_in, upload("gala.md", MARKDOWN), pseud="someone").content.decode()
    assert "Select a valid choice." in page
    with pytest.raises(ValidationError) as refused:
        batches.read_into_batch(user=author, uploads=[("a.md", b"# A\n\nB")], pseud="someone")
    assert "pseud" in refused.value.message_dict


def test_the_preview_costs_the_same_few_queries_however_many_works(
    logged_in, author, make_work, star_wars, django_assert_max_num_queries
):
    make_work(title="Perfect", chapters=[f"<p>{STORY}</p>"])
    files = {
        f"story{n}__txt": f"Title: Story {n}\nTags: kylo ren, angst\n\n{STORY} Number {n}."
        for n in range(12)
    }
    batch = batches.read_into_batch(user=author, uploads=[("many.zip", zip_of(**files))])
    url = reverse("imports:batch", args=[batch.pk])
    with django_assert_max_num_queries(6):
        page = logged_in.get(url).content.decode()
    assert page.count('name="work"') == 12 and page.count("import-warning") == 12
    assert page.count('<li class="tag">Kylo Ren</li>') == 12  # matched, still few queries


def test_only_archivists_may_import_on_behalf_of_the_creators_named(client, make_user):
    text = "Title: Saved\nAuthor: Old Archive Writer\n\nA story from a closing archive."
    archivist = make_user("opendoors", role="archivist")
    client.force_login(archivist)
    batch = batch_of(send(client, upload("saved.txt", text), pseud="opendoors"))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "Import on behalf of the creators named in the files" in page
    post_batch(client, batch, on_behalf="on")
    work = Work.objects.get()
    creators = ExternalCreatorship.objects.filter(work=work).values_list("creator__name", flat=True)
    assert list(creators) == ["Old Archive Writer"]

    fan = make_user("fan")
    client.force_login(fan)
    batch = batch_of(send(client, upload("saved.txt", text), pseud="fan"))
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "on behalf" not in page
    with pytest.raises(PermissionDenied):
        batches.post_batch(user=fan, batch_id=batch.pk, chosen=[0], on_behalf=True)


def test_the_work_page_links_a_web_source_and_the_edit_form_can_hide_it(
    logged_in, author, make_work
):
    work = make_work(source="https://smol-hux.tumblr.com/post/1", show_source=True)
    page = logged_in.get(work.get_absolute_url()).content.decode()
    assert (
        'Originally posted at <a href="https://smol-hux.tumblr.com/post/1" rel="nofollow noopener">'
        in page
    )
    form = logged_in.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert "Show readers where this work was first posted" in form
    assert "It came from https://smol-hux.tumblr.com/post/1." in form

    services.update_work(user=author, work=work, show_source=False)
    assert "Originally posted" not in logged_in.get(work.get_absolute_url()).content.decode()
    sneaky = make_work(title="Sneaky", source="javascript:alert(1)", show_source=True)
    page = logged_in.get(sneaky.get_absolute_url()).content.decode()
    assert "imported from “javascript:alert(1)”" in page and 'href="javascript' not in page
    typed = make_work(title="Typed In")
    form = logged_in.get(reverse("works:edit", args=[typed.pk])).content.decode()
    assert "first posted" not in form
    assert "first posted" not in logged_in.get(reverse("works:new")).content.decode()


def test_a_work_whose_file_gives_no_title_can_be_given_one_on_the_preview(logged_in):
    batch = batch_of(send(logged_in, upload("come-find-me.txt", STORY)))
    page = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "The file gives no title: “Untitled (come-find-me)” is used" in page
    page = logged_in.post(
        reverse("imports:batch", args=[batch.pk]), {"action": "post", "title-0": "Come Find Me"}
    ).content.decode()
    assert 'name="title-0" id="title-0" value="Come Find Me"' in page  # kept on an error
    post_batch(logged_in, batch, **{"title-0": "  Come   Find Me "})
    assert Work.objects.get().title == "Come Find Me"


def test_free_tags_that_name_canonical_tags_are_previewed_and_posted_under_their_type(
    logged_in, star_wars
):
    text = "Title: Tagged\nTags: kylo ren, my writing\n\nHux was late on purpose."
    batch = batch_of(send(logged_in, upload("tagged.txt", text)))
    page = logged_in.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    meta = re.search(r'<dl class="work-meta">(.*?)</dl>', page, re.S).group(1)
    assert re.search(r"Character:</dt><dd>.*Kylo Ren", meta)
    assert re.search(r"Additional Tags:</dt><dd>.*my writing", meta)
    post_batch(logged_in, batch)
    tags = services.tags_by_type(Work.objects.get())
    assert tags["character"] == ["Kylo Ren"] and tags["freeform"] == ["my writing"]
