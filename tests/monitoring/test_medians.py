"""The national median of each measure and where a Compact stands against it: pure functions."""

from monitoring.indicators import INDICATORS, Value, indicator, national_medians, standing


def values(**by_key):
    """A Compact's values: the given figures (None: no data, "x": suppressed), No data for the rest."""
    result = []
    for item in INDICATORS:
        figure = by_key.get(item.key)
        suppressed = figure == "x"
        result.append(Value(item, 2026, None if suppressed else figure, None, None, suppressed=suppressed))
    return result


def test_the_median_leaves_out_no_data_and_suppressed_figures():
    by_compact = {
        1: values(consultation_length=50.0, concern_days="x"),
        2: values(consultation_length=100.0, concern_days=10),
        3: values(consultation_length=None, concern_days=20),
        4: values(consultation_length=75.0, concern_days=30),
    }
    medians = {median.indicator.key: median for median in national_medians(by_compact, 2026)}
    assert medians["consultation_length"].value == 75.0 and medians["consultation_length"].denominator == 3
    assert medians["concern_days"].value == 20  # compact 1's suppressed figure is not counted
    assert medians["funding_notice"].value is None and medians["funding_notice"].display() == "No data"
    assert national_medians({}, 2026)[0].value is None


def test_better_or_worse_as_the_measure_judges():
    def v(key, figure):
        return Value(indicator(key), 2026, figure, None, None, suppressed=False)

    assert standing(v("consultation_length", 90.0), v("consultation_length", 80.0)) == "better"
    assert standing(v("consultation_length", 70.0), v("consultation_length", 80.0)) == "worse"
    assert standing(v("concern_days", 5), v("concern_days", 8)) == "better"  # fewer days is better
    assert standing(v("concern_days", 9), v("concern_days", 8)) == "worse"
    assert standing(v("champions", 33.33), v("champions", 33.3)) == "level"
    assert standing(v("champions", None), v("champions", 30.0)) is None
    assert standing(v("champions", 30.0), v("champions", None)) is None
