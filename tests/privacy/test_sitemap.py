"""/sitemap.xml lists the works a guest may read, at the address the site was asked on."""

from fanshelf.works.models import Work


def test_the_sitemap_lists_posted_open_works_only(client, make_work, django_assert_max_num_queries):
    posted = make_work(title="Open")
    anonymous = make_work(title="Masked", anonymous=True)
    restricted = make_work(title="Members", restricted=True)
    draft = make_work(title="Unfinished", state="draft")
    hidden = make_work(title="Hidden")
    Work.objects.filter(pk=hidden.pk).update(state=Work.State.HIDDEN)
    for number in range(5):
        make_work(title=f"More {number}")

    with django_assert_max_num_queries(4):
        response = client.get("/sitemap.xml")

    assert response.status_code == 200
    xml = response.content.decode()
    assert f"<loc>http://testserver/works/{posted.pk}/</loc>" in xml
    assert f"/works/{anonymous.pk}/</loc>" in xml
    for unlisted in (restricted, draft, hidden):
        assert f"/works/{unlisted.pk}/</loc>" not in xml
    assert "<lastmod>" in xml
    assert "Masked" not in xml  # addresses only: no titles, no creators
