"""The benchmark's targets of issue 17 ("Single requests, raised"), on made-up results: ratios measured
in the same run. No timing here, so nothing depends on how busy the machine is."""

from benchmarks import measure


def timing(median, p95=None, status=200, queries=3):
    return {"status": status, "median_ms": median, "p95_ms": p95 if p95 is not None else median, "queries": queries}


def page(name, kind, median, p95=None, admin=None, url="/x/"):
    return {
        "name": name,
        "kind": kind,
        "role": "anonymous",
        "url": url,
        "page": timing(median, p95),
        "admin": admin,
        "ratio": round(median / admin["median_ms"], 2) if admin else None,
        "queries_other_scale": None,
    }


def results(*pages, pdf=None, sweep=None):
    return {"pages": [page("home", "detail", 10.0), *pages], "pdf": pdf, "sweep": sweep}


def by_target(targets):
    return {t["target"]: t for t in targets}


def test_a_list_page_passes_at_half_the_admins_median_and_within_its_p95():
    admin = timing(100.0, p95=120.0)
    found = by_target(
        measure.evaluate(
            results(
                page("fast list", "list", 50.0, p95=110.0, admin=admin),
                page("slow list", "list", 51.0, p95=60.0, admin=admin),
                page("spiky list", "list", 40.0, p95=121.0, admin=admin),
            ),
            None,
        )
    )
    assert found["fast list: half the admin"]["pass"]
    assert not found["slow list: half the admin"]["pass"]
    assert "0.51×" in found["slow list: half the admin"]["reason"]
    assert not found["spiky list: half the admin"]["pass"]


def test_the_organisation_page_is_held_to_it_and_other_detail_pages_are_not():
    admin = timing(100.0)
    found = by_target(
        measure.evaluate(
            results(page("organisation", "detail", 60.0, admin=admin), page("concern", "detail", 90.0, admin=admin)),
            None,
        )
    )
    assert not found["organisation: half the admin"]["pass"]
    assert "concern: half the admin" not in found


def test_a_calendar_feed_within_three_times_the_home_page():
    found = by_target(
        measure.evaluate(
            results(
                page("quick feed", "feed", 30.0, url="/calendars/compacts/a.ics"),
                page("slow feed", "feed", 31.0, url="/calendars/organisations/t.ics?lang=cy"),
                page("a CSV", "feed", 500.0, url="/national/compacts.csv"),
            ),
            None,
        )
    )
    assert found["quick feed: within 3× the home page"]["pass"]
    assert not found["slow feed: within 3× the home page"]["pass"]
    assert "3.1×" in found["slow feed: within 3× the home page"]["reason"]
    assert "a CSV: within 3× the home page" not in found


def test_the_sweep_within_one_and_a_half_times_its_floor_and_the_pdf_within_1_2_of_a_bare_render():
    sweep = {"seconds": 3.0, "failed": 0, "sent": 10, "queries": 5, "floor_seconds": 1.9}
    pdf = {
        "cold_s": 1.0,
        "document_status": "ready",
        "cached": timing(10.0),
        "first_in_started_worker_s": 0.9,
        "bare_render_s": 0.8,
    }
    found = by_target(measure.evaluate(results(pdf=pdf, sweep=sweep), None))
    assert not found["reminder sweep within 1.5× its floor"]["pass"]  # 1.58×
    assert found["first PDF in a started worker within 1.2× WeasyPrint's bare render"]["pass"]  # 1.12×

    sweep["floor_seconds"], pdf["bare_render_s"] = 2.0, 0.74
    found = by_target(measure.evaluate(results(pdf=pdf, sweep=sweep), None))
    assert found["reminder sweep within 1.5× its floor"]["pass"]
    assert not found["first PDF in a started worker within 1.2× WeasyPrint's bare render"]["pass"]  # 1.22×


def test_the_table_shows_the_ratio_targets():
    admin = timing(100.0)
    data = results(page("a list", "list", 40.0, admin=admin), page("feed", "feed", 20.0, url="/c.ics"))
    data.update(
        {
            "scale": 0.01,
            "reps": 3,
            "dataset": {"counts": {"compacts": 2}},
            "environment": {
                "when": "now",
                "machine": "m",
                "python": "3",
                "django": "5",
                "database": "pg",
                "debug": False,
            },
        }
    )
    data["targets"] = measure.evaluate(data, None)
    text = measure.markdown(data)
    assert "| pass (≤ 0.5× admin, p95 ≤ admin's) |" in text
    assert "| pass (2.0× home, ≤ 3.0×) |" in text
