"""What every answer of the API carries: licence, validators, caching, paging and throttling."""

import pytest

from tests.commitments.factories import CompactFactory
from tests.consultations.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

LICENCE = '<https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>; rel="license"'


def test_answer_has_licence_validators_and_public_caching(client, world):
    response = client.get("/api/v1/compacts/")
    assert response.status_code == 200
    assert response["Link"] == LICENCE
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"public", "max-age=300"}
    assert response["Content-Type"] == "application/json"


def test_signed_in_caller_gets_the_same_public_answer(client, world, coordinator):
    client.force_login(coordinator)
    response = client.get(f"/api/v1/compacts/{world.compact.slug}/editions/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert [e["name"] for e in response.json()["results"]] == ["First edition"]  # not the draft it may edit


def test_conditional_get_answers_304_until_the_data_changes(client, world):
    path = f"/api/v1/compacts/{world.compact.slug}/"
    first = client.get(path)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    again = client.get(path, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Link"] == LICENCE
    assert client.get(path, headers={"if-modified-since": last_modified}).status_code == 304
    world.compact.area = "Riverside and Hillside"
    world.compact.save()
    changed = client.get(path, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["area"] == "Riverside and Hillside"


def test_every_endpoint_has_validators_and_licence(client, world):
    slug = world.compact.slug
    for path in (
        "/api/v1/schema/",
        f"/api/v1/compacts/{slug}/concern-figures/",
        f"/api/v1/compacts/{slug}/funding-notices/",
        f"/api/v1/compacts/{slug}/signatories/",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Link"] == LICENCE
        assert client.get(path, headers={"if-none-match": response["ETag"]}).status_code == 304, path


def test_not_found_still_names_the_licence_and_is_not_kept(client, db):
    response = client.get("/api/v1/compacts/nowhere/")
    assert response.status_code == 404
    assert response["Link"] == LICENCE
    assert "ETag" not in response
    assert response["Cache-Control"] == "private, no-store"


def test_writes_are_refused(client, world):
    assert client.post("/api/v1/compacts/", {}).status_code == 405
    assert client.delete(f"/api/v1/compacts/{world.compact.slug}/").status_code == 405


def test_pages_of_a_long_list(client, settings, db):
    CompactFactory.create_batch(5)
    settings.PORTAL_API_PAGE_SIZE = 2
    first = client.get("/api/v1/compacts/").json()
    assert first["count"] == 5
    assert len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/compacts/?page=2")
    last = client.get("/api/v1/compacts/", {"page": 3}).json()
    assert len(last["results"]) == 1
    assert last["next"] is None
    seen = {c["slug"] for page in (1, 2, 3) for c in client.get("/api/v1/compacts/", {"page": page}).json()["results"]}
    assert len(seen) == 5
    assert client.get("/api/v1/compacts/", {"page": 4}).status_code == 404


def test_too_many_requests_from_one_address_are_refused(client, settings, db):
    settings.PORTAL_THROTTLE_CACHE = "default"  # the test settings count in a cache that forgets
    settings.PORTAL_API_ANON_RATE = "3/minute"
    for _ in range(3):
        assert client.get("/api/v1/compacts/").status_code == 200
    refused = client.get("/api/v1/compacts/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert refused["Cache-Control"] == "private, no-store"
    # Another address has its own count.
    assert client.get("/api/v1/compacts/", REMOTE_ADDR="192.0.2.7").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/compacts/",
        "/api/v1/compacts/{slug}/signatories/",
        "/api/v1/compacts/{slug}/consultations/",
        "/api/v1/consultations/",
        "/api/v1/compacts/{slug}/undertakings/",
        "/api/v1/compacts/{slug}/editions/{edition}/",
        "/api/v1/compacts/{slug}/funding-notices/",
        "/api/v1/compacts/{slug}/concern-figures/",
        "/api/v1/compacts/{slug}/indicators/",
    ],
)
def test_query_count_does_not_grow_with_the_data(client, world, django_assert_max_num_queries, path):
    from tests.signatories.factories import OrganisationFactory, signed_signature

    url = path.format(slug=world.compact.slug, edition=world.edition.pk)
    with django_assert_max_num_queries(16) as small:
        assert client.get(url).status_code == 200
    for _ in range(8):
        signed_signature(organisation=OrganisationFactory(), edition=world.edition)
        ConsultationFactory(edition=world.edition, organisation=world.council)
        CompactFactory()
    outcome = world.edition.outcomes.get(number=1)
    for n in range(10, 20):
        world.edition.undertakings.create(outcome=outcome, number=f"1.{n}", sector="vcs", text=f"More {n}.")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_last_modified_is_when_the_answer_was_first_given(client, world, monkeypatch):
    import datetime

    from django.utils import timezone

    path = f"/api/v1/compacts/{world.compact.slug}/"
    first = client.get(path)["Last-Modified"]
    later = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr("opendata.headers.timezone.now", lambda: later)
    assert client.get(path)["Last-Modified"] == first  # the same answer: not modified since
    world.compact.area = "Elsewhere"
    world.compact.save()
    changed = client.get(path, headers={"if-modified-since": first})
    assert changed.status_code == 200
    assert changed["Last-Modified"] != first
